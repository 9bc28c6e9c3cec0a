import { AbiCoder, type Signer, getBytes, keccak256 } from 'ethers';

import { IdentityRegistry__factory, Identity__factory } from './contracts.js';
import { CLAIM_TOPICS, type DealSuite } from './deal-suite.js';
import { type DeployVia, asDeployment } from './deployment.js';

/** ONCHAINID signature scheme 1: ECDSA over keccak256(abi.encode(identity, topic, data)), eth-signed. */
const ECDSA_SCHEME = 1n;
const coder = AbiCoder.defaultAbiCoder();

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
 * (managed by the agent, the platform), has `complianceSigner` (the key managing the deal's ClaimIssuer)
 * sign one claim per topic, adds the claims and registers wallet, identity and country in the deal's
 * identity registry. The agent must be an agent of the identity registry. Steps `identity`,
 * `claim:<topic>` and `register` are keyed `<prefix>:investor:<identityRegistry>:<wallet>:<step>`
 * (prefix: the Deployment's, or `kyc` for a one-shot run with a signer), so one Deployment can register
 * many investors and resume any of them. Returns the identity address.
 */
export async function registerInvestor(
  agent: DeployVia,
  complianceSigner: Signer,
  suite: Pick<DealSuite, 'identityRegistry' | 'claimIssuer'>,
  investor: InvestorRegistration,
): Promise<string> {
  const d = asDeployment(agent, 'kyc').scope(`investor:${suite.identityRegistry}:${investor.wallet}`);
  const topics = investor.topics ?? [CLAIM_TOPICS.KYC, CLAIM_TOPICS.ACCREDITATION];
  const identity =
    investor.identity ??
    (
      await d.create(
        'identity',
        new Identity__factory().getDeployTransaction(await d.signer.getAddress(), false),
      )
    ).address;
  const onchainId = Identity__factory.connect(identity);
  for (const topic of topics) {
    const data = coder.encode(['string'], [`tranche:${topic.toString()}:approved`]);
    const signature = await signClaim(complianceSigner, identity, topic, data);
    await d.call(
      `claim:${topic.toString()}`,
      onchainId.addClaim.populateTransaction(topic, ECDSA_SCHEME, suite.claimIssuer, signature, data, ''),
    );
  }
  const ir = IdentityRegistry__factory.connect(suite.identityRegistry);
  await d.call(
    'register',
    ir.registerIdentity.populateTransaction(investor.wallet, identity, investor.country),
  );
  return identity;
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
