import { id } from 'ethers';

/*
 * The platform's fixed chain facts: role ids, the public Hardhat development keys (local chains
 * only) and the timelock delays. Re-exported by deploy-platform.ts.
 */

/** AccessControl role ids, `keccak256("<NAME>_ROLE")`; ADMIN is `DEFAULT_ADMIN_ROLE` (zero), held by the timelock. */
export const ROLES = {
  ADMIN: '0x' + '00'.repeat(32),
  ARRANGER: id('ARRANGER_ROLE'),
  SERVICER: id('SERVICER_ROLE'),
  COMPLIANCE: id('COMPLIANCE_ROLE'),
  INVESTOR: id('INVESTOR_ROLE'),
  AUDITOR: id('AUDITOR_ROLE'),
  OPERATOR: id('OPERATOR_ROLE'),
  PAUSER: id('PAUSER_ROLE'),
  TIMELOCK_PROPOSER: id('PROPOSER_ROLE'),
  TIMELOCK_CANCELLER: id('CANCELLER_ROLE'),
  TIMELOCK_EXECUTOR: id('EXECUTOR_ROLE'),
} as const;

/** Hardhat's well-known dev account #0 (public test key): the deployer on local chains only. */
export const DEV_DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

/**
 * Hardhat's well-known dev accounts #7-#9 (public test keys of the default mnemonic): the three oracle
 * signers of local chains, so a local platform publishes with 2-of-3 signatures like production.
 */
export const DEV_ORACLE_KEYS: readonly string[] = [
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
];

/**
 * Hardhat's well-known dev accounts #4-#6 (public test keys of the default mnemonic): the owners of the
 * local chains' governance Safe (2-of-3), so local administration is k-of-n like production. DEV ONLY.
 */
export const DEV_SAFE_OWNER_KEYS: readonly string[] = [
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
];

/**
 * Timelock delays: the local default (short enough to wait out by hand, and in tests with
 * `evm_increaseTime`), the production default (48 h) and the least accepted on a non-local chain (24 h).
 */
export const TIMELOCK_DELAY_SECONDS = { local: 60, production: 172_800, productionMinimum: 86_400 } as const;
