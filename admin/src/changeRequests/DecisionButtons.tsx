import { Alert, Button, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { useNotify, useRecordContext, useRefresh, useTranslate, useUpdate } from 'react-admin';

/**
 * Approve / Reject (with a comment) and, for the requester, Cancel. When the viewer may not
 * approve, the buttons are disabled and the API's reason is shown (e.g. four-eyes).
 */
export const DecisionButtons = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [update, { isPending }] = useUpdate();
  const [comment, setComment] = useState('');
  if (!record) return null;
  const decide = (decision: 'APPROVE' | 'REJECT' | 'CANCEL') =>
    update(
      'changeRequests',
      { id: record.id, data: { decision, comment }, previousData: record },
      {
        onSuccess: () => {
          notify(`tranche.governance.decided.${decision}`, { type: 'info' });
          setComment('');
          refresh();
        },
        onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
      },
    );
  const canApprove = record.viewerCanApprove === true;
  const pending = record.status === 'PENDING' || record.status === 'APPROVED';
  return (
    <Stack spacing={1} sx={{ mt: 2, maxWidth: 600 }}>
      {!canApprove && record.viewerCannotApproveReason ? (
        <Alert severity="info" data-testid="cannot-approve">
          {String(record.viewerCannotApproveReason)}
        </Alert>
      ) : null}
      <TextField
        label={translate('tranche.governance.comment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        size="small"
      />
      <Stack direction="row" spacing={1}>
        <Button variant="contained" disabled={!canApprove || isPending} onClick={() => decide('APPROVE')}>
          {translate('tranche.governance.approve')}
        </Button>
        <Button
          variant="outlined"
          color="error"
          disabled={!canApprove || isPending || !comment.trim()}
          onClick={() => decide('REJECT')}
        >
          {translate('tranche.governance.reject')}
        </Button>
        <Button variant="text" disabled={!pending || isPending} onClick={() => decide('CANCEL')}>
          {translate('tranche.governance.cancel')}
        </Button>
      </Stack>
    </Stack>
  );
};
