import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { useCreate, useNotify, useTranslate } from 'react-admin';

type Outcome = 'FALSE_POSITIVE' | 'CONFIRMED';

/**
 * Compliance's review of a BLOCKED investor's potential sanctions match: a false positive clears
 * them, a confirmed match keeps them blocked. Both need a comment (it is audited); nothing is sent
 * until an outcome is chosen.
 */
export const SanctionsReviewDialog = ({
  investorId,
  onClose,
  onReviewed,
}: {
  investorId: string;
  onClose: () => void;
  onReviewed: () => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [create, { isPending }] = useCreate();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [comment, setComment] = useState('');
  const ready = outcome !== null && comment.trim() !== '' && !isPending;
  const send = () =>
    create(
      'sanctionsReviews',
      { data: { investorId, falsePositive: outcome === 'FALSE_POSITIVE', comment: comment.trim() } },
      {
        onSuccess: () => {
          notify(`tranche.investors.sanctions.reviewed.${outcome ?? 'CONFIRMED'}`, { type: 'info' });
          onReviewed();
        },
        onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
      },
    );
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{translate('tranche.investors.sanctions.review_title')}</DialogTitle>
      <DialogContent>
        <DialogContentText>{translate('tranche.investors.sanctions.review_help')}</DialogContentText>
        <RadioGroup
          value={outcome ?? ''}
          onChange={(e) => setOutcome(e.target.value as Outcome)}
          aria-label={translate('tranche.investors.sanctions.outcome')}
        >
          <FormControlLabel
            value="FALSE_POSITIVE"
            control={<Radio />}
            label={translate('tranche.investors.sanctions.false_positive')}
          />
          <FormControlLabel
            value="CONFIRMED"
            control={<Radio />}
            label={translate('tranche.investors.sanctions.confirmed')}
          />
        </RadioGroup>
        <TextField
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          required
          label={translate('tranche.investors.sanctions.comment')}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={!ready} onClick={send}>
          {translate('tranche.investors.sanctions.submit_review')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
