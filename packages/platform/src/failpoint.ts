/**
 * Crash points for fault tests: `failpoint('payout:after-fund')` kills this process at once
 * (SIGKILL: no cleanup, no graceful shutdown, as a power cut or an OOM kill would) when the
 * environment variable TRANCHE_FAILPOINTS lists the name (comma-separated). Tests restart the
 * service without it and check that the interrupted job finishes with nothing done twice. Never
 * honoured when NODE_ENV is `production`.
 */
export function failpoint(name: string): void {
  const points = process.env.TRANCHE_FAILPOINTS;
  if (!points || process.env.NODE_ENV === 'production') return;
  if (points.split(',').some((p) => p.trim() === name)) process.kill(process.pid, 'SIGKILL');
}
