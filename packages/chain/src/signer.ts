import {
  AbstractSigner,
  type Provider,
  Signature,
  type TransactionLike,
  type TransactionRequest,
  type TypedDataDomain,
  type TypedDataField,
  Transaction,
  TypedDataEncoder,
  Wallet,
  getAddress,
  hashMessage,
  recoverAddress,
  resolveAddress,
} from 'ethers';

/** secp256k1 group order; signatures with s above n/2 are normalised (EIP-2). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * What a KMS or HSM key must offer: its Ethereum address and a raw secp256k1 signature of a 32-byte
 * digest. `v` may be omitted (AWS KMS and most HSMs return only r and s): it is recovered by
 * matching the address. Implement this over your KMS client; `localKeyBackend` is the dev/test one.
 */
export interface RemoteKeyBackend {
  getAddress(): Promise<string>;
  signDigest(digest: string): Promise<{ r: string; s: string; v?: number }>;
}

/**
 * An ethers Signer whose key never leaves a KMS/HSM: transactions, messages (EIP-191) and typed data
 * (EIP-712) are hashed here and only the digest is sent to the backend. Low-s normalisation and the
 * recovery id are handled here, so backends may return any valid (r, s).
 */
export class RemoteSigner extends AbstractSigner {
  readonly #backend: RemoteKeyBackend;
  #address: string | undefined;

  constructor(backend: RemoteKeyBackend, provider?: Provider | null) {
    super(provider);
    this.#backend = backend;
  }

  override async getAddress(): Promise<string> {
    this.#address ??= getAddress(await this.#backend.getAddress());
    return this.#address;
  }

  override connect(provider: Provider | null): RemoteSigner {
    return new RemoteSigner(this.#backend, provider);
  }

  /** Signs `digest` with the backend and returns a canonical (low-s, v in {27, 28}) signature. */
  async signDigest(digest: string): Promise<Signature> {
    const raw = await this.#backend.signDigest(digest);
    let s = BigInt(raw.s);
    let flipped = false;
    if (s > SECP256K1_N / 2n) {
      s = SECP256K1_N - s;
      flipped = true;
    }
    const sHex = '0x' + s.toString(16).padStart(64, '0');
    const address = await this.getAddress();
    const candidates =
      raw.v === undefined
        ? [27, 28]
        : [flipped ? (raw.v % 2 === 0 ? 27 : 28) : raw.v < 27 ? raw.v + 27 : raw.v];
    for (const v of candidates) {
      const sig = Signature.from({ r: raw.r, s: sHex, v });
      if (recoverAddress(digest, sig) === address) return sig;
    }
    throw new Error('RemoteSigner: the backend signature does not recover to its address');
  }

  override async signTransaction(request: TransactionRequest): Promise<string> {
    const populated = await this.populateTransaction(request);
    const { to, from, ...rest } = populated;
    const tx = Transaction.from({
      ...(rest as TransactionLike<string>),
      to: to === null || to === undefined ? null : await resolveAddress(to, this.provider),
    });
    if (from !== null && from !== undefined) {
      const sender = await resolveAddress(from, this.provider);
      if (getAddress(sender) !== (await this.getAddress()))
        throw new Error('RemoteSigner: transaction from mismatch');
    }
    tx.signature = await this.signDigest(tx.unsignedHash);
    return tx.serialized;
  }

  override async signMessage(message: string | Uint8Array): Promise<string> {
    return (await this.signDigest(hashMessage(message))).serialized;
  }

  override async signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string> {
    return (await this.signDigest(TypedDataEncoder.hash(domain, types, value))).serialized;
  }
}

/** A local private key (dev only): an ethers Wallet. */
export function localKeySigner(privateKey: string, provider?: Provider | null): Wallet {
  return new Wallet(privateKey, provider);
}

/**
 * Decrypts an encrypted JSON keystore (Web3 Secret Storage v3, as geth/ethers write it) with
 * `password`. Throws on a wrong password or a malformed keystore.
 */
export async function keystoreSigner(
  json: string,
  password: string,
  provider?: Provider | null,
): Promise<Wallet> {
  const wallet = await Wallet.fromEncryptedJson(json, password);
  return provider ? new Wallet(wallet.privateKey, provider) : new Wallet(wallet.privateKey);
}

/** Encrypts `privateKey` into a JSON keystore (scrypt). For provisioning tools and tests. */
export async function encryptKeystore(privateKey: string, password: string): Promise<string> {
  return new Wallet(privateKey).encrypt(password);
}

/** A `RemoteKeyBackend` over a local key: the stand-in for a KMS in dev and tests. */
export function localKeyBackend(privateKey: string): RemoteKeyBackend {
  const wallet = new Wallet(privateKey);
  return {
    getAddress: async () => wallet.address,
    signDigest: async (digest: string) => {
      const sig = wallet.signingKey.sign(digest);
      return { r: sig.r, s: sig.s };
    },
  };
}
