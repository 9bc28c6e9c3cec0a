import RuleIcon from '@mui/icons-material/Rule';
import VerifiedIcon from '@mui/icons-material/Verified';
import { Menu as RaMenu, useCanAccess } from 'react-admin';
import { REVIEW_QUEUE_PATH } from '../investors/ReviewQueue';
import { VERIFY_ROUTE } from '../verify/paths';

/**
 * The resources the user's roles may list (react-admin hides the others, so an investor sees only
 * their portfolio), for compliance the investor review queue, and for audit readers the
 * verification page.
 */
export const Menu = () => {
  const { canAccess: canReview } = useCanAccess({ resource: 'investorReview', action: 'list' });
  const { canAccess: canVerify } = useCanAccess({ resource: 'verify', action: 'list' });
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
      {canVerify ? (
        <RaMenu.Item to={VERIFY_ROUTE} primaryText="tranche.verify.menu" leftIcon={<VerifiedIcon />} />
      ) : null}
    </RaMenu>
  );
};
