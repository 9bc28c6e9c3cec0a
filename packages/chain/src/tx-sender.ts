import type { Provider, Signer, TransactionReceipt, TransactionRequest } from 'ethers';
import { Transaction, isError } from 'ethers';

import { isAlreadyKnownError, sleep, withRetries } from './errors.js';
import { LOCAL_CHAIN_IDS } from './local-chain-ids.js';

/** What the sender remembers per business operation (idempotency key). */
export interface SentTransactionRecord {
  key: string;
  txHash: string;
  nonce: number;
  from: string;
  /** `rejected`: the node refused the broadcast outright; the key may be sent again */
  status: 'sent' | 'confirmed' | 'reverted' | 'rejected';
  blockNumber?: number;
  updatedAt: string;
}

/**
 * Persistence of idempotency keys. `create` must be atomic (an insert that fails when the key exists,
 * e.g. a PostgreSQL primary key): it returns false when another process already owns the key.
 */
export interface IdempotencyStore {
  get(key: string): Promise<SentTransactionRecord | undefined>;
  create(record: SentTransactionRecord): Promise<boolean>;
  update(record: SentTransactionRecord): Promise<void>;
}

/** In-memory `IdempotencyStore` for tests and single-process dev runs. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly #records = new Map<string, SentTransactionRecord>();

  async get(key: string): Promise<SentTransactionRecord | undefined> {
    const r = this.#records.get(key);
    return r ? { ...r } : undefined;
  }

  async create(record: SentTransactionRecord): Promise<boolean> {
    if (this.#records.has(record.key)) return false;
    this.#records.set(record.key, { ...record });
    return true;
  }

  async update(record: SentTransactionRecord): Promise<void> {
    this.#records.set(record.key, { ...record });
  }
}

/** The estimated gas (times the safety margin) exceeds the configured cap. Nothing was sent. */
export class GasCapExceededError extends Error {
  constructor(
    readonly key: string,
    readonly gasLimit: bigint,
    readonly cap: bigint,
  ) {
    super(`operation ${key}: gas ${gasLimit.toString()} exceeds the cap ${cap.toString()}`);
    this.name = 'GasCapExceededError';
  }
}

/** The transaction was mined but reverted. */
export class TransactionRevertedError extends Error {
  constructor(
    readonly key: string,
    readonly receipt: TransactionReceipt,
  ) {
    super(`operation ${key}: transaction ${receipt.hash} reverted in block ${receipt.blockNumber}`);
    this.name = 'TransactionRevertedError';
  }
}

export interface TxSenderOptions {
  store: IdempotencyStore;
  /** confirmations to wait for (default 1) */
  confirmations?: number;
  /** hard cap on a transaction's gas limit (default 10,000,000) */
  maxGas?: bigint;
  /** margin on the estimate, in bps (default 12,000 = +20%) */
  gasMarginBps?: bigint;
  /** retries of transient RPC errors per step (default 5) and first backoff (default 200 ms) */
  retries?: number;
  retryBaseMs?: number;
  /** how long to wait for the confirmations (default 120 s), polling every `pollIntervalMs` (default 1 s) */
  waitTimeoutMs?: number;
  pollIntervalMs?: number;
}

export interface OperationRequest {
  /** one key per business operation, e.g. `distribution:<id>:publish`; a retried operation reuses it */
  idempotencyKey: string;
  /** the callee; absent for a contract creation (`data` is then the init code) */
  to?: string;
  data: string;
  value?: bigint;
  /** skip estimation and use this gas limit (still capped) */
  gasLimit?: bigint;
}

export interface OperationResult {
  txHash: string;
  receipt: TransactionReceipt;
  /** the created contract's address (from the receipt), for a contract creation */
  contractAddress?: string;
  /** false when the key had already been sent and this call only waited for it */
  sentNow: boolean;
}

/** How many times an operation is sent after losing its nonce to another sender. */
const NONCE_CONFLICT_RETRIES = 4;

/** An operation's transaction lost its nonce to another transaction of the same account. */
export class NonceConflictError extends Error {
  constructor(
    readonly key: string,
    readonly nonce: number,
  ) {
    super(`operation ${key}: nonce ${nonce} was used by another transaction of the account`);
    this.name = 'NonceConflictError';
  }
}

/** Whether the node refused a transaction because its nonce was used meanwhile. */
function isNonceConflict(error: unknown): boolean {
  if (error instanceof NonceConflictError || isError(error, 'NONCE_EXPIRED')) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /nonce too low|nonce has already been used|replacement transaction underpriced/i.test(message);
}

/**
 * Whether `signTransaction` failed because the signer cannot sign without sending (Hardhat's
 * node-managed accounts throw "not implemented"; ethers' JsonRpcSigner reports UNSUPPORTED_OPERATION).
 */
function isSignOnlyUnsupported(error: unknown): boolean {
  if (isError(error, 'UNSUPPORTED_OPERATION')) return true;
  const message = error instanceof Error ? error.message : '';
  return /signTransaction.*not (implemented|supported)|eth_signTransaction.*(not (found|supported)|does not exist)/i.test(
    message,
  );
}

/**
 * Sends transactions for business operations, safely under retries and concurrency:
 * - one idempotency key = at most one transaction, across retries and processes (the store is the
 *   source of truth, and the signed transaction's hash is recorded before it is broadcast);
 * - nonces allocated locally under a lock, so concurrent sends from one key don't collide;
 * - gas estimated with a margin and refused above a cap;
 * - transient RPC errors retried with backoff; "already known" on a re-broadcast counts as sent;
 * - returns once the transaction has `confirmations` confirmations; throws `TransactionRevertedError`
 *   if it reverted.
 * Contract creations are operations without `to`; their result carries the receipt's `contractAddress`,
 * so a re-run under the same key finds the contract instead of deploying it again.
 * The signer must support `signTransaction` (Wallet, keystore, RemoteSigner do). On local chain ids
 * only, signers whose node holds the key (Hardhat's dev accounts) are accepted for tests: the node
 * signs and broadcasts in one call, so their hash is recorded just after the broadcast and a crash in
 * between is not covered; on any other chain such a signer is refused.
 */
export class TxSender {
  readonly #signer: Signer;
  readonly #provider: Provider;
  readonly #store: IdempotencyStore;
  readonly #confirmations: number;
  readonly #maxGas: bigint;
  readonly #marginBps: bigint;
  readonly #retries: number;
  readonly #retryBaseMs: number;
  readonly #waitTimeoutMs: number;
  readonly #pollIntervalMs: number;
  readonly #inFlight = new Map<string, Promise<OperationResult>>();
  #nonceLock: Promise<void> = Promise.resolve();
  #nextNonce: number | undefined;
  /** set once `signTransaction` proved unsupported: the node signs (see the class comment) */
  #nodeSigns = false;

  constructor(signer: Signer, options: TxSenderOptions) {
    if (!signer.provider) throw new Error('TxSender: the signer needs a provider');
    this.#signer = signer;
    this.#provider = signer.provider;
    this.#store = options.store;
    this.#confirmations = options.confirmations ?? 1;
    this.#maxGas = options.maxGas ?? 10_000_000n;
    this.#marginBps = options.gasMarginBps ?? 12_000n;
    this.#retries = options.retries ?? 5;
    this.#retryBaseMs = options.retryBaseMs ?? 200;
    this.#waitTimeoutMs = options.waitTimeoutMs ?? 120_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1_000;
  }

  /** The provider of the sender's signer (for reads that decide what to send). */
  get provider(): Provider {
    return this.#provider;
  }

  /**
   * What the store holds for `key`: undefined when nothing was sent under it (or the node refused the
   * broadcast, so the key may be sent again), else its recorded transaction. Lets a caller that skips
   * work already done on-chain still report the transaction a previous run sent.
   */
  async recorded(key: string): Promise<SentTransactionRecord | undefined> {
    const record = await this.#retry(() => this.#store.get(key));
    return record && record.status !== 'rejected' ? record : undefined;
  }

  /** Sends (or, if already sent under the same key, waits for) the operation's transaction. */
  send(request: OperationRequest): Promise<OperationResult> {
    const running = this.#inFlight.get(request.idempotencyKey);
    if (running) return running.then((r) => ({ ...r, sentNow: false }));
    const promise = this.#sendResyncingNonce(request).finally(() =>
      this.#inFlight.delete(request.idempotencyKey),
    );
    this.#inFlight.set(request.idempotencyKey, promise);
    return promise;
  }

  /**
   * Another process sending from the same key (the platform's services share one) can take the
   * nonce this sender allocated: the node refuses the broadcast, the key is left free and the
   * nonce resynced, so the operation is simply sent again, a few times at most.
   */
  async #sendResyncingNonce(request: OperationRequest): Promise<OperationResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#send(request);
      } catch (error) {
        if (attempt >= NONCE_CONFLICT_RETRIES || !isNonceConflict(error)) throw error;
      }
    }
  }

  async #send(request: OperationRequest): Promise<OperationResult> {
    const key = request.idempotencyKey;
    const existing = await this.#retry(() => this.#store.get(key));
    if (existing && existing.status !== 'rejected') return this.#finish(existing, false);

    const from = await this.#signer.getAddress();
    const base: TransactionRequest = { from, data: request.data, value: request.value ?? 0n };
    if (request.to !== undefined) base.to = request.to;
    const estimate = request.gasLimit ?? (await this.#retry(() => this.#provider.estimateGas(base)));
    const gasLimit = request.gasLimit ?? (estimate * this.#marginBps) / 10_000n;
    if (gasLimit > this.#maxGas) throw new GasCapExceededError(key, gasLimit, this.#maxGas);
    const chainId = (await this.#retry(() => this.#provider.getNetwork())).chainId;
    const fees = await this.#retry(() => this.#provider.getFeeData());

    // Allocate the nonce, sign, record the hash and broadcast under one lock: records follow nonce
    // order, a crash never leaves an unrecorded signed transaction, and nodes that cannot queue
    // out-of-order nonces (Hardhat automine) see them in order. Confirmations are awaited outside it.
    const record = await this.#withNonceLock(async () => {
      const nonce = await this.#allocateNonce(from);
      const tx: TransactionRequest = {
        ...base,
        nonce,
        gasLimit,
        chainId,
        ...(fees.maxFeePerGas !== null && fees.maxPriorityFeePerGas !== null
          ? { type: 2, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }
          : { gasPrice: fees.gasPrice ?? undefined }),
      };
      const signed = await this.#signOnly(tx, Number(chainId));
      if (signed === undefined) return this.#sendThroughNode(key, tx, nonce, from, existing !== undefined);
      const hash = Transaction.from(signed).hash;
      if (!hash) throw new Error('TxSender: signed transaction has no hash');
      const rec: SentTransactionRecord = {
        key,
        txHash: hash,
        nonce,
        from,
        status: 'sent',
        updatedAt: new Date().toISOString(),
      };
      if (!(await this.#save(rec, existing !== undefined))) {
        this.#nextNonce = nonce; // not used: give it back
        return undefined;
      }
      await this.#broadcast(signed, rec);
      return rec;
    });
    if (!record) {
      const other = await this.#store.get(key);
      if (!other) throw new Error(`TxSender: idempotency key ${key} vanished`);
      return this.#finish(other, false);
    }
    return this.#finish(record, true);
  }

  /** Signs without sending; `undefined` when the signer cannot (its node signs, see the class comment). */
  async #signOnly(tx: TransactionRequest, chainId: number): Promise<string | undefined> {
    if (this.#nodeSigns) return undefined;
    try {
      return await this.#signer.signTransaction(tx);
    } catch (error) {
      if (!isSignOnlyUnsupported(error)) throw error;
      // Outside a dev chain, a key held by the node would give up the record-before-broadcast
      // guarantee: refuse rather than risk a transaction sent twice after a crash.
      if (!LOCAL_CHAIN_IDS.includes(chainId)) {
        throw new Error(
          `TxSender: the signer cannot sign without sending, which is allowed only on local chains ` +
            `(${LOCAL_CHAIN_IDS.join(', ')}), not chain ${chainId}; use a keystore or remote signer`,
        );
      }
      this.#nodeSigns = true;
      return undefined;
    }
  }

  /** Has the node sign and broadcast, then records the hash (the only order such a signer allows). */
  async #sendThroughNode(
    key: string,
    tx: TransactionRequest,
    nonce: number,
    from: string,
    replacing: boolean,
  ): Promise<SentTransactionRecord> {
    const response = await this.#signer.sendTransaction(tx);
    const rec: SentTransactionRecord = {
      key,
      txHash: response.hash,
      nonce,
      from,
      status: 'sent',
      updatedAt: new Date().toISOString(),
    };
    if (!(await this.#save(rec, replacing))) {
      throw new Error(`TxSender: idempotency key ${key} was taken by another sender while sending`);
    }
    return rec;
  }

  /** Records a new send: `create` claims a fresh key; a rejected key's record is overwritten. */
  async #save(record: SentTransactionRecord, replacing: boolean): Promise<boolean> {
    if (replacing) {
      await this.#store.update(record);
      return true;
    }
    return this.#store.create(record);
  }

  async #broadcast(raw: string, record: SentTransactionRecord): Promise<void> {
    try {
      await this.#retry(() => this.#provider.broadcastTransaction(raw));
    } catch (error) {
      // Some nodes (Hardhat automine) answer an error for a transaction they did mine (it reverted):
      // whatever the error, a transaction the node knows counts as sent.
      const known = await this.#provider.getTransaction(record.txHash).catch(() => null);
      if (known || isAlreadyKnownError(error)) return;
      // Refused outright (e.g. insufficient funds) or still failing after the retries. The nonce is
      // resynced from the node (by the lock); a refused operation may be sent again under its key.
      await this.#store.update({ ...record, status: 'rejected', updatedAt: new Date().toISOString() });
      throw error;
    }
  }

  async #finish(record: SentTransactionRecord, sentNow: boolean): Promise<OperationResult> {
    const receipt = await this.#waitForConfirmations(record);
    const status = receipt.status === 1 ? 'confirmed' : 'reverted';
    if (record.status !== status || record.blockNumber !== receipt.blockNumber) {
      await this.#retry(() =>
        this.#store.update({
          ...record,
          status,
          blockNumber: receipt.blockNumber,
          updatedAt: new Date().toISOString(),
        }),
      );
    }
    if (status === 'reverted') throw new TransactionRevertedError(record.key, receipt);
    return {
      txHash: record.txHash,
      receipt,
      sentNow,
      ...(receipt.contractAddress ? { contractAddress: receipt.contractAddress } : {}),
    };
  }

  /**
   * Polls for the receipt until it is `confirmations` blocks deep. The receipt is re-read on every
   * poll, so a transaction dropped by a reorg is waited for again rather than reported mined.
   */
  async #waitForConfirmations(record: SentTransactionRecord): Promise<TransactionReceipt> {
    const deadline = Date.now() + this.#waitTimeoutMs;
    for (;;) {
      const receipt = await this.#retry(() => this.#provider.getTransactionReceipt(record.txHash));
      if (receipt) {
        const head = await this.#retry(() => this.#provider.getBlockNumber());
        if (head - receipt.blockNumber + 1 >= this.#confirmations) return receipt;
      } else if (await this.#nonceTakenByAnother(record)) {
        // Another transaction of this key's account was mined with our nonce: ours never will be.
        await this.#store.update({ ...record, status: 'rejected', updatedAt: new Date().toISOString() });
        this.#nextNonce = undefined;
        throw new NonceConflictError(record.key, record.nonce);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `operation ${record.key}: ${record.txHash} not confirmed within ${this.#waitTimeoutMs} ms`,
        );
      }
      await sleep(this.#pollIntervalMs);
    }
  }

  /** Whether the account's mined nonce passed `record`'s while `record`'s transaction is not mined. */
  async #nonceTakenByAnother(record: SentTransactionRecord): Promise<boolean> {
    const mined = await this.#retry(() => this.#provider.getTransactionCount(record.from, 'latest'));
    if (mined <= record.nonce) return false;
    // Mined meanwhile (between the receipt read and the count)? Then it is ours after all.
    return !(await this.#retry(() => this.#provider.getTransactionReceipt(record.txHash)));
  }

  async #allocateNonce(from: string): Promise<number> {
    if (this.#nextNonce === undefined) {
      this.#nextNonce = await this.#retry(() => this.#provider.getTransactionCount(from, 'pending'));
    }
    const nonce = this.#nextNonce;
    this.#nextNonce = nonce + 1;
    return nonce;
  }

  async #withNonceLock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#nonceLock;
    let release: () => void = () => undefined;
    this.#nonceLock = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } catch (error) {
      this.#nextNonce = undefined; // resync from the node after any failure inside the lock
      throw error;
    } finally {
      release();
    }
  }

  #retry<T>(fn: () => Promise<T>): Promise<T> {
    return withRetries(fn, this.#retries, this.#retryBaseMs);
  }
}
