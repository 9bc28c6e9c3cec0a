import type { ContractTransaction, Signer, TransactionReceipt } from 'ethers';

import type { DeployedContract } from './manifest.js';
import {
  type IdempotencyStore,
  InMemoryIdempotencyStore,
  type OperationResult,
  TxSender,
  type TxSenderOptions,
} from './tx-sender.js';

/** One step of a run, once mined: what a caller records (deployment rows, progress). */
export interface DeploymentStep {
  /** the step's idempotency key, `<keyPrefix>:<step>` */
  key: string;
  txHash: string;
  blockNumber: number;
  gasUsed: bigint;
  /** the created contract, for a creation */
  contractAddress?: string;
  /** false when the step had been sent by an earlier run and was only read back */
  sentNow: boolean;
}

/** Called after each step of a run (and its scopes) is mined, in order; awaited. */
export type DeploymentStepListener = (step: DeploymentStep) => Promise<void> | void;

export interface DeploymentOptions extends Omit<TxSenderOptions, 'store'> {
  /**
   * where sent transactions are remembered; default a fresh InMemoryIdempotencyStore, i.e. nothing
   * carries over to another call. Pass a durable store (and the same `keyPrefix`) to resume.
   */
  store?: IdempotencyStore;
  /** told of every mined step (e.g. to record it with its gas and address) */
  onStep?: DeploymentStepListener;
}

/** A transaction to send, as a binding's `populateTransaction` returns it. */
export type CallRequest = Pick<ContractTransaction, 'to' | 'data'>;

/** Init code of a contract creation, as a binding factory's `getDeployTransaction` returns it. */
export interface CreationRequest {
  data: string;
}

/**
 * A resumable run of deployment transactions: every transaction is one TxSender operation keyed
 * `<keyPrefix>:<step>`. Re-running the same steps with the same store and prefix (e.g. after a crash)
 * sends only what was not sent yet; a step already sent is waited for and its address or receipt is
 * read back from its recorded transaction, so nothing is deployed twice.
 */
export class Deployment {
  /** marks a Deployment structurally, so one built by another copy of this package is recognised too */
  readonly isDeployment = true;

  /** shared by a run and its scopes: the highest block any of their transactions landed in */
  readonly #progress: { lastBlockNumber: number; onStep?: DeploymentStepListener };

  constructor(
    readonly signer: Signer,
    readonly sender: TxSender,
    readonly keyPrefix: string,
    progress: { lastBlockNumber: number; onStep?: DeploymentStepListener } = { lastBlockNumber: 0 },
  ) {
    this.#progress = progress;
  }

  /**
   * A deployment by `signer` under `keyPrefix` over a new TxSender (default store: in memory, so a
   * plain call behaves like a one-shot deployment). Throws if the signer has no provider.
   */
  static of(signer: Signer, keyPrefix: string, options: DeploymentOptions = {}): Deployment {
    const { store, onStep, ...senderOptions } = options;
    const sender = new TxSender(signer, { ...senderOptions, store: store ?? new InMemoryIdempotencyStore() });
    return new Deployment(signer, sender, keyPrefix, { lastBlockNumber: 0, onStep });
  }

  /** The same run with `<keyPrefix>:<scope>` as prefix, for a group of steps (a tranche, the modules). */
  scope(scope: string): Deployment {
    return new Deployment(this.signer, this.sender, this.key(scope), this.#progress);
  }

  /** The highest block a transaction of this run (any scope) was mined in so far; 0 before any. */
  get lastBlockNumber(): number {
    return this.#progress.lastBlockNumber;
  }

  /** The idempotency key of `step`. */
  key(step: string): string {
    return `${this.keyPrefix}:${step}`;
  }

  /** Deploys a contract as step `step` (or finds the one it deployed) and returns its address and block. */
  async create(
    step: string,
    creation: CreationRequest | Promise<CreationRequest>,
  ): Promise<DeployedContract> {
    const { data } = await creation;
    const result = await this.sender.send({ idempotencyKey: this.key(step), data });
    if (!result.contractAddress) throw new Error(`${this.key(step)}: the receipt names no created contract`);
    const blockNumber = await this.#mined(step, result);
    return { address: result.contractAddress, blockNumber };
  }

  /** Sends a call as step `step` (or waits for the one sent) and returns its successful receipt. */
  async call(step: string, request: CallRequest | Promise<CallRequest>): Promise<TransactionReceipt> {
    const { to, data } = await request;
    const result = await this.sender.send({ idempotencyKey: this.key(step), to, data });
    await this.#mined(step, result);
    return result.receipt;
  }

  async #mined(step: string, result: OperationResult): Promise<number> {
    const { receipt } = result;
    this.#progress.lastBlockNumber = Math.max(this.#progress.lastBlockNumber, receipt.blockNumber);
    await this.#progress.onStep?.({
      key: this.key(step),
      txHash: result.txHash,
      blockNumber: receipt.blockNumber,
      gasUsed: receipt.gasUsed,
      ...(result.contractAddress ? { contractAddress: result.contractAddress } : {}),
      sentNow: result.sentNow,
    });
    return receipt.blockNumber;
  }
}

/** Who sends a deployment: a signer (one-shot, in-memory keys) or a resumable Deployment. */
export type DeployVia = Signer | Deployment;

/** Whether `via` is a Deployment (checked structurally, not with `instanceof`, so package copies agree). */
export function isDeployment(via: DeployVia): via is Deployment {
  return (via as Partial<Deployment>).isDeployment === true;
}

/**
 * The Deployment to send through: `via` itself, or a one-shot one by the signer under `defaultPrefix`
 * (fresh in-memory store: keys only guard against double sends within this call).
 */
export function asDeployment(via: DeployVia, defaultPrefix: string): Deployment {
  return isDeployment(via) ? via : Deployment.of(via, defaultPrefix);
}
