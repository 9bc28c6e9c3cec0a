import { Box, Button, TextField as MuiTextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useDataProvider, useRecordContext, useTranslate, type RaRecord } from 'react-admin';

const mono = { fontFamily: 'monospace', wordBreak: 'break-all' } as const;

/**
 * Fetches an audit event's inclusion proof (`auditEventProof`) by event id and shows its leaf,
 * the sibling hashes and the anchor it proves against, saying whether that is this anchor.
 */
export const EventProofLookup = () => {
  const anchor = useRecordContext();
  const dataProvider = useDataProvider();
  const translate = useTranslate();
  const [eventId, setEventId] = useState('');
  const [proof, setProof] = useState<RaRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fetchProof = async () => {
    setError(null);
    setProof(null);
    try {
      const { data } = await dataProvider.getOne('auditEventProofs', { id: eventId.trim() });
      setProof(data);
    } catch {
      setError(translate('tranche.audit_anchors.no_proof'));
    }
  };
  const event = (proof?.event ?? {}) as Record<string, unknown>;
  const proofAnchor = (proof?.anchor ?? {}) as Record<string, unknown>;
  const siblings = Array.isArray(proof?.proof) ? (proof.proof as string[]) : [];
  return (
    <Box data-testid="event-proof" sx={{ display: 'flex', flexDirection: 'column', gap: 1, mt: 2 }}>
      <Typography variant="h6">{translate('tranche.audit_anchors.proof_title')}</Typography>
      <Box sx={{ display: 'flex', gap: 1 }}>
        <MuiTextField
          size="small"
          label={translate('tranche.audit_anchors.event_id')}
          value={eventId}
          onChange={(e) => setEventId(e.target.value)}
          sx={{ minWidth: 360 }}
        />
        <Button disabled={eventId.trim() === ''} onClick={() => void fetchProof()}>
          {translate('tranche.audit_anchors.fetch_proof')}
        </Button>
      </Box>
      {error ? <Typography color="error">{error}</Typography> : null}
      {proof ? (
        <Box>
          <Typography variant="body2">
            {translate('tranche.audit_anchors.proof_leaf', {
              seq: event.seq,
              action: event.action,
              aggregate: `${String(event.aggregateType)} ${String(event.aggregateId)}`,
            })}
          </Typography>
          <Typography variant="body2" sx={mono}>
            {translate('tranche.audit_anchors.event_hash')}: {String(event.hash)}
          </Typography>
          <Typography variant="body2" sx={mono}>
            ledgerId: {String(proof.ledgerId)}
          </Typography>
          <Typography variant="body2">
            {proofAnchor.id === anchor?.id
              ? translate('tranche.audit_anchors.in_this_anchor')
              : translate('tranche.audit_anchors.in_other_anchor', {
                  first: proofAnchor.firstSeq,
                  last: proofAnchor.lastSeq,
                })}
          </Typography>
          <ol data-testid="proof-siblings" style={{ ...mono, margin: 0 }}>
            {siblings.map((sibling, i) => (
              <li key={`${i}-${sibling}`}>{sibling}</li>
            ))}
          </ol>
        </Box>
      ) : null}
    </Box>
  );
};
