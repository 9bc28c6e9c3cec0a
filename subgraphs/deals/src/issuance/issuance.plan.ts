import {
  CLAIM_TOPICS,
  deployDealSuite,
  onChainDealId,
  type DealSuiteParams,
  type Deployment,
  type Manifest,
} from '@tranche/chain';
import countries from 'i18n-iso-countries';
import type { Deal } from '../deal/deal.entity.js';
import type { Tranche } from '../deal/tranche.entity.js';

/** Token decimals: one token unit is one minor unit of the deal's currency (cents). */
export const TOKEN_DECIMALS = 2;

/** A tranche's token symbol: its name in capitals and digits (unique within the deal). */
export function symbolOf(tranche: Pick<Tranche, 'name' | 'seniority'>, taken: ReadonlySet<string>): string {
  const base =
    tranche.name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 11) || `T${tranche.seniority}`;
  return taken.has(base) ? `${base}${tranche.seniority}` : base;
}

/** The symbols of a deal's tranches, in seniority order. */
export function symbolsOf(tranches: readonly Pick<Tranche, 'name' | 'seniority'>[]): string[] {
  const taken = new Set<string>();
  return tranches.map((t) => {
    const symbol = symbolOf(t, taken);
    taken.add(symbol);
    return symbol;
  });
}

/** ISO 3166-1 numeric codes of every country not in `allowed` (alpha-2): the token's deny-list. */
export function restrictedCountries(allowed: readonly string[]): number[] {
  const allow = new Set(allowed);
  return Object.entries(countries.getNumericCodes())
    .filter(([, alpha2]) => !allow.has(alpha2))
    .map(([numeric]) => Number(numeric))
    .sort((a, b) => a - b);
}

/**
 * The T-REX suite of a deal, from its approved terms: one token per tranche (supply limited to the
 * tranche's face amount in minor units), the lock-up from the issuance date, every country outside
 * the allowed ones restricted, accreditation required when the deal is accredited-only, the
 * platform's key as the claim issuer's manager and agent, and ownership handed to the timelock.
 */
export function suiteParams(
  deal: Deal,
  tranches: readonly Tranche[],
  manifest: Manifest,
  operator: string,
  issuedAt: Date,
): DealSuiteParams {
  const symbols = symbolsOf(tranches);
  const lockUpEnd =
    deal.lockUpDays > 0
      ? BigInt(Math.floor(issuedAt.getTime() / 1000) + deal.lockUpDays * 86_400)
      : undefined;
  const m = manifest.contracts;
  return {
    dealId: onChainDealId(deal.id),
    tranches: tranches.map((t, i) => ({
      name: `${deal.name} ${t.name}`,
      symbol: symbols[i]!,
      decimals: TOKEN_DECIMALS,
      supplyLimit: t.originalBalance,
      ...(lockUpEnd ? { lockUpEnd } : {}),
    })),
    complianceKey: operator,
    claimTopics: deal.accreditedOnly
      ? [CLAIM_TOPICS.KYC, CLAIM_TOPICS.ACCREDITATION, CLAIM_TOPICS.JURISDICTION]
      : [CLAIM_TOPICS.KYC, CLAIM_TOPICS.JURISDICTION],
    restrictedCountries: restrictedCountries(deal.allowedCountries),
    modules: {
      countryRestrict: m.countryRestrictModule.address,
      maxBalance: m.maxBalanceModule.address,
      supplyLimit: m.supplyLimitModule.address,
      lockUp: m.lockUpModule.address,
    },
    owner: m.timelock.address,
  };
}

/**
 * How many transactions the suite takes, by running the deployment against a recorder that sends
 * nothing (the progress bar's denominator; the registration and documents come on top).
 */
export async function countSuiteSteps(params: DealSuiteParams, operator: string): Promise<number> {
  let steps = 0;
  let next = 0;
  const address = () => `0x${(++next).toString(16).padStart(40, '0')}`;
  const recorder = {
    isDeployment: true,
    signer: { getAddress: async () => operator },
    keyPrefix: 'count',
    lastBlockNumber: 0,
    key: (step: string) => step,
    scope: () => recorder,
    create: async () => {
      steps += 1;
      return { address: address(), blockNumber: 0 };
    },
    call: async () => {
      steps += 1;
      return { blockNumber: 0, hash: '0x', gasUsed: 0n };
    },
  };
  await deployDealSuite(recorder as unknown as Deployment, params);
  return steps;
}
