/** The statuses of a servicer report's distribution (`PayoutStatus`), in the order it moves. */
export const PAYOUT_STATUSES = [
  'PROPOSED',
  'PENDING',
  'APPROVED',
  'EXECUTED',
  'RECONCILED',
  'FAILED',
  'CANCELLED',
] as const;

export const payoutStatusChoices = PAYOUT_STATUSES.map((id) => ({
  id,
  name: `tranche.distributions.status.${id}`,
}));

type Tone = 'success' | 'warning' | 'error' | 'info' | 'default';

/** The colour of a status chip: what, if anything, someone must do about it. */
export const PAYOUT_STATUS_TONE: Readonly<Record<string, Tone>> = {
  PROPOSED: 'default',
  PENDING: 'warning',
  APPROVED: 'info',
  EXECUTED: 'warning',
  RECONCILED: 'success',
  FAILED: 'error',
  CANCELLED: 'default',
};

/** Statuses a preview may run in (again): a new record block replaces the earlier preview. */
export const PREVIEWABLE: readonly string[] = ['PROPOSED', 'PENDING'];
/** Statuses whose payouts the chain has been asked to pay: reconciling again makes sense. */
export const RECONCILABLE: readonly string[] = ['EXECUTED', 'RECONCILED'];
/** Statuses in which the execution job is working: the page follows it. */
export const EXECUTING: readonly string[] = ['APPROVED'];
