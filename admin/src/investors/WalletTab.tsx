/**
 * An investor's proven wallet and on-chain identity: the ONCHAINID on each chain, and "Verify",
 * which runs every check the wallet must pass to hold the tenant's tokens (verifyInvestor) and
 * shows each — the `onchain:<token>` ones are the identity as each token's registry sees it
 * (verified, not frozen).
 */
import {
  Alert,
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import {
  ArrayField,
  Datagrid,
  Labeled,
  NumberField,
  TextField,
  useCreate,
  useNotify,
  useRecordContext,
  useTranslate,
} from 'react-admin';

export interface VerificationCheck {
  name: string;
  passed: boolean;
  required: boolean;
  detail: string;
}

export interface Verification {
  verified: boolean;
  missing: string[];
  checks: VerificationCheck[];
}

/** The checks of a verification split into the off-chain credentials and the on-chain identity. */
export const splitChecks = (checks: readonly VerificationCheck[]) => ({
  credentials: checks.filter((c) => !c.name.startsWith('onchain:')),
  onchain: checks.filter((c) => c.name.startsWith('onchain:')),
});

const ChecksTable = ({ title, checks }: { title: string; checks: readonly VerificationCheck[] }) => {
  const translate = useTranslate();
  if (!checks.length) return null;
  return (
    <Box sx={{ my: 2 }}>
      <Typography variant="subtitle1">{translate(title)}</Typography>
      <Table size="small" aria-label={translate(title)}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('tranche.investors.wallet.check')}</TableCell>
            <TableCell>{translate('tranche.investors.wallet.result')}</TableCell>
            <TableCell>{translate('tranche.investors.wallet.required')}</TableCell>
            <TableCell>{translate('tranche.investors.wallet.detail')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {checks.map((c) => (
            <TableRow key={c.name}>
              <TableCell sx={{ fontFamily: 'monospace' }}>{c.name}</TableCell>
              <TableCell
                sx={{ color: c.passed ? 'success.main' : c.required ? 'error.main' : 'text.secondary' }}
              >
                {translate(c.passed ? 'tranche.investors.wallet.passed' : 'tranche.investors.wallet.failed')}
              </TableCell>
              <TableCell>{translate(c.required ? 'ra.boolean.true' : 'ra.boolean.false')}</TableCell>
              <TableCell>{c.detail}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};

const VerifyWallet = ({ address }: { address: string }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [create, { isPending }] = useCreate();
  const [result, setResult] = useState<Verification | null>(null);
  const verify = () =>
    create(
      'investorVerifications',
      { data: { address } },
      {
        onSuccess: (verification) => setResult(verification as unknown as Verification),
        onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
      },
    );
  const { credentials, onchain } = splitChecks(result?.checks ?? []);
  return (
    <Box sx={{ my: 2 }}>
      <Button variant="contained" disabled={isPending} onClick={verify}>
        {translate('tranche.investors.wallet.verify')}
      </Button>
      {result === null ? null : (
        <>
          <Alert severity={result.verified ? 'success' : 'warning'} sx={{ mt: 2 }} data-testid="verification">
            {result.verified
              ? translate('tranche.investors.wallet.verified')
              : translate('tranche.investors.wallet.missing', { missing: result.missing.join(', ') })}
          </Alert>
          <ChecksTable title="tranche.investors.wallet.credential_checks" checks={credentials} />
          <ChecksTable title="tranche.investors.wallet.onchain_checks" checks={onchain} />
        </>
      )}
    </Box>
  );
};

/** The wallets & on-chain identity tab of the investor page. */
export const WalletTab = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  const wallet = typeof record.walletAddress === 'string' ? record.walletAddress : '';
  return (
    <Box>
      <Labeled>
        <TextField source="walletAddress" emptyText="—" sx={{ fontFamily: 'monospace' }} />
      </Labeled>
      <Typography variant="subtitle1" sx={{ mt: 2 }}>
        {translate('tranche.investors.wallet.identities')}
      </Typography>
      <ArrayField source="onchainIdentities">
        <Datagrid
          bulkActionButtons={false}
          rowClick={false}
          empty={<Typography variant="body2">{translate('tranche.investors.wallet.no_identity')}</Typography>}
        >
          <NumberField source="chainId" label="resources.investors.fields.onchainIdentities.chainId" />
          <TextField source="address" label="resources.investors.fields.onchainIdentities.address" />
        </Datagrid>
      </ArrayField>
      {wallet ? (
        <VerifyWallet address={wallet} />
      ) : (
        <Alert severity="info" sx={{ mt: 2 }}>
          {translate('tranche.investors.wallet.none')}
        </Alert>
      )}
    </Box>
  );
};
