import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { payoutRoot } from '@tranche/chain';
import { runActualPeriod, type ActualPeriodResult, type ClassPeriod } from '@tranche/engine';
import { canonicalJson } from '@tranche/platform';
import { keccak256, toUtf8Bytes, ZeroHash } from 'ethers';

/** Stablecoin decimals (USDC-like): what the payouts are in. */
export const STABLECOIN_DECIMALS = 6;

/** The engine's version (its package's), recorded with every run. */
export const ENGINE_VERSION: string = (() => {
  const entry = fileURLToPath(import.meta.resolve('@tranche/engine'));
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
})();

/** What the waterfall pays a class in cash this period (interest incl. cap carryover, write-down reimbursement, principal). */
export function classCash(c: ClassPeriod): bigint {
  return c.interestPaid + c.writedownReimbursed + c.principalPaid;
}

/** Minor units of the deal currency (`minorDigits`) in stablecoin units; exact (the stablecoin has more digits). */
export function toStablecoin(minor: bigint, minorDigits: number): bigint {
  if (minorDigits > STABLECOIN_DECIMALS)
    throw new Error(`a currency with ${minorDigits} minor digits cannot be paid exactly`);
  return minor * 10n ** BigInt(STABLECOIN_DECIMALS - minorDigits);
}

/** A holder's balance of a tranche token at the record block. */
export interface HolderBalance {
  account: string;
  balance: bigint;
  /**
   * Verified in the token's identity registry and not frozen at the record block (default true).
   * An ineligible holder's share is withheld: it stays with the treasury.
   */
  eligible?: boolean;
}

/**
 * Splits `cash` (stablecoin units) among holders pro rata to their balances: each eligible holder
 * gets floor(cash × balance / supply) — never more than their share — and the remainder (the
 * rounding, less than one unit per holder, and the shares of holders not eligible at the record
 * block) stays with the treasury. Holders are ordered by address so the leaves, and so the
 * root, do not depend on the order they were read in.
 */
export function splitProRata(cash: bigint, holders: HolderBalance[]): { account: string; amount: bigint }[] {
  const live = holders.filter((h) => h.balance > 0n);
  const supply = live.reduce((s, h) => s + h.balance, 0n);
  if (supply === 0n) return [];
  // shares are of the whole supply; an ineligible holder's share is withheld, not spread over the rest
  return [...live.filter((h) => h.eligible !== false)]
    .sort((a, b) => (a.account.toLowerCase() < b.account.toLowerCase() ? -1 : 1))
    .map((h) => ({ account: h.account, amount: (cash * h.balance) / supply }));
}

/** The inputs of one period's run: what the oracles recompute from. */
export interface RunInputs {
  rules: string;
  /** The state after the previous executed period (JSON), or null before the first. */
  state: string | null;
  /** The servicer report (JSON). */
  report: string;
}

/** SHA-256 of a run's inputs in canonical form. */
export function inputSha256(inputs: RunInputs): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        rules: JSON.parse(inputs.rules) as unknown,
        state: inputs.state === null ? null : (JSON.parse(inputs.state) as unknown),
        report: JSON.parse(inputs.report) as unknown,
      }),
    )
    .digest('hex');
}

/** Runs the period (throws the engine's EngineInputError / ConservationError). */
export function runPeriod(inputs: RunInputs): ActualPeriodResult {
  return runActualPeriod({
    rules: inputs.rules,
    state: inputs.state === null ? undefined : (JSON.parse(inputs.state) as never),
    report: JSON.parse(inputs.report) as never,
  });
}

/** One tranche's payout as the run and the record block make it. */
export interface TrancheTree {
  classId: string;
  classCash: bigint;
  cash: bigint;
  /** The root and total of the leaves `(index, account, amount)`, index = position in `payouts`. */
  tree: { root: string; total: bigint };
  payouts: { account: string; amount: bigint }[];
  remainder: bigint;
}

/**
 * The payouts of a class: its cash from the run, in stablecoin units, split among the token's
 * holders at the record block; the root the claims are proven against (the proofs are built when
 * the claims are pushed, from the same leaves).
 */
export function trancheTree(
  run: ActualPeriodResult,
  classId: string,
  minorDigits: number,
  holders: HolderBalance[],
): TrancheTree {
  const row = run.classes.find((c) => c.classId === classId);
  if (!row) throw new Error(`the rule document has no class ${classId}`);
  const minor = classCash(row);
  const cash = toStablecoin(minor, minorDigits);
  const payouts = splitProRata(cash, holders);
  // nobody holds the token: nothing is paid (the class's cash stays with the treasury)
  const tree = payouts.length ? payoutRoot(payouts) : { root: ZeroHash, total: 0n };
  return { classId, classCash: minor, cash, tree, payouts, remainder: cash - tree.total };
}

/** The on-chain id of a tranche's distribution for a report: bytes32, stable across re-runs. */
export function distributionIdOf(reportId: string, trancheId: string): string {
  return keccak256(toUtf8Bytes(`tranche:distribution:${reportId}:${trancheId}`));
}
