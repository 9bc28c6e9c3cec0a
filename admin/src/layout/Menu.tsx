import RuleIcon from '@mui/icons-material/Rule';
import { Menu as RaMenu, useCanAccess } from 'react-admin';
import { REVIEW_QUEUE_PATH } from '../investors/ReviewQueue';

/**
 * The resources the user's roles may list (react-admin hides the others, so an investor sees only
 * their portfolio) and, for compliance, the investor review queue.
 */
export const Menu = () => {
  const { canAccess: canReview } = useCanAccess({ resource: 'investorReview', action: 'list' });
  return (
    <RaMenu>
      <RaMenu.ResourceItems />
      {canReview ? (
        <RaMenu.Item
          to={REVIEW_QUEUE_PATH}
          primaryText="tranche.investors.queue.menu"
          leftIcon={<RuleIcon />}
        />
      ) : null}
    </RaMenu>
  );
};
