import { Datagrid, DateField, NumberField, TextField, useRecordContext, useTranslate } from 'react-admin';
import { Box, Typography } from '@mui/material';

const prettyJson = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** Expanded row: the event's canonical JSON payload and its place in the hash chain. */
const AuditEventDetail = () => {
  const event = useRecordContext();
  const translate = useTranslate();
  if (!event) return null;
  const text = (value: unknown) => (typeof value === 'string' ? value : '—');
  return (
    <Box sx={{ px: 2, py: 1 }}>
      <Typography variant="caption" component="div" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
        {translate('resources.auditEvents.fields.hash')}: {text(event.hash)}
      </Typography>
      <Typography variant="caption" component="div" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
        {translate('resources.auditEvents.fields.prevHash')}: {text(event.prevHash)}
      </Typography>
      <Box component="pre" sx={{ m: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {prettyJson(text(event.payload))}
      </Box>
    </Box>
  );
};

/**
 * Audit events as the API returns them, newest first. No column is sortable: the chain order is
 * the only order. Rows expand to show the payload and hashes.
 */
export const AuditEventGrid = () => (
  <Datagrid bulkActionButtons={false} rowClick="expand" expand={<AuditEventDetail />}>
    <DateField source="occurredAt" showTime sortable={false} />
    <NumberField source="seq" sortable={false} emptyText="—" />
    <TextField source="action" sortable={false} />
    <TextField source="aggregateType" sortable={false} />
    <TextField source="aggregateId" sortable={false} />
    <TextField source="actor" sortable={false} />
  </Datagrid>
);
