// The Safe multisig (Safe 1.4.1, deployed from the artifacts @safe-global/safe-contracts ships): its
// keyed deployment, and k-of-n transactions signed by the owners (EIP-712) and executed through
// `execTransaction`. Implemented with ethers only; no Safe SDK.
import {
  type ContractRunner,
  Signature,
  type Signer,
  TypedDataEncoder,
  type TypedDataField,
  ZeroAddress,
  concat,
  getAddress,
  verifyTypedData,
} from 'ethers';

import {
  CompatibilityFallbackHandler__factory,
  SafeProxyFactory__factory,
  Safe__factory,
} from './contracts.js';
import { type CallRequest, type DeployVia, asDeployment } from './deployment.js';
import type { DeployedContract } from './manifest.js';
import type { OperationResult, TxSender } from './tx-sender.js';

/** The Safe version deployed and signed for (its EIP-712 domain is `(chainId, verifyingContract)`). */
export const SAFE_VERSION = '1.4.1';

/** Owners and threshold of a k-of-n Safe. */
export interface SafeSetup {
  owners: string[];
  threshold: number;
}

/** A Safe deployed by `deploySafe`: the proxy (the Safe itself), its setup and its infrastructure. */
export interface DeployedSafe extends DeployedContract, SafeSetup {
  singleton: string;
  proxyFactory: string;
  fallbackHandler: string;
}

/**
 * Checks a Safe setup before anything is sent: at least one owner, no zero or repeated owner, and
 * 1 ≤ threshold ≤ owners. Returns the owners checksummed. Throws on a bad setup (the Safe would
 * revert with an opaque GS2xx code instead).
 */
export function checkSafeSetup(setup: SafeSetup): string[] {
  const owners = setup.owners.map((o) => getAddress(o));
  if (owners.length === 0) throw new Error('Safe setup: at least one owner is required');
  if (owners.some((o) => o === ZeroAddress))
    throw new Error('Safe setup: the zero address cannot own a Safe');
  if (new Set(owners).size !== owners.length) throw new Error('Safe setup: an owner is listed twice');
  if (!Number.isInteger(setup.threshold) || setup.threshold < 1 || setup.threshold > owners.length) {
    throw new Error(`Safe setup: threshold ${setup.threshold} is not between 1 and ${owners.length}`);
  }
  return owners;
}

/**
 * Deploys a k-of-n Safe from the shipped 1.4.1 artifacts as keyed steps `singleton`, `proxy-factory`,
 * `fallback-handler` and `proxy` (the Safe: a SafeProxy set up with the owners, the threshold and the
 * compatibility fallback handler). With a Deployment the steps are under its prefix (resumable); with a
 * signer they are one-shot under `safe`. Throws on a bad setup before sending anything, and on reverts.
 */
export async function deploySafe(
  via: DeployVia,
  setup: SafeSetup & { saltNonce?: bigint },
): Promise<DeployedSafe> {
  const owners = checkSafeSetup(setup);
  const d = asDeployment(via, 'safe');
  const singleton = await d.create('singleton', new Safe__factory().getDeployTransaction());
  const proxyFactory = await d.create(
    'proxy-factory',
    new SafeProxyFactory__factory().getDeployTransaction(),
  );
  const fallbackHandler = await d.create(
    'fallback-handler',
    new CompatibilityFallbackHandler__factory().getDeployTransaction(),
  );
  const initializer = Safe__factory.createInterface().encodeFunctionData('setup', [
    owners,
    setup.threshold,
    ZeroAddress,
    '0x',
    fallbackHandler.address,
    ZeroAddress,
    0n,
    ZeroAddress,
  ]);
  const factory = SafeProxyFactory__factory.connect(proxyFactory.address);
  const receipt = await d.call(
    'proxy',
    factory.createProxyWithNonce.populateTransaction(singleton.address, initializer, setup.saltNonce ?? 0n),
  );
  // The factory creates the proxy with CREATE2 inside a call: its address is in ProxyCreation.
  const created = receipt.logs
    .filter((log) => getAddress(log.address) === getAddress(proxyFactory.address))
    .map((log) => factory.interface.parseLog(log))
    .find((event) => event?.name === 'ProxyCreation');
  if (!created) throw new Error(`${d.key('proxy')}: no ProxyCreation event in ${receipt.hash}`);
  return {
    address: getAddress(created.args.getValue('proxy') as string),
    blockNumber: receipt.blockNumber,
    owners,
    threshold: setup.threshold,
    singleton: singleton.address,
    proxyFactory: proxyFactory.address,
    fallbackHandler: fallbackHandler.address,
  };
}

/** Reads the owners and threshold of the Safe at `safe` (e.g. an existing production multisig). */
export async function readSafeSetup(safe: string, runner: ContractRunner): Promise<SafeSetup> {
  const contract = Safe__factory.connect(safe, runner);
  const [owners, threshold] = await Promise.all([contract.getOwners(), contract.getThreshold()]);
  return { owners: owners.map((o) => getAddress(o)), threshold: Number(threshold) };
}

/** Safe operation types: a plain call, or a delegatecall (never used for administration). */
export const SAFE_OPERATION = { CALL: 0, DELEGATECALL: 1 } as const;

/** A Safe transaction, the message the owners sign (EIP-712 `SafeTx`). */
export interface SafeTransaction {
  to: string;
  value: bigint;
  data: string;
  operation: (typeof SAFE_OPERATION)[keyof typeof SAFE_OPERATION];
  safeTxGas: bigint;
  baseGas: bigint;
  gasPrice: bigint;
  gasToken: string;
  refundReceiver: string;
  nonce: bigint;
}

/** The EIP-712 types of a Safe transaction (Safe ≥ 1.3). */
export const SAFE_TX_TYPES: Record<string, TypedDataField[]> = {
  SafeTx: [
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'data', type: 'bytes' },
    { name: 'operation', type: 'uint8' },
    { name: 'safeTxGas', type: 'uint256' },
    { name: 'baseGas', type: 'uint256' },
    { name: 'gasPrice', type: 'uint256' },
    { name: 'gasToken', type: 'address' },
    { name: 'refundReceiver', type: 'address' },
    { name: 'nonce', type: 'uint256' },
  ],
};

/** Which Safe on which chain a signature is for. */
export interface SafeDomain {
  chainId: bigint | number;
  safe: string;
}

/**
 * A Safe transaction for `call` at Safe nonce `nonce`: a plain CALL with no gas refund (all gas
 * fields zero, so the sender of `execTransaction` pays, and a failing inner call reverts the whole
 * execution instead of only consuming the nonce).
 */
export function safeTransaction(call: CallRequest & { value?: bigint }, nonce: bigint): SafeTransaction {
  return {
    to: getAddress(call.to),
    value: call.value ?? 0n,
    data: call.data,
    operation: SAFE_OPERATION.CALL,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: ZeroAddress,
    refundReceiver: ZeroAddress,
    nonce,
  };
}

/** `safeTransaction(call, <the Safe's current nonce>)`: the next transaction the Safe will accept. */
export async function nextSafeTransaction(
  safe: string,
  runner: ContractRunner,
  call: CallRequest & { value?: bigint },
): Promise<SafeTransaction> {
  return safeTransaction(call, await Safe__factory.connect(safe, runner).nonce());
}

/** The EIP-712 payload an owner signs (e.g. to hand to a hardware wallet's `eth_signTypedData_v4`). */
export function safeTxTypedData(
  domain: SafeDomain,
  tx: SafeTransaction,
): {
  domain: { chainId: bigint; verifyingContract: string };
  types: Record<string, TypedDataField[]>;
  message: SafeTransaction;
} {
  return {
    domain: { chainId: BigInt(domain.chainId), verifyingContract: getAddress(domain.safe) },
    types: SAFE_TX_TYPES,
    message: tx,
  };
}

/** The Safe transaction hash (EIP-712 digest), equal to the Safe's `getTransactionHash(...)`. */
export function safeTxHash(domain: SafeDomain, tx: SafeTransaction): string {
  const typed = safeTxTypedData(domain, tx);
  return TypedDataEncoder.hash(typed.domain, typed.types, typed.message);
}

/** One owner's signature of a Safe transaction (65 bytes r‖s‖v, v 27/28). */
export interface SafeSignature {
  signer: string;
  signature: string;
}

/** Has `owner` sign the Safe transaction (EIP-712 typed data); works with any ethers Signer. */
export async function signSafeTransaction(
  owner: Signer,
  domain: SafeDomain,
  tx: SafeTransaction,
): Promise<SafeSignature> {
  const typed = safeTxTypedData(domain, tx);
  const signature = await owner.signTypedData(typed.domain, typed.types, typed.message);
  return { signer: getAddress(await owner.getAddress()), signature: Signature.from(signature).serialized };
}

/** The address that produced `signature` over the Safe transaction (to check a collected signature). */
export function recoverSafeSigner(domain: SafeDomain, tx: SafeTransaction, signature: string): string {
  const typed = safeTxTypedData(domain, tx);
  return verifyTypedData(typed.domain, typed.types, typed.message, signature);
}

/**
 * The `signatures` argument of `execTransaction`: each 65-byte ECDSA signature, ordered by ascending
 * owner address as the Safe requires (it walks them and rejects any owner not above the previous one).
 * Throws when an owner signed twice.
 */
export function encodeSafeSignatures(signatures: readonly SafeSignature[]): string {
  const sorted = [...signatures].sort((a, b) => {
    const x = BigInt(a.signer);
    const y = BigInt(b.signer);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  for (let i = 1; i < sorted.length; i++) {
    if (BigInt(sorted[i - 1]?.signer ?? 0) === BigInt(sorted[i]?.signer ?? 0)) {
      throw new Error(`Safe signatures: ${sorted[i]?.signer ?? ''} signed twice`);
    }
  }
  return concat(sorted.map((s) => Signature.from(s.signature).serialized));
}

/** Has every signer in `owners` sign the Safe transaction and returns the encoded signatures. */
export async function collectSafeSignatures(
  owners: readonly Signer[],
  domain: SafeDomain,
  tx: SafeTransaction,
): Promise<string> {
  const signatures: SafeSignature[] = [];
  for (const owner of owners) signatures.push(await signSafeTransaction(owner, domain, tx));
  return encodeSafeSignatures(signatures);
}

/** The `execTransaction` call of the Safe for `tx` with the owners' `signatures` (encoded or not). */
export function safeExecCall(
  safe: string,
  tx: SafeTransaction,
  signatures: string | readonly SafeSignature[],
): CallRequest {
  const encoded = typeof signatures === 'string' ? signatures : encodeSafeSignatures(signatures);
  return {
    to: getAddress(safe),
    data: Safe__factory.createInterface().encodeFunctionData('execTransaction', [
      tx.to,
      tx.value,
      tx.data,
      tx.operation,
      tx.safeTxGas,
      tx.baseGas,
      tx.gasPrice,
      tx.gasToken,
      tx.refundReceiver,
      encoded,
    ]),
  };
}

/**
 * Executes a signed Safe transaction as one TxSender operation under `idempotencyKey` (any key may
 * send it: the owners' signatures carry the authority). Too few or wrong signatures make the Safe
 * revert (GS020/GS026 …), which fails gas estimation, so nothing is sent; a re-run with the same key
 * returns the recorded transaction.
 */
export async function executeSafeTransaction(
  sender: TxSender,
  params: {
    idempotencyKey: string;
    safe: string;
    tx: SafeTransaction;
    signatures: string | readonly SafeSignature[];
  },
): Promise<OperationResult> {
  const call = safeExecCall(params.safe, params.tx, params.signatures);
  return sender.send({ idempotencyKey: params.idempotencyKey, to: call.to, data: call.data });
}
