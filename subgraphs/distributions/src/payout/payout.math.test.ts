import { readFileSync } from 'node:fs';
import { PUBLICATION_TYPES, publicationDomain, type Publication } from '@tranche/chain';
import { JsonRpcProvider, verifyTypedData, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  splitProRata,
  toStablecoin,
  trancheTree,
  runPeriod,
  inputSha256,
  type RunInputs,
} from './payout.math.js';
import { Oracle, OracleDisagreement } from './payout.oracle.js';

const rules = readFileSync(
  new URL('../../../../packages/devstack/src/demo/acme-rules.json', import.meta.url),
  'utf8',
);
const report = JSON.stringify({
  period: 1,
  poolBalanceBegin: '500000000.00',
  interestCollected: '2100000.00',
  scheduledPrincipal: '600000.00',
  prepayments: '1400000.00',
  poolBalanceEnd: '498000000.00',
});
const inputs: RunInputs = { rules, state: null, report };
const holders = [
  { account: '0x00000000000000000000000000000000000000B2', balance: 1n },
  { account: '0x00000000000000000000000000000000000000a1', balance: 2n },
];

describe('payout arithmetic', () => {
  it('pays each holder floor(cash × balance / supply), never more than the cash, in address order', () => {
    const split = splitProRata(100n, [
      ...holders,
      { account: '0x00000000000000000000000000000000000000c3', balance: 0n },
    ]);
    expect(split).toEqual([
      { account: holders[1]!.account, amount: 66n },
      { account: holders[0]!.account, amount: 33n },
    ]);
    expect(split.reduce((s, p) => s + p.amount, 0n)).toBeLessThanOrEqual(100n);
    expect(splitProRata(100n, [])).toEqual([]);
    // a holder not eligible at the record block is left out, and their share is not spread over the rest
    expect(splitProRata(100n, [{ ...holders[0]!, eligible: false }, holders[1]!])).toEqual([
      { account: holders[1]!.account, amount: 66n },
    ]);
  });

  it('converts cents to 6-decimal stablecoin units exactly', () => {
    expect(toStablecoin(123n, 2)).toBe(1_230_000n);
    expect(() => toStablecoin(1n, 8)).toThrow(/cannot be paid exactly/);
  });

  it('hashes the run’s inputs canonically (key order does not matter) and reruns to the same cents', () => {
    const reordered = {
      ...inputs,
      report: JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(report) as object).reverse())),
    };
    expect(inputSha256(reordered)).toBe(inputSha256(inputs));
    const a = trancheTree(runPeriod(inputs), 'A', 2, holders);
    const b = trancheTree(runPeriod(reordered), 'A', 2, [...holders].reverse());
    expect(b.tree.root).toBe(a.tree.root);
    expect(a.cash).toBe(3_583_333_330_000n);
    expect(a.tree.total + a.remainder).toBe(a.cash);
  });
});

describe('an oracle', () => {
  const key = Wallet.createRandom();
  const provider = new JsonRpcProvider('http://127.0.0.1:9'); // never called: holders are given
  const oracle = new Oracle(key, provider, () => Promise.resolve(holders));
  const tree = trancheTree(runPeriod(inputs), 'A', 2, holders);
  const publication: Publication = {
    distributionId: `0x${'11'.repeat(32)}`,
    token: '0x0000000000000000000000000000000000000001',
    stablecoin: '0x0000000000000000000000000000000000000002',
    merkleRoot: tree.tree.root,
    total: tree.tree.total,
    recordBlock: 10n,
    claimDeadline: 2_000_000_000n,
  };
  const request = {
    inputs,
    classId: 'A',
    minorDigits: 2,
    fromBlock: 0,
    chainId: 31337,
    distributionManager: '0x0000000000000000000000000000000000000003',
  };

  it('signs the EIP-712 publication when its own run and holders give the proposed root and total', async () => {
    const signed = await oracle.attest({ ...request, publication });
    const signer = verifyTypedData(
      publicationDomain(31337, request.distributionManager),
      PUBLICATION_TYPES,
      publication,
      signed.signature,
    );
    expect(signer).toBe(key.address);
  });

  it('refuses a root or total it does not compute itself, or a report whose principal differs from the one run', async () => {
    await expect(
      oracle.attest({ ...request, publication: { ...publication, merkleRoot: `0x${'22'.repeat(32)}` } }),
    ).rejects.toBeInstanceOf(OracleDisagreement);
    await expect(
      oracle.attest({ ...request, publication: { ...publication, total: publication.total + 1n } }),
    ).rejects.toBeInstanceOf(OracleDisagreement);
    const changed = {
      ...inputs,
      report: report.replace('1400000.00', '1400001.00').replace('498000000.00', '497999999.00'),
    };
    await expect(oracle.attest({ ...request, inputs: changed, publication })).rejects.toBeInstanceOf(
      OracleDisagreement,
    );
    const otherHolders = new Oracle(key, provider, () => Promise.resolve([holders[0]!]));
    await expect(otherHolders.attest({ ...request, publication })).rejects.toBeInstanceOf(OracleDisagreement);
  });
});
