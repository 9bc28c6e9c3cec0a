/**
 * Each tranche's cap table: who holds its token (from the chain), with the holder's investor when
 * the wallet is one an investor proved, the balance in the deal's currency and the share of the
 * tokens in circulation. Read only when the tab is opened (it asks the chain).
 */
import { Alert, Box, Typography } from '@mui/material';
import {
  ArrayField,
  Datagrid,
  FunctionField,
  Link,
  Loading,
  RecordContextProvider,
  ReferenceManyField,
  TextField,
  useCreatePath,
  useListContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { formatShare } from '../investors/holdings';
import { MoneyField } from './MoneyField';

const Holder = ({ holding }: { holding: RaRecord }) => {
  const translate = useTranslate();
  const createPath = useCreatePath();
  if (typeof holding.investorId !== 'string' || holding.investorId === '')
    return <span>{translate('tranche.investors.cap_table.unknown_holder')}</span>;
  return (
    <Link to={createPath({ resource: 'investors', id: holding.investorId, type: 'show' })}>
      {String(holding.investorName ?? holding.investorId)}
    </Link>
  );
};

const TrancheCapTables = () => {
  const translate = useTranslate();
  const { data, isPending, error } = useListContext();
  if (isPending) return <Loading />;
  if (error) return <Alert severity="error">{translate('tranche.investors.cap_table.failed')}</Alert>;
  return (
    <>
      {(data ?? []).map((tranche) => (
        <Box key={String(tranche.id)} sx={{ mb: 3 }}>
          <Typography variant="subtitle1">
            {translate('tranche.investors.cap_table.title', { tranche: String(tranche.name) })}
          </Typography>
          <RecordContextProvider value={tranche}>
            <ArrayField source="capTable">
              <Datagrid
                bulkActionButtons={false}
                rowClick={false}
                aria-label={translate('tranche.investors.cap_table.title', { tranche: String(tranche.name) })}
                empty={
                  <Typography variant="body2">{translate('tranche.investors.cap_table.empty')}</Typography>
                }
              >
                <FunctionField
                  label="tranche.investors.cap_table.holder"
                  render={(h: RaRecord) => <Holder holding={h} />}
                />
                <TextField
                  source="wallet"
                  label="tranche.investors.cap_table.wallet"
                  sx={{ fontFamily: 'monospace' }}
                />
                <MoneyField
                  source="balance"
                  currency={typeof tranche.currency === 'string' ? tranche.currency : undefined}
                  label="tranche.investors.holdings.balance"
                  textAlign="right"
                />
                <FunctionField
                  label="tranche.investors.holdings.share"
                  textAlign="right"
                  render={(h: RaRecord) => formatShare(h.share)}
                />
              </Datagrid>
            </ArrayField>
          </RecordContextProvider>
        </Box>
      ))}
    </>
  );
};

/** The cap tables of the deal in the record context, one per tranche, most senior first. */
export const CapTables = () => (
  <ReferenceManyField reference="capTables" target="dealId" perPage={100} label={false}>
    <TrancheCapTables />
  </ReferenceManyField>
);
