import {
  AbiCoder,
  type ContractTransactionResponse,
  NonceManager,
  type Signer,
  ZeroAddress,
  getBytes,
  keccak256,
} from 'ethers';

import {
  ClaimIssuer__factory,
  ClaimTopicsRegistry__factory,
  CountryRestrictModule__factory,
  IdentityRegistryStorage__factory,
  IdentityRegistry__factory,
  Identity__factory,
  LockUpModule__factory,
  MaxBalanceModule__factory,
  ModularCompliance__factory,
  SupplyLimitModule__factory,
  Token__factory,
  TrustedIssuersRegistry__factory,
} from './contracts.js';

/** ONCHAINID claim topics the platform issues (its own numbering, registered in each deal's ClaimTopicsRegistry). */
export const CLAIM_TOPICS = { KYC: 1n, ACCREDITATION: 2n, JURISDICTION: 3n } as const;

/** ONCHAINID signature scheme 1: ECDSA over keccak256(abi.encode(identity, topic, data)), eth-signed. */
const ECDSA_SCHEME = 1n;
const coder = AbiCoder.defaultAbiCoder();

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

/** Shared, stateless-per-compliance module singletons a deal's tokens bind to. */
export interface ComplianceModules {
  countryRestrict: string;
  maxBalance: string;
  supplyLimit: string;
  lockUp: string;
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

/**
 * Tracks nonces locally for a sequence of transactions: providers cache `eth_getTransactionCount`
 * briefly, which would hand two back-to-back deployments the same nonce.
 */
export function withLocalNonces(signer: Signer): Signer {
  return signer instanceof NonceManager ? signer : new NonceManager(signer);
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error('transaction dropped');
  if (receipt.status !== 1) throw new Error(`transaction ${receipt.hash} reverted`);
  return receipt.blockNumber;
}

/** Deploys the four compliance module singletons (T-REX country restriction, max balance, supply limit; our lock-up). */
export async function deployComplianceModules(from: Signer): Promise<ComplianceModules> {
  const signer = withLocalNonces(from);
  const country = await (await new CountryRestrictModule__factory(signer).deploy()).waitForDeployment();
  const maxBalance = await (await new MaxBalanceModule__factory(signer).deploy()).waitForDeployment();
  const supply = await (await new SupplyLimitModule__factory(signer).deploy()).waitForDeployment();
  const lockUp = await (await new LockUpModule__factory(signer).deploy()).waitForDeployment();
  // T-REX modules are upgradeable implementations; used directly, they are initialised once here.
  await mined(country.initialize());
  await mined(maxBalance.initialize());
  await mined(supply.initialize());
  return {
    countryRestrict: await country.getAddress(),
    maxBalance: await maxBalance.getAddress(),
    supplyLimit: await supply.getAddress(),
    lockUp: await lockUp.getAddress(),
  };
}

/**
 * Deploys a deal's ERC-3643 (T-REX) suite at issuance: a ClaimTopicsRegistry requiring `claimTopics`,
 * a TrustedIssuersRegistry trusting a ClaimIssuer managed by the platform's compliance key, one
 * IdentityRegistry (with its storage) shared by every tranche, and per tranche a T-REX Token with its
 * own ModularCompliance bound to the country-restriction, max-balance, supply-limit and lock-up modules.
 * The signer becomes owner and agent of everything and the tokens are unpaused, ready to mint.
 *
 * T-REX contracts are deployed from the artifacts `@tokenysolutions/t-rex` ships (solc 0.8.17), used
 * directly rather than behind T-REX's upgrade proxies. Throws if any transaction reverts.
 */
export async function deployDealSuite(from: Signer, params: DealSuiteParams): Promise<DealSuite> {
  const signer = withLocalNonces(from);
  if (params.tranches.length === 0) throw new Error('deployDealSuite: at least one tranche is required');
  const deployer = await signer.getAddress();
  const topics = params.claimTopics ?? [CLAIM_TOPICS.KYC, CLAIM_TOPICS.ACCREDITATION];
  const agents = [...new Set([deployer, ...(params.agents ?? [])])];
  const given = params.modules ?? {};
  const needModules =
    !given.countryRestrict || !given.maxBalance || !given.supplyLimit || !given.lockUp
      ? await deployComplianceModules(signer)
      : undefined;
  const modules: ComplianceModules = {
    countryRestrict: given.countryRestrict ?? needModules?.countryRestrict ?? '',
    maxBalance: given.maxBalance ?? needModules?.maxBalance ?? '',
    supplyLimit: given.supplyLimit ?? needModules?.supplyLimit ?? '',
    lockUp: given.lockUp ?? needModules?.lockUp ?? '',
  };

  const ctr = await (await new ClaimTopicsRegistry__factory(signer).deploy()).waitForDeployment();
  const tir = await (await new TrustedIssuersRegistry__factory(signer).deploy()).waitForDeployment();
  const irs = await (await new IdentityRegistryStorage__factory(signer).deploy()).waitForDeployment();
  const ir = await (await new IdentityRegistry__factory(signer).deploy()).waitForDeployment();
  const issuer = await (
    await new ClaimIssuer__factory(signer).deploy(params.complianceKey)
  ).waitForDeployment();
  await mined(ctr.init());
  await mined(tir.init());
  await mined(irs.init());
  await mined(ir.init(await tir.getAddress(), await ctr.getAddress(), await irs.getAddress()));
  await mined(irs.bindIdentityRegistry(await ir.getAddress()));
  for (const topic of topics) await mined(ctr.addClaimTopic(topic));
  await mined(tir.addTrustedIssuer(await issuer.getAddress(), topics));
  for (const agent of agents) await mined(ir.addAgent(agent));

  const country = CountryRestrictModule__factory.connect(modules.countryRestrict, signer);
  const maxBalance = MaxBalanceModule__factory.connect(modules.maxBalance, signer);
  const supply = SupplyLimitModule__factory.connect(modules.supplyLimit, signer);
  const lockUp = LockUpModule__factory.connect(modules.lockUp, signer);

  const tranches: DeployedTranche[] = [];
  let blockNumber = 0;
  for (const spec of params.tranches) {
    const compliance = await (await new ModularCompliance__factory(signer).deploy()).waitForDeployment();
    await mined(compliance.init());
    const complianceAddress = await compliance.getAddress();
    const call = (module: string, data: string) => mined(compliance.callModuleFunction(data, module));
    // The token binds the compliance in init; non plug-and-play modules (max balance) need it bound first.
    const token = await (await new Token__factory(signer).deploy()).waitForDeployment();
    await mined(
      token.init(
        await ir.getAddress(),
        complianceAddress,
        spec.name,
        spec.symbol,
        spec.decimals ?? 0,
        ZeroAddress,
      ),
    );

    await mined(compliance.addModule(modules.countryRestrict));
    if (params.restrictedCountries && params.restrictedCountries.length > 0) {
      const data = country.interface.encodeFunctionData('batchRestrictCountries', [
        params.restrictedCountries,
      ]);
      await call(modules.countryRestrict, data);
    }
    if (spec.maxBalance !== undefined) {
      await mined(compliance.addModule(modules.maxBalance));
      await call(
        modules.maxBalance,
        maxBalance.interface.encodeFunctionData('setMaxBalance', [spec.maxBalance]),
      );
    }
    if (spec.supplyLimit !== undefined) {
      await mined(compliance.addModule(modules.supplyLimit));
      await call(
        modules.supplyLimit,
        supply.interface.encodeFunctionData('setSupplyLimit', [spec.supplyLimit]),
      );
    }
    if (spec.lockUpEnd !== undefined && spec.lockUpEnd > 0n) {
      await mined(compliance.addModule(modules.lockUp));
      await call(modules.lockUp, lockUp.interface.encodeFunctionData('setLockUpEnd', [spec.lockUpEnd]));
    }

    for (const agent of agents) await mined(token.addAgent(agent));
    blockNumber = await mined(token.unpause());
    tranches.push({ symbol: spec.symbol, token: await token.getAddress(), compliance: complianceAddress });
  }

  if (params.owner !== undefined && params.owner.toLowerCase() !== deployer.toLowerCase()) {
    const newOwner = params.owner;
    const transfers: (() => Promise<ContractTransactionResponse>)[] = [
      () => ctr.transferOwnership(newOwner),
      () => tir.transferOwnership(newOwner),
      () => irs.transferOwnership(newOwner),
      () => ir.transferOwnership(newOwner),
    ];
    for (const t of tranches) {
      transfers.push(() => Token__factory.connect(t.token, signer).transferOwnership(newOwner));
      transfers.push(() =>
        ModularCompliance__factory.connect(t.compliance, signer).transferOwnership(newOwner),
      );
    }
    for (const transfer of transfers) blockNumber = await mined(transfer());
  }

  return {
    dealId: params.dealId,
    identityRegistry: await ir.getAddress(),
    identityRegistryStorage: await irs.getAddress(),
    claimTopicsRegistry: await ctr.getAddress(),
    trustedIssuersRegistry: await tir.getAddress(),
    claimIssuer: await issuer.getAddress(),
    modules,
    tranches,
    blockNumber,
  };
}

export interface InvestorRegistration {
  /** the investor's wallet (proved by SIWE off-chain) */
  wallet: string;
  /** ISO-3166 numeric country code, e.g. 840 for the US */
  country: number;
  /** topics to issue claims for (default KYC and ACCREDITATION) */
  topics?: bigint[];
  /** reuse an existing ONCHAINID instead of deploying one */
  identity?: string;
}

/**
 * Registers a verified investor on-chain after off-chain KYC: deploys an ONCHAINID for the wallet
 * (managed by `agent`, the platform), has `complianceSigner` (the key managing the deal's ClaimIssuer)
 * sign one claim per topic, adds the claims and registers wallet, identity and country in the deal's
 * identity registry. `agent` must be an agent of the identity registry. Returns the identity address.
 */
export async function registerInvestor(
  agentSigner: Signer,
  complianceSigner: Signer,
  suite: Pick<DealSuite, 'identityRegistry' | 'claimIssuer'>,
  investor: InvestorRegistration,
): Promise<string> {
  const agent = withLocalNonces(agentSigner);
  const topics = investor.topics ?? [CLAIM_TOPICS.KYC, CLAIM_TOPICS.ACCREDITATION];
  const identity =
    investor.identity !== undefined
      ? Identity__factory.connect(investor.identity, agent)
      : await (
          await new Identity__factory(agent).deploy(await agent.getAddress(), false)
        ).waitForDeployment();
  const identityAddress = await identity.getAddress();
  for (const topic of topics) {
    const data = coder.encode(['string'], [`tranche:${topic.toString()}:approved`]);
    const signature = await signClaim(complianceSigner, identityAddress, topic, data);
    await mined(identity.addClaim(topic, ECDSA_SCHEME, suite.claimIssuer, signature, data, ''));
  }
  const ir = IdentityRegistry__factory.connect(suite.identityRegistry, agent);
  await mined(ir.registerIdentity(investor.wallet, identityAddress, investor.country));
  return identityAddress;
}

/** Signs an ONCHAINID claim: eth-signed keccak256(abi.encode(identity, topic, data)). */
export async function signClaim(
  signer: Signer,
  identity: string,
  topic: bigint,
  data: string,
): Promise<string> {
  const hash = keccak256(coder.encode(['address', 'uint256', 'bytes'], [identity, topic, data]));
  return signer.signMessage(getBytes(hash));
}
