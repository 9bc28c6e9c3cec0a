import { Alert, Box, Button, Stack, Typography } from '@mui/material';
import { resultDigestOf, sha256Hex } from '@tranche/verify';
import { useState } from 'react';
import { useDataProvider } from 'react-admin';
import { onChainDealIdOf } from './dealId';
import type { AuditReportCalls, AuditReportState } from './reportProvider';
import type { VerificationRun } from './verification';
import type { BundleSource } from './VerifyPanel';
import { browserWallet, signReport } from './wallet';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The report attestation: the auditor signs the verification result (the bundle's SHA-256, the
 * digest of every check, the verdict) with their own wallet (EIP-712); the platform records the
 * signature in the audit chain and, by a job, in AuditReportRegistry on-chain. Shown to signed-in
 * auditors under a finished verification.
 */
export const AttestReport = ({
  run,
  source,
  bundleId,
}: {
  run: VerificationRun;
  source: BundleSource;
  bundleId: string | null;
}) => {
  const dataProvider = useDataProvider<ReturnType<typeof useDataProvider> & AuditReportCalls>();
  const [state, setState] = useState<AuditReportState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const manifest = run.report.manifest;
  if (!manifest) return null;

  const attest = async () => {
    setBusy(true);
    setError(null);
    try {
      const wallet = browserWallet();
      if (!wallet) throw new Error('This browser has no wallet (EIP-1193): install one to sign the result.');
      const domain = await dataProvider.auditReportDomain();
      const verifiedAt = Math.floor(Date.now() / 1000);
      const checks = run.report.checks;
      const message = {
        dealId: onChainDealIdOf(manifest.dealId),
        bundleSha256: `0x${sha256Hex(source.bytes)}`,
        resultDigest: resultDigestOf(checks),
        verified: run.report.ok,
        verifiedAt,
      };
      const { auditor, signature } = await signReport(wallet, domain, message);
      let current = await dataProvider.attestAuditReport({
        dealId: manifest.dealId,
        bundleId,
        bundleSha256: message.bundleSha256,
        resultDigest: message.resultDigest,
        verified: message.verified,
        checksPassed: checks.filter((c) => c.status === 'PASS').length,
        checksFailed: checks.filter((c) => c.status === 'FAIL').length,
        verifiedAt: new Date(verifiedAt * 1000).toISOString(),
        auditor,
        signature,
      });
      setState(current);
      for (let i = 0; i < 120 && current.status === 'SUBMITTED'; i++) {
        await sleep(1000);
        current = (await dataProvider.auditReportState(current.id)) ?? current;
        setState(current);
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="section" aria-label="Report attestation" sx={{ mt: 3 }}>
      <Typography variant="h6" component="h2">
        Report attestation
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Sign this result with your wallet: the bundle's SHA-256, the digest of every check above and the
        verdict. The signature is recorded in the audit chain and on-chain in AuditReportRegistry.
      </Typography>
      <Stack direction="row" spacing={2} alignItems="center">
        <Button variant="outlined" disabled={busy || state !== null} onClick={() => void attest()}>
          Sign the result with your wallet
        </Button>
        {state ? (
          <Typography data-testid="report-status" data-status={state.status}>
            {state.status === 'RECORDED'
              ? `Recorded on-chain (transaction ${state.txHash ?? '—'})`
              : state.status === 'FAILED'
                ? `Not recorded: ${state.error ?? 'unknown error'}`
                : 'Signed; being recorded on-chain…'}
          </Typography>
        ) : null}
      </Stack>
      {error ? (
        <Alert severity="error" sx={{ mt: 1 }}>
          {error}
        </Alert>
      ) : null}
    </Box>
  );
};
