// Typed ethers v6 bindings, generated from the build by scripts/generate-bindings.mjs.
export * as platform from './generated/platform/index.js';
export * as trex from './generated/trex/index.js';
export * as onchainid from './generated/onchainid/index.js';
export * as safe from './generated/safe/index.js';
export {
  AuditAnchor__factory,
  AuditReportRegistry__factory,
  DealRegistry__factory,
  DistributionManager__factory,
  EligibilityReader__factory,
  LockUpModule__factory,
  MockStablecoin__factory,
  PlatformTimelock__factory,
} from './generated/platform/index.js';
export type {
  AuditAnchor,
  DealRegistry,
  DistributionManager,
  LockUpModule,
  MockStablecoin,
  PlatformTimelock,
} from './generated/platform/index.js';
export {
  ClaimTopicsRegistry__factory,
  CountryRestrictModule__factory,
  IdentityRegistryStorage__factory,
  IdentityRegistry__factory,
  MaxBalanceModule__factory,
  ModularCompliance__factory,
  SupplyLimitModule__factory,
  Token__factory,
  TrustedIssuersRegistry__factory,
} from './generated/trex/index.js';
export type { IdentityRegistry, ModularCompliance, Token } from './generated/trex/index.js';
export { ClaimIssuer__factory, Identity__factory } from './generated/onchainid/index.js';
export type { ClaimIssuer, Identity } from './generated/onchainid/index.js';
export {
  CompatibilityFallbackHandler__factory,
  SafeProxyFactory__factory,
  Safe__factory,
} from './generated/safe/index.js';
export type { Safe, SafeProxyFactory } from './generated/safe/index.js';
