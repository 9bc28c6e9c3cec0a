import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CircularProgress,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import type { BundleCheck, CheckSection } from '@tranche/verify';
import { useCallback, useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { runVerification, type VerificationRun } from './verification';

/** A bundle to verify: its bytes and where they came from (a file name, a link). */
export interface BundleSource {
  name: string;
  bytes: Uint8Array;
}

interface VerifyPanelProps {
  /** The endpoint the chain is read from unless the auditor names another. */
  defaultRpcUrl: string | null;
  /** A bundle already at hand (downloaded for a signed-in auditor); verified at once. */
  initial?: BundleSource | null;
  /** Shown while `initial` is being fetched. */
  loading?: string | null;
  /** Why `initial` could not be fetched. */
  loadError?: string | null;
  /** What follows a finished verification (the back office: signing the result). */
  after?: (run: VerificationRun, source: BundleSource) => ReactNode;
}

const SECTIONS: readonly { id: CheckSection; title: string }[] = [
  { id: 'bundle', title: 'Bundle and signature' },
  { id: 'audit chain', title: 'Audit chain: events, links and inclusion proofs' },
  { id: 'anchors', title: 'Anchors on-chain (AuditAnchor)' },
  { id: 'attestations', title: 'Pool attestations: proofs, anchored roots, on-chain records' },
  { id: 'distributions', title: 'Distributions: engine against on-chain payouts' },
];

const MARK: Record<BundleCheck['status'], { glyph: string; color: string; label: string }> = {
  PASS: { glyph: '✓', color: 'success.main', label: 'passed' },
  FAIL: { glyph: '✗', color: 'error.main', label: 'failed' },
  WARN: { glyph: '!', color: 'warning.main', label: 'warning' },
  SKIP: { glyph: '–', color: 'text.secondary', label: 'not checked' },
};

const ms = (value: number | undefined) => `${Math.round(value ?? 0)} ms`;

/**
 * The auditor's verification: pick an audit bundle (or get one handed over), name the JSON-RPC
 * endpoint to read the chain from, and see every check of the bundle with ✓ or ✗ and its reason,
 * grouped as the evidence is: the bundle, the audit chain, its anchors, pool attestations and
 * distributions. All of it runs in this browser (see `verification.ts`).
 */
export const VerifyPanel = ({
  defaultRpcUrl,
  initial = null,
  loading = null,
  loadError = null,
  after,
}: VerifyPanelProps) => {
  const [source, setSource] = useState<BundleSource | null>(initial);
  const [rpcUrl, setRpcUrl] = useState(defaultRpcUrl ?? '');
  const [signer, setSigner] = useState('');
  const [run, setRun] = useState<VerificationRun | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const started = useRef<BundleSource | null>(null);

  const verify = useCallback(
    async (bundle: BundleSource) => {
      setBusy(true);
      setError(null);
      setRun(null);
      try {
        setRun(await runVerification(bundle.bytes, rpcUrl.trim() || null, signer.trim() || null));
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      } finally {
        setBusy(false);
      }
    },
    [rpcUrl, signer],
  );

  useEffect(() => {
    if (initial && started.current !== initial) {
      started.current = initial;
      setSource(initial);
      void verify(initial);
    }
  }, [initial, verify]);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const bundle = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
    setSource(bundle);
    setRun(null);
  };

  const failed = run?.report.checks.filter((c) => c.status === 'FAIL').length ?? 0;
  return (
    <Card>
      <CardContent>
        <Typography variant="h5" component="h1" gutterBottom>
          Verify an audit bundle
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Every check runs in this browser: the audit chain is recomputed, each event's inclusion proof is
          checked against its anchor, pool-attestation proofs are verified with snarkjs, and anchors,
          attestations and payouts are read from the chain at the endpoint below. Nothing is taken from the
          platform's servers.
        </Typography>
        <Stack spacing={2} sx={{ maxWidth: 720 }}>
          <Box>
            <Button variant="outlined" component="label">
              Choose a bundle (.tar.gz)
              <input
                hidden
                type="file"
                accept=".tar.gz,.tgz,application/gzip"
                aria-label="Audit bundle"
                onChange={onFile}
              />
            </Button>
            <Typography component="span" variant="body2" sx={{ ml: 2 }} data-testid="bundle-name">
              {source
                ? `${source.name} (${source.bytes.length.toLocaleString('en-US')} bytes)`
                : 'no bundle chosen'}
            </Typography>
          </Box>
          <TextField
            label="Chain JSON-RPC endpoint"
            value={rpcUrl}
            onChange={(e) => setRpcUrl(e.target.value)}
            helperText="Any endpoint of the chain the anchors are on (yours, not only ours). Empty: the chain is not read."
            size="small"
          />
          <TextField
            label="Expected signer (optional)"
            value={signer}
            onChange={(e) => setSigner(e.target.value)}
            helperText="The platform key you trust; without it the signer must hold OPERATOR_ROLE on AuditAnchor."
            size="small"
          />
          <Box>
            <Button
              variant="contained"
              disabled={!source || busy}
              onClick={() => source && void verify(source)}
            >
              Verify
            </Button>
          </Box>
        </Stack>
        {loading ? (
          <Alert severity="info" sx={{ mt: 2 }}>
            {loading}
          </Alert>
        ) : null}
        {loadError ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            {loadError}
          </Alert>
        ) : null}
        {busy ? (
          <Stack direction="row" spacing={1} alignItems="center" sx={{ mt: 2 }}>
            <CircularProgress size={20} />
            <Typography>Verifying…</Typography>
          </Stack>
        ) : null}
        {error ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        ) : null}
        {run ? <Results run={run} failed={failed} /> : null}
        {run && source && after ? after(run, source) : null}
      </CardContent>
    </Card>
  );
};

const Results = ({ run, failed }: { run: VerificationRun; failed: number }) => {
  const { report } = run;
  const t = report.timings;
  return (
    <Box sx={{ mt: 3 }} data-testid="verification-result" data-ok={String(report.ok)}>
      <Alert severity={report.ok ? 'success' : 'error'}>
        {report.ok
          ? `Verified: all ${report.checks.filter((c) => c.status === 'PASS').length} checks passed`
          : `Not verified: ${failed} ${failed === 1 ? 'check' : 'checks'} failed`}
        {run.rpcUrl ? ` (chain read at ${run.rpcUrl})` : ' (the chain was not read)'}
      </Alert>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }} data-testid="verification-timing">
        {`${report.counts.events} events and ${report.counts.proofs} inclusion proofs in ${ms(t['audit chain'])}; ${report.counts.attestations} attestation proofs in ${ms(t.attestations)}; anchors ${ms(t.anchors)}; distributions ${ms(t.distributions)}; ${ms(run.elapsedMs)} in all`}
      </Typography>
      {SECTIONS.map(({ id, title }) => {
        const checks = report.checks.filter((c) => c.section === id);
        if (!checks.length) return null;
        return (
          <Box key={id} component="section" aria-label={title} sx={{ mt: 2 }}>
            <Typography variant="h6" component="h2">
              {title}
            </Typography>
            <List dense disablePadding>
              {checks.map((check, i) => (
                <ListItem
                  key={`${check.name}-${i}`}
                  data-status={check.status}
                  data-check={check.name}
                  disableGutters
                >
                  <ListItemIcon sx={{ minWidth: 28, color: MARK[check.status].color, fontWeight: 700 }}>
                    <span aria-label={MARK[check.status].label}>{MARK[check.status].glyph}</span>
                  </ListItemIcon>
                  <ListItemText primary={check.name} secondary={check.detail} />
                </ListItem>
              ))}
            </List>
          </Box>
        );
      })}
    </Box>
  );
};
