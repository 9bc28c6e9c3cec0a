import { Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField } from '@mui/material';
import { useState } from 'react';
import { useTranslate } from 'react-admin';

/**
 * Asks for the comment that goes with a decision (an approval's optional note, a rejection's
 * required reason) before `onConfirm` sends it.
 */
export const CommentDialog = ({
  open,
  title,
  label,
  confirmLabel,
  required,
  busy,
  onClose,
  onConfirm,
}: {
  open: boolean;
  title: string;
  label: string;
  confirmLabel: string;
  required: boolean;
  busy: boolean;
  onClose: () => void;
  onConfirm: (comment: string) => void;
}) => {
  const translate = useTranslate();
  const [comment, setComment] = useState('');
  const missing = required && !comment.trim();
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{translate(title)}</DialogTitle>
      <DialogContent>
        <TextField
          autoFocus
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          label={translate(label)}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          required={required}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={missing || busy} onClick={() => onConfirm(comment.trim())}>
          {translate(confirmLabel)}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
