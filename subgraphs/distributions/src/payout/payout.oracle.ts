import {
  EligibilityReader__factory,
  publicationDomain,
  PUBLICATION_TYPES,
  Token__factory,
  type Publication,
} from '@tranche/chain';
import { AbiCoder, concat, getAddress, type Provider, type Signer } from 'ethers';
import { runPeriod, trancheTree, type HolderBalance, type RunInputs } from './payout.math.js';

const LOG_CHUNK = 5_000;
/** Holders whose eligibility one eth_call reads (each is a registry lookup; this stays far below a call's gas cap). */
const ELIGIBILITY_CHUNK = 250;
const ZERO = '0x0000000000000000000000000000000000000000';

/**
 * A tranche token's holders at `recordBlock`, read from the chain: its Transfer events from the
 * token's deployment block to the record block, summed per account (mints and burns excluded as
 * holders). The sum must equal the token's total supply at that block, or the read is refused.
 */
export async function holdersAt(
  provider: Provider,
  token: string,
  fromBlock: number,
  recordBlock: number,
): Promise<HolderBalance[]> {
  const contract = Token__factory.connect(token, provider);
  const transfer = contract.interface.getEvent('Transfer')!.topicHash;
  // raw logs, decoded by hand: the addresses are the indexed topics, the value is the data (an
  // ethers-decoded event costs more than the read itself at this size)
  const balances = new Map<string, bigint>();
  for (let from = fromBlock; from <= recordBlock; from += LOG_CHUNK) {
    const to = Math.min(recordBlock, from + LOG_CHUNK - 1);
    for (const log of await provider.getLogs({
      address: token,
      topics: [transfer],
      fromBlock: from,
      toBlock: to,
    })) {
      const sender = `0x${log.topics[1]!.slice(26)}`;
      const receiver = `0x${log.topics[2]!.slice(26)}`;
      const value = BigInt(log.data);
      if (sender !== ZERO) balances.set(sender, (balances.get(sender) ?? 0n) - value);
      if (receiver !== ZERO) balances.set(receiver, (balances.get(receiver) ?? 0n) + value);
    }
  }
  const holders = [...balances]
    .filter(([, b]) => b > 0n)
    .map(([account, balance]) => ({ account: getAddress(account), balance }));
  const sum = holders.reduce((s, h) => s + h.balance, 0n);
  const supply = await contract.totalSupply({ blockTag: recordBlock });
  if (sum !== supply)
    throw new Error(`the token's transfers sum to ${sum} at block ${recordBlock}, its supply is ${supply}`);
  // who may be paid is decided here, at the record block: verified in the identity registry and not
  // frozen (the contract checks only the freeze at claim time; see docs/contracts.md), read through
  // the EligibilityReader's creation code in one eth_call per ELIGIBILITY_CHUNK holders
  const eligible: boolean[] = [];
  for (let i = 0; i < holders.length; i += ELIGIBILITY_CHUNK) {
    const chunk = holders.slice(i, i + ELIGIBILITY_CHUNK).map((h) => h.account);
    const data = concat([
      EligibilityReader__factory.bytecode,
      AbiCoder.defaultAbiCoder().encode(['address', 'address[]'], [token, chunk]),
    ]);
    const answer = await provider.call({ data, blockTag: recordBlock });
    eligible.push(...(AbiCoder.defaultAbiCoder().decode(['bool[]'], answer)[0] as boolean[]));
  }
  return holders.map((h, i) => ({ ...h, eligible: eligible[i] ?? false }));
}

/** What an oracle is asked to sign, with everything it needs to recompute it. */
export interface AttestationRequest {
  inputs: RunInputs;
  classId: string;
  minorDigits: number;
  /** The token's deployment block: where its holders' history starts. */
  fromBlock: number;
  publication: Publication;
  chainId: number;
  distributionManager: string;
}

/** An oracle refused: its own computation differs from what it was asked to sign. */
export class OracleDisagreement extends Error {
  constructor(
    readonly oracle: string,
    message: string,
  ) {
    super(`oracle ${oracle} disagrees: ${message}`);
    this.name = 'OracleDisagreement';
  }
}

/**
 * One oracle of the k-of-n set. It trusts nothing it is handed but the report: it runs the period
 * on the engine itself, reads the token's holders at the record block from its own view of the
 * chain, builds the tree, and signs the EIP-712 publication only when its root and total are the
 * ones proposed. Each oracle holds its own key (any ethers Signer: a local key, or a KMS signer).
 */
export class Oracle {
  constructor(
    private readonly signer: Signer,
    provider: Provider,
    /** How it reads the holders at the record block (its own view of the chain by default). */
    private readonly readHolders: (
      token: string,
      fromBlock: number,
      recordBlock: number,
    ) => Promise<HolderBalance[]> = (token, fromBlock, recordBlock) =>
      holdersAt(provider, token, fromBlock, recordBlock),
  ) {}

  async address(): Promise<string> {
    return this.signer.getAddress();
  }

  /** @throws OracleDisagreement when its recomputation differs. */
  async attest(request: AttestationRequest): Promise<{ signer: string; signature: string }> {
    const me = await this.address();
    const run = runPeriod(request.inputs);
    const holders = await this.readHolders(
      request.publication.token,
      request.fromBlock,
      Number(request.publication.recordBlock),
    );
    const mine = trancheTree(run, request.classId, request.minorDigits, holders);
    const p = request.publication;
    if (mine.tree.root !== p.merkleRoot)
      throw new OracleDisagreement(me, `root ${mine.tree.root}, proposed ${p.merkleRoot}`);
    if (mine.tree.total !== p.total)
      throw new OracleDisagreement(me, `total ${mine.tree.total}, proposed ${p.total}`);
    const signature = await this.signer.signTypedData(
      publicationDomain(request.chainId, request.distributionManager),
      PUBLICATION_TYPES,
      p,
    );
    return { signer: me, signature };
  }
}
