import { Alert, Button, Stack } from '@mui/material';
import { useState } from 'react';
import {
  useGetIdentity,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
  useUpdate,
  type RaRecord,
} from 'react-admin';
import { CommentDialog } from './CommentDialog';

type Decision = 'APPROVE' | 'REJECT' | 'CANCEL';

/** True when the signed-in user (identity email) requested `record` (`requestedBy` is `user:<email>`). */
export const isRequester = (record: RaRecord, email: unknown): boolean =>
  typeof email === 'string' &&
  email !== '' &&
  String(record.requestedBy).toLowerCase() === `user:${email.toLowerCase()}`;

/**
 * Approve / Reject, each with a comment dialog (a rejection needs a reason), and Cancel for the
 * requester while the request is pending or approved. When the viewer may not approve, Approve and
 * Reject are disabled and the API's reason is shown (e.g. four-eyes).
 */
export const DecisionButtons = () => {
  const record = useRecordContext();
  const { identity } = useGetIdentity();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [update, { isPending }] = useUpdate();
  const [dialog, setDialog] = useState<'APPROVE' | 'REJECT' | null>(null);
  if (!record) return null;
  const decide = (decision: Decision, comment = '') =>
    update(
      'changeRequests',
      { id: record.id, data: { decision, comment }, previousData: record },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          notify(`tranche.governance.decided.${decision}`, { type: 'info' });
          setDialog(null);
          refresh();
        },
        onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
      },
    );
  const open = record.status === 'PENDING';
  const canApprove = open && record.viewerCanApprove === true;
  const canCancel =
    (record.status === 'PENDING' || record.status === 'APPROVED') && isRequester(record, identity?.email);
  const reason = typeof record.viewerCannotApproveReason === 'string' ? record.viewerCannotApproveReason : '';
  return (
    <Stack spacing={1} sx={{ mt: 2, maxWidth: 600 }}>
      {!canApprove && reason ? (
        <Alert severity="info" data-testid="cannot-approve">
          {translate('tranche.governance.cannot_approve', { reason })}
        </Alert>
      ) : null}
      <Stack direction="row" spacing={1}>
        <Button variant="contained" disabled={!canApprove || isPending} onClick={() => setDialog('APPROVE')}>
          {translate('tranche.governance.approve')}
        </Button>
        <Button
          variant="outlined"
          color="error"
          disabled={!canApprove || isPending}
          onClick={() => setDialog('REJECT')}
        >
          {translate('tranche.governance.reject')}
        </Button>
        {canCancel ? (
          <Button variant="text" disabled={isPending} onClick={() => decide('CANCEL')}>
            {translate('tranche.governance.cancel')}
          </Button>
        ) : null}
      </Stack>
      {dialog === null ? null : (
        <CommentDialog
          open
          title={`tranche.governance.dialog.${dialog}`}
          label={dialog === 'REJECT' ? 'tranche.governance.reject_reason' : 'tranche.governance.comment'}
          confirmLabel={dialog === 'REJECT' ? 'tranche.governance.reject' : 'tranche.governance.approve'}
          required={dialog === 'REJECT'}
          busy={isPending}
          onClose={() => setDialog(null)}
          onConfirm={(comment) => decide(dialog, comment)}
        />
      )}
    </Stack>
  );
};
