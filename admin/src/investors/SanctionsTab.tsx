/**
 * An investor against the sanctions list: the status, "Screen now", the review of a BLOCKED
 * investor's potential match, and every screening with the names that matched.
 */
import { Box, Button, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import {
  Datagrid,
  DateField,
  FunctionField,
  Labeled,
  NumberField,
  ReferenceManyField,
  TextField,
  useCanAccess,
  useCreate,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { SanctionsBadge } from './badges';
import { SanctionsReviewDialog } from './SanctionsReviewDialog';

/** The matched names of a screening, best first: `name (kind, score)`. */
export const describeMatches = (matches: unknown): string =>
  Array.isArray(matches) && matches.length
    ? matches
        .map((m: RaRecord) => `${String(m.name)} (${String(m.kind)}, ${Number(m.score).toFixed(2)})`)
        .join('; ')
    : '—';

const ScreenNowButton = ({ investorId }: { investorId: string }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [create, { isPending }] = useCreate();
  const screen = () =>
    create(
      'sanctionsScreenings',
      { data: { investorId } },
      {
        onSuccess: (screening: RaRecord) => {
          notify(`tranche.investors.sanctions.screened.${String(screening.status)}`, { type: 'info' });
          refresh();
        },
        onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
      },
    );
  return (
    <Button variant="contained" disabled={isPending} onClick={screen}>
      {translate('tranche.investors.sanctions.screen')}
    </Button>
  );
};

/** The sanctions tab of the investor page. */
export const SanctionsTab = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const refresh = useRefresh();
  const { canAccess: canOnboard } = useCanAccess({ resource: 'investors', action: 'edit' });
  const [reviewing, setReviewing] = useState(false);
  if (!record) return null;
  const investorId = String(record.id);
  return (
    <Box>
      <Labeled source="sanctionsStatus">
        <SanctionsBadge />
      </Labeled>
      {canOnboard ? (
        <Stack direction="row" spacing={1} sx={{ my: 2 }}>
          <ScreenNowButton investorId={investorId} />
          {record.sanctionsStatus === 'BLOCKED' ? (
            <Button variant="outlined" color="warning" onClick={() => setReviewing(true)}>
              {translate('tranche.investors.sanctions.review')}
            </Button>
          ) : null}
        </Stack>
      ) : null}
      {reviewing ? (
        <SanctionsReviewDialog
          investorId={investorId}
          onClose={() => setReviewing(false)}
          onReviewed={() => {
            setReviewing(false);
            refresh();
          }}
        />
      ) : null}
      <Typography variant="subtitle1">{translate('tranche.investors.sanctions.screenings')}</Typography>
      <ReferenceManyField reference="sanctionsScreenings" target="investorId" perPage={100}>
        <Datagrid
          bulkActionButtons={false}
          rowClick={false}
          empty={<Typography variant="body2">{translate('tranche.investors.sanctions.none')}</Typography>}
        >
          <DateField source="screenedAt" showTime />
          <TextField source="status" />
          <TextField source="name" />
          <FunctionField source="matches" render={(s: RaRecord) => describeMatches(s.matches)} />
          <NumberField source="threshold" />
          <TextField source="screenedBy" />
          <FunctionField
            source="listSha256"
            render={(s: RaRecord) => `${String(s.listSha256).slice(0, 12)}…`}
          />
        </Datagrid>
      </ReferenceManyField>
    </Box>
  );
};
