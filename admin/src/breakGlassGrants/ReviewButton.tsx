import { Button, Tooltip } from '@mui/material';
import { useState } from 'react';
import {
  useCanAccess,
  useGetIdentity,
  useNotify,
  useRefresh,
  useTranslate,
  useUpdate,
  type RaRecord,
} from 'react-admin';
import { CommentDialog } from '../changeRequests/CommentDialog';

/** True when `record` is a self-granted grant no second person has reviewed yet. */
export const needsReview = (record: RaRecord): boolean => record.selfGranted === true && !record.reviewedAt;

/**
 * The second-person review of a self-granted grant (ADMIN, COMPLIANCE; never the grantee), with
 * the reviewer's comment. Shown only on grants that still need it.
 */
export const ReviewButton = ({ record }: { record: RaRecord }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { identity } = useGetIdentity();
  const { canAccess } = useCanAccess({ resource: 'breakGlassGrants', action: 'edit' });
  const [update, { isPending }] = useUpdate();
  const [open, setOpen] = useState(false);
  if (!needsReview(record) || canAccess !== true) return null;
  const own =
    typeof identity?.email === 'string' &&
    String(record.grantee).toLowerCase() === `user:${identity.email.toLowerCase()}`;
  const review = (reviewComment: string) =>
    update(
      'breakGlassGrants',
      { id: record.id, data: { reviewComment }, previousData: record },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          notify('tranche.break_glass.reviewed', { type: 'info' });
          setOpen(false);
          refresh();
        },
        onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
      },
    );
  return (
    <>
      <Tooltip title={own ? translate('tranche.break_glass.own_grant') : ''}>
        <span>
          <Button size="small" disabled={own || isPending} onClick={() => setOpen(true)}>
            {translate('tranche.break_glass.review')}
          </Button>
        </span>
      </Tooltip>
      {open ? (
        <CommentDialog
          open
          title="tranche.break_glass.review_title"
          label="tranche.break_glass.review_comment"
          confirmLabel="tranche.break_glass.review"
          required
          busy={isPending}
          onClose={() => setOpen(false)}
          onConfirm={review}
        />
      ) : null}
    </>
  );
};
