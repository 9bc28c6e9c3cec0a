import type { ContractTransaction, Signer, TransactionReceipt } from 'ethers';

import type { DeployedContract } from './manifest.js';
import {
  type IdempotencyStore,
  InMemoryIdempotencyStore,
  TxSender,
  type TxSenderOptions,
} from './tx-sender.js';

export interface DeploymentOptions extends Omit<TxSenderOptions, 'store'> {
  /**
   * where sent transactions are remembered; default a fresh InMemoryIdempotencyStore, i.e. nothing
   * carries over to another call. Pass a durable store (and the same `keyPrefix`) to resume.
   */
  store?: IdempotencyStore;
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
  readonly #progress: { lastBlockNumber: number };

  constructor(
    readonly signer: Signer,
    readonly sender: TxSender,
    readonly keyPrefix: string,
    progress: { lastBlockNumber: number } = { lastBlockNumber: 0 },
  ) {
    this.#progress = progress;
  }

  /**
   * A deployment by `signer` under `keyPrefix` over a new TxSender (default store: in memory, so a
   * plain call behaves like a one-shot deployment). Throws if the signer has no provider.
   */
  static of(signer: Signer, keyPrefix: string, options: DeploymentOptions = {}): Deployment {
    const { store, ...senderOptions } = options;
    const sender = new TxSender(signer, { ...senderOptions, store: store ?? new InMemoryIdempotencyStore() });
    return new Deployment(signer, sender, keyPrefix);
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
    return { address: result.contractAddress, blockNumber: this.#mined(result.receipt) };
  }

  /** Sends a call as step `step` (or waits for the one sent) and returns its successful receipt. */
  async call(step: string, request: CallRequest | Promise<CallRequest>): Promise<TransactionReceipt> {
    const { to, data } = await request;
    const { receipt } = await this.sender.send({ idempotencyKey: this.key(step), to, data });
    this.#mined(receipt);
    return receipt;
  }

  #mined(receipt: TransactionReceipt): number {
    this.#progress.lastBlockNumber = Math.max(this.#progress.lastBlockNumber, receipt.blockNumber);
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
