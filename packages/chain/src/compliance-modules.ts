import {
  CountryRestrictModule__factory,
  LockUpModule__factory,
  MaxBalanceModule__factory,
  SupplyLimitModule__factory,
} from './contracts.js';
import { type DeployVia, type Deployment, asDeployment } from './deployment.js';
import type { DeployedContract } from './manifest.js';

/** Shared, stateless-per-compliance module singletons a deal's tokens bind to. */
export interface ComplianceModules {
  countryRestrict: string;
  maxBalance: string;
  supplyLimit: string;
  lockUp: string;
}

export type ComplianceModuleName = keyof ComplianceModules;

/** Step names of the module singletons (`<prefix>:<step>` keys). */
export const MODULE_STEPS: Readonly<Record<ComplianceModuleName, string>> = {
  countryRestrict: 'country-restrict',
  maxBalance: 'max-balance',
  supplyLimit: 'supply-limit',
  lockUp: 'lock-up',
};

const MODULE_NAMES = Object.keys(MODULE_STEPS) as ComplianceModuleName[];

/** The T-REX module factories: upgradeable implementations, each initialised once when used directly. */
const TREX_MODULES = {
  countryRestrict: CountryRestrictModule__factory,
  maxBalance: MaxBalanceModule__factory,
  supplyLimit: SupplyLimitModule__factory,
} as const;

async function deployModule(d: Deployment, name: ComplianceModuleName): Promise<DeployedContract> {
  const step = MODULE_STEPS[name];
  if (name === 'lockUp') return d.create(step, new LockUpModule__factory().getDeployTransaction());
  const factory = TREX_MODULES[name];
  const module = await d.create(step, new factory().getDeployTransaction());
  await d.call(`${step}:initialize`, factory.connect(module.address).initialize.populateTransaction());
  return module;
}

/**
 * Deploys the module singletons missing from `given` (steps `country-restrict`, `max-balance`,
 * `supply-limit`, `lock-up`, plus `<step>:initialize` for T-REX's) and returns every module's address.
 */
export async function completeComplianceModules(
  d: Deployment,
  given: Partial<ComplianceModules> = {},
): Promise<ComplianceModules> {
  const modules: Partial<ComplianceModules> = { ...given };
  for (const name of MODULE_NAMES) modules[name] ??= (await deployModule(d, name)).address;
  return modules as ComplianceModules;
}

/** Deploys all four module singletons through `d`, with their deployment blocks (for the manifest). */
export async function deployComplianceModuleContracts(
  d: Deployment,
): Promise<Record<ComplianceModuleName, DeployedContract>> {
  const deployed: Partial<Record<ComplianceModuleName, DeployedContract>> = {};
  for (const name of MODULE_NAMES) deployed[name] = await deployModule(d, name);
  return deployed as Record<ComplianceModuleName, DeployedContract>;
}

/**
 * Deploys the four compliance module singletons (T-REX country restriction, max balance, supply limit;
 * our lock-up) and initialises T-REX's. With a Deployment, keys are `<its prefix>:<module step>`; with
 * a signer, a one-shot run. Throws if a transaction reverts.
 */
export async function deployComplianceModules(via: DeployVia): Promise<ComplianceModules> {
  return completeComplianceModules(asDeployment(via, 'compliance-modules'));
}
