import { Interface, ZeroAddress } from 'ethers';

import { type ComplianceModules, completeComplianceModules } from './compliance-modules.js';
import {
  ClaimIssuer__factory,
  ClaimTopicsRegistry__factory,
  CountryRestrictModule__factory,
  IdentityRegistryStorage__factory,
  IdentityRegistry__factory,
  LockUpModule__factory,
  MaxBalanceModule__factory,
  ModularCompliance__factory,
  SupplyLimitModule__factory,
  Token__factory,
  TrustedIssuersRegistry__factory,
} from './contracts.js';
import { type DeployVia, type Deployment, asDeployment } from './deployment.js';

/** Countries restricted per call (T-REX's CountryRestrictModule refuses 195 or more at once). */
const COUNTRY_BATCH = 150;

/** ONCHAINID claim topics the platform issues (its own numbering, registered in each deal's ClaimTopicsRegistry). */
export const CLAIM_TOPICS = { KYC: 1n, ACCREDITATION: 2n, JURISDICTION: 3n } as const;

/** One tranche of a deal and the compliance rules of its token. */
export interface TrancheSpec {
  name: string;
  symbol: string;
  /** token decimals (default 0: one token per note of the tranche's denomination) */
  decimals?: number;
  /** unix seconds before which tokens received at issuance cannot move (Reg D / Reg S); 0/absent = none */
  lockUpEnd?: bigint;
  /** max balance per investor identity, in token units; absent = no limit */
  maxBalance?: bigint;
  /** max total supply, in token units; absent = no limit */
  supplyLimit?: bigint;
}

export interface DealSuiteParams {
  /** the deal's bytes32 id (the platform's deal UUID, left-padded) — recorded for the caller's reference */
  dealId: string;
  tranches: TrancheSpec[];
  /** address of the platform's compliance key: management key of the deal's trusted ClaimIssuer */
  complianceKey: string;
  /** claim topics an investor must hold (default KYC and ACCREDITATION) */
  claimTopics?: bigint[];
  /** ISO-3166 numeric country codes whose residents may not receive the tokens */
  restrictedCountries?: number[];
  /** extra agents of the identity registry and the tokens (the deployer is always one) */
  agents?: string[];
  /** reuse already deployed module singletons; missing ones are deployed */
  modules?: Partial<ComplianceModules>;
  /**
   * hand ownership of every suite contract (tokens, compliances, registries) to this address at the
   * end, e.g. the platform timelock; the deployer stays an agent (mint, freeze, register identities)
   */
  owner?: string;
}

export interface DeployedTranche {
  symbol: string;
  token: string;
  compliance: string;
}

/** Addresses of a deal's ERC-3643 suite: one identity registry shared by one token per tranche. */
export interface DealSuite {
  dealId: string;
  identityRegistry: string;
  identityRegistryStorage: string;
  claimTopicsRegistry: string;
  trustedIssuersRegistry: string;
  claimIssuer: string;
  modules: ComplianceModules;
  tranches: DeployedTranche[];
  /** block of the last deployment transaction */
  blockNumber: number;
}

interface Registries {
  claimTopicsRegistry: string;
  trustedIssuersRegistry: string;
  identityRegistryStorage: string;
  identityRegistry: string;
}

/** Any of the suite's T-REX contracts: all are Ownable (OpenZeppelin upgradeable). */
const OWNABLE = new Interface(['function transferOwnership(address newOwner)']);

/**
 * Step 1, the registries: deploys the ClaimTopicsRegistry, TrustedIssuersRegistry, IdentityRegistryStorage
 * and IdentityRegistry, initialises and wires them, requires `topics` and makes `agents` registry agents.
 */
async function deployRegistries(d: Deployment, topics: bigint[], agents: string[]): Promise<Registries> {
  const claimTopicsRegistry = (
    await d.create('claim-topics-registry', new ClaimTopicsRegistry__factory().getDeployTransaction())
  ).address;
  const trustedIssuersRegistry = (
    await d.create('trusted-issuers-registry', new TrustedIssuersRegistry__factory().getDeployTransaction())
  ).address;
  const identityRegistryStorage = (
    await d.create('identity-registry-storage', new IdentityRegistryStorage__factory().getDeployTransaction())
  ).address;
  const identityRegistry = (
    await d.create('identity-registry', new IdentityRegistry__factory().getDeployTransaction())
  ).address;
  const ctr = ClaimTopicsRegistry__factory.connect(claimTopicsRegistry);
  const tir = TrustedIssuersRegistry__factory.connect(trustedIssuersRegistry);
  const irs = IdentityRegistryStorage__factory.connect(identityRegistryStorage);
  const ir = IdentityRegistry__factory.connect(identityRegistry);
  await d.call('claim-topics-registry:init', ctr.init.populateTransaction());
  await d.call('trusted-issuers-registry:init', tir.init.populateTransaction());
  await d.call('identity-registry-storage:init', irs.init.populateTransaction());
  await d.call(
    'identity-registry:init',
    ir.init.populateTransaction(trustedIssuersRegistry, claimTopicsRegistry, identityRegistryStorage),
  );
  await d.call(
    'identity-registry-storage:bind',
    irs.bindIdentityRegistry.populateTransaction(identityRegistry),
  );
  for (const topic of topics) {
    await d.call(
      `claim-topics-registry:topic:${topic.toString()}`,
      ctr.addClaimTopic.populateTransaction(topic),
    );
  }
  for (const agent of agents) {
    await d.call(`identity-registry:agent:${agent}`, ir.addAgent.populateTransaction(agent));
  }
  return { claimTopicsRegistry, trustedIssuersRegistry, identityRegistryStorage, identityRegistry };
}

/**
 * Step 2, the claim issuer: deploys the deal's ClaimIssuer, managed by the platform's compliance key,
 * and trusts it for `topics` in the TrustedIssuersRegistry.
 */
async function deployClaimIssuer(
  d: Deployment,
  registries: Registries,
  complianceKey: string,
  topics: bigint[],
): Promise<string> {
  const issuer = (
    await d.create('claim-issuer', new ClaimIssuer__factory().getDeployTransaction(complianceKey))
  ).address;
  const tir = TrustedIssuersRegistry__factory.connect(registries.trustedIssuersRegistry);
  await d.call('trusted-issuers-registry:issuer', tir.addTrustedIssuer.populateTransaction(issuer, topics));
  return issuer;
}

/** Adds `module` to a tranche's compliance and, with `setting`, configures it through the compliance. */
async function bindModule(
  d: Deployment,
  compliance: string,
  name: string,
  module: string,
  setting?: string,
): Promise<void> {
  const c = ModularCompliance__factory.connect(compliance);
  await d.call(`compliance:module:${name}`, c.addModule.populateTransaction(module));
  if (setting !== undefined) {
    await d.call(
      `compliance:module:${name}:configure`,
      c.callModuleFunction.populateTransaction(setting, module),
    );
  }
}

/** Binds the tranche's rules: country restriction always, max balance / supply / lock-up when set. */
async function bindComplianceRules(
  d: Deployment,
  compliance: string,
  spec: TrancheSpec,
  modules: ComplianceModules,
  restrictedCountries: number[],
): Promise<void> {
  // T-REX's CountryRestrictModule takes fewer than 195 countries per call: an allow-list's
  // complement (~240 countries) is restricted in batches, each its own keyed step.
  const country = CountryRestrictModule__factory.createInterface();
  const batches: number[][] = [];
  for (let i = 0; i < restrictedCountries.length; i += COUNTRY_BATCH) {
    batches.push(restrictedCountries.slice(i, i + COUNTRY_BATCH));
  }
  await bindModule(
    d,
    compliance,
    'country-restrict',
    modules.countryRestrict,
    batches[0] ? country.encodeFunctionData('batchRestrictCountries', [batches[0]]) : undefined,
  );
  const c = ModularCompliance__factory.connect(compliance);
  for (let i = 1; i < batches.length; i += 1) {
    await d.call(
      `compliance:module:country-restrict:configure:${i}`,
      c.callModuleFunction.populateTransaction(
        country.encodeFunctionData('batchRestrictCountries', [batches[i]!]),
        modules.countryRestrict,
      ),
    );
  }
  if (spec.maxBalance !== undefined) {
    const data = MaxBalanceModule__factory.createInterface().encodeFunctionData('setMaxBalance', [
      spec.maxBalance,
    ]);
    await bindModule(d, compliance, 'max-balance', modules.maxBalance, data);
  }
  if (spec.supplyLimit !== undefined) {
    const data = SupplyLimitModule__factory.createInterface().encodeFunctionData('setSupplyLimit', [
      spec.supplyLimit,
    ]);
    await bindModule(d, compliance, 'supply-limit', modules.supplyLimit, data);
  }
  if (spec.lockUpEnd !== undefined && spec.lockUpEnd > 0n) {
    const data = LockUpModule__factory.createInterface().encodeFunctionData('setLockUpEnd', [spec.lockUpEnd]);
    await bindModule(d, compliance, 'lock-up', modules.lockUp, data);
  }
}

/**
 * Step 3, one tranche (`d` scoped to `tranche:<symbol>`): its ModularCompliance, then its Token bound
 * to the identity registry and the compliance, the compliance rules, the agents, and the unpause.
 */
async function deployTranche(
  d: Deployment,
  spec: TrancheSpec,
  identityRegistry: string,
  modules: ComplianceModules,
  restrictedCountries: number[],
  agents: string[],
): Promise<DeployedTranche> {
  const compliance = (await d.create('compliance', new ModularCompliance__factory().getDeployTransaction()))
    .address;
  await d.call('compliance:init', ModularCompliance__factory.connect(compliance).init.populateTransaction());
  // The token binds the compliance in init; non plug-and-play modules (max balance) need it bound first.
  const token = (await d.create('token', new Token__factory().getDeployTransaction())).address;
  const t = Token__factory.connect(token);
  await d.call(
    'token:init',
    t.init.populateTransaction(
      identityRegistry,
      compliance,
      spec.name,
      spec.symbol,
      spec.decimals ?? 0,
      ZeroAddress,
    ),
  );
  await bindComplianceRules(d, compliance, spec, modules, restrictedCountries);
  for (const agent of agents) await d.call(`token:agent:${agent}`, t.addAgent.populateTransaction(agent));
  // The token re-registers a recovered wallet in the identity registry (T-REX `recoveryAddress`),
  // so it is an agent of the registry, as T-REX's own factory makes it.
  await d.call(
    'identity-registry:agent:token',
    IdentityRegistry__factory.connect(identityRegistry).addAgent.populateTransaction(token),
  );
  await d.call('token:unpause', t.unpause.populateTransaction());
  return { symbol: spec.symbol, token, compliance };
}

/** Step 4, ownership hand-over: every registry, token and compliance of the suite to `owner`. */
async function handOverOwnership(
  d: Deployment,
  owner: string,
  registries: Registries,
  tranches: DeployedTranche[],
): Promise<void> {
  const owned: [step: string, address: string][] = [
    ['claim-topics-registry', registries.claimTopicsRegistry],
    ['trusted-issuers-registry', registries.trustedIssuersRegistry],
    ['identity-registry-storage', registries.identityRegistryStorage],
    ['identity-registry', registries.identityRegistry],
  ];
  for (const t of tranches) {
    owned.push([`tranche:${t.symbol}:token`, t.token], [`tranche:${t.symbol}:compliance`, t.compliance]);
  }
  const data = OWNABLE.encodeFunctionData('transferOwnership', [owner]);
  for (const [step, to] of owned) await d.call(`ownership:${step}`, { to, data });
}

/**
 * Deploys a deal's ERC-3643 (T-REX) suite at issuance: a ClaimTopicsRegistry requiring `claimTopics`,
 * a TrustedIssuersRegistry trusting a ClaimIssuer managed by the platform's compliance key, one
 * IdentityRegistry (with its storage) shared by every tranche, and per tranche a T-REX Token with its
 * own ModularCompliance bound to the country-restriction, max-balance, supply-limit and lock-up modules.
 * The sender becomes owner and agent of everything and the tokens are unpaused, ready to mint; with
 * `owner`, ownership then moves to it.
 *
 * Every transaction is one keyed step: with a Deployment, keys are `<its prefix>:<step>` (e.g.
 * `deal:<dealId>:suite:tranche:A:token`), so re-running with the same store and prefix after a crash
 * resumes without deploying anything twice; with a signer, a one-shot run under `deal:<dealId>:suite`.
 * T-REX contracts are deployed from the artifacts `@tokenysolutions/t-rex` ships (solc 0.8.17), used
 * directly rather than behind T-REX's upgrade proxies. Throws if any transaction reverts.
 */
export async function deployDealSuite(via: DeployVia, params: DealSuiteParams): Promise<DealSuite> {
  if (params.tranches.length === 0) throw new Error('deployDealSuite: at least one tranche is required');
  const symbols = params.tranches.map((t) => t.symbol);
  if (new Set(symbols).size !== symbols.length) {
    throw new Error(
      `deployDealSuite: tranche symbols must be unique (they key the steps): ${symbols.join(', ')}`,
    );
  }
  const d = asDeployment(via, `deal:${params.dealId}:suite`);
  const deployer = await d.signer.getAddress();
  const topics = params.claimTopics ?? [CLAIM_TOPICS.KYC, CLAIM_TOPICS.ACCREDITATION];
  const agents = [...new Set([deployer, ...(params.agents ?? [])])];
  const modules = await completeComplianceModules(d.scope('modules'), params.modules);

  const registries = await deployRegistries(d, topics, agents);
  const claimIssuer = await deployClaimIssuer(d, registries, params.complianceKey, topics);
  const tranches: DeployedTranche[] = [];
  for (const spec of params.tranches) {
    tranches.push(
      await deployTranche(
        d.scope(`tranche:${spec.symbol}`),
        spec,
        registries.identityRegistry,
        modules,
        params.restrictedCountries ?? [],
        agents,
      ),
    );
  }
  if (params.owner !== undefined && params.owner.toLowerCase() !== deployer.toLowerCase()) {
    await handOverOwnership(d, params.owner, registries, tranches);
  }
  return {
    dealId: params.dealId,
    ...registries,
    claimIssuer,
    modules,
    tranches,
    blockNumber: d.lastBlockNumber,
  };
}
