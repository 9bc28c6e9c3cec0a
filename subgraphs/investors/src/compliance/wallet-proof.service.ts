import { LockMode } from '@mikro-orm/core';
import { createHash } from 'node:crypto';
import {
  actorOf,
  ConflictError,
  NotFoundError,
  TenantService,
  ValidationError,
  type Config,
  type Role,
} from '@tranche/platform';
import { getAddress, isAddress, verifyMessage } from 'ethers';
import { generateNonce, SiweMessage } from 'siwe';
import { Investor } from '../investor/investor.entity.js';
import { WalletChallenge } from './wallet-challenge.entity.js';

/** Who issues wallet-proof messages and submits the signed ones (the gate's `investor.onboard`). */
export const WALLET_PROVERS: readonly Role[] = ['COMPLIANCE', 'ADMIN'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What the wallet proof needs of the configuration. */
export type WalletProofConfig = Pick<Config, 'SIWE_DOMAIN' | 'SIWE_URI' | 'SIWE_TTL_SECONDS'> & {
  chainId: number;
};

/**
 * Wallet proof with Sign-In with Ethereum (EIP-4361): the platform issues a message for the
 * configured portal domain naming the investor's wallet, a single-use nonce and an expiry; the
 * investor signs it with the wallet; the signed message links the wallet only if it is exactly the
 * message issued (same text, so same domain, address, chain and nonce), unexpired, unused, and
 * signed by that address. The nonce is spent in the same statement that checks it.
 */
export class WalletProofService extends TenantService {
  /**
   * A new message for the investor to sign.
   *
   * @throws ValidationError for a malformed address; NotFoundError for an unknown investor
   */
  async challenge(investorId: string, address: string, config: WalletProofConfig, now = new Date()) {
    if (!isAddress(address)) throw new ValidationError({ address: 'not an Ethereum address' });
    const investor = await this.findOwned(Investor, investorId);
    if (!investor) throw new NotFoundError('Investor', investorId);
    const wallet = getAddress(address);
    const expiresAt = new Date(now.getTime() + config.SIWE_TTL_SECONDS * 1000);
    const nonce = generateNonce();
    const message = new SiweMessage({
      domain: config.SIWE_DOMAIN,
      address: wallet,
      statement: `Link this wallet to investor ${investor.id} (${investor.legalName}) on Tranche.`,
      uri: config.SIWE_URI,
      version: '1',
      chainId: config.chainId,
      nonce,
      issuedAt: now.toISOString(),
      expirationTime: expiresAt.toISOString(),
    }).prepareMessage();
    return this.em.transactional(async (tx) => {
      const challenge = tx.create(WalletChallenge, {
        tenantId: this.tenantId,
        investorId: investor.id,
        address: wallet,
        nonce,
        message,
        messageSha256: sha256(message),
        domain: config.SIWE_DOMAIN,
        chainId: config.chainId,
        expiresAt,
        createdBy: actorOf(this.principal),
      });
      await this.audit(tx, {
        action: 'investor.wallet_challenged',
        aggregateType: 'Investor',
        aggregateId: investor.id,
        payload: { address: wallet, nonce, expiresAt: expiresAt.toISOString() },
      });
      return challenge;
    });
  }

  /**
   * Links the wallet of a signed message.
   *
   * @throws ValidationError for a malformed message or signature, one for another domain, one that
   *   was not issued as it reads, an expired one, or a signature by another key; ConflictError for a
   *   message already used (a replay)
   */
  async prove(
    message: string,
    signature: string,
    config: WalletProofConfig,
    now = new Date(),
  ): Promise<Investor> {
    let parsed: SiweMessage;
    try {
      parsed = new SiweMessage(message);
    } catch (err) {
      throw new ValidationError({
        message: `not an EIP-4361 message: ${(err as Error).message}`.slice(0, 300),
      });
    }
    if (parsed.domain !== config.SIWE_DOMAIN)
      throw new ValidationError({ message: `issued for ${parsed.domain}, not for ${config.SIWE_DOMAIN}` });
    const challenge = await this.em.findOne(WalletChallenge, {
      nonce: parsed.nonce,
      tenantId: this.tenantId,
    });
    if (!challenge) throw new ValidationError({ message: 'unknown nonce: ask for a new message' });
    if (challenge.messageSha256 !== sha256(message))
      throw new ValidationError({ message: 'not the message issued for this nonce (a field was changed)' });
    if (challenge.usedAt) throw new ConflictError('this message was already used: ask for a new one');
    if (now.getTime() > challenge.expiresAt.getTime())
      throw new ValidationError({
        message: `expired at ${challenge.expiresAt.toISOString()}: ask for a new message`,
      });
    let signer: string;
    try {
      signer = verifyMessage(message, signature);
    } catch {
      throw new ValidationError({ signature: 'not a valid signature' });
    }
    if (signer !== challenge.address)
      throw new ValidationError({ signature: `signed by ${signer}, not by ${challenge.address}` });
    return this.em.transactional(async (tx) => {
      const spent = await tx.execute<{ id: string }[]>(
        `update "${this.schema}".wallet_challenge set used_at = ? where id = ? and used_at is null returning id`,
        [now, challenge.id],
      );
      if (!spent.length) throw new ConflictError('this message was already used: ask for a new one');
      const investor = await tx.findOneOrFail(
        Investor,
        { id: challenge.investorId, tenantId: this.tenantId },
        {
          lockMode: LockMode.PESSIMISTIC_WRITE,
        },
      );
      const previous = investor.walletAddress;
      investor.walletAddress = challenge.address;
      await this.audit(tx, {
        action: 'investor.wallet_linked',
        aggregateType: 'Investor',
        aggregateId: investor.id,
        payload: { address: challenge.address, previous, nonce: challenge.nonce, chainId: challenge.chainId },
      });
      return investor;
    });
  }
}
