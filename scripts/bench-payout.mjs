// bench:payout — a distribution to 10,000 holders on a local Hardhat node, the way the platform runs
// it: the holders read from the chain at a record block (Transfer logs, supply check, each holder's
// eligibility at that block), the class cash split and the Merkle tree built, two oracles each
// recomputing everything before signing, the escrow funded and the root published, and the claims
// pushed in batches. The token is a benchmark stand-in (contracts/test/bench) so 10,000 holders can
// be minted without registering 10,000 identities; the payout rail is the real one. Prints BENCH
// lines (times are medians of ROUNDS previews; gas is exact).
//
//   npm run bench:payout          (HOLDERS=10000 BATCH=100 ROUNDS=3 by default)
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  ContractFactory,
  JsonRpcProvider,
  NonceManager,
  Wallet,
  ZeroHash,
  dataSlice,
  getAddress,
  id,
} from 'ethers';

const chainLib = await import('../packages/chain/dist/index.js');
const {
  ensureChain,
  buildPayoutTree,
  DEV_DEPLOYER_KEY,
  DEV_ORACLE_KEYS,
  DistributionManager__factory,
  orderSignatures,
} = chainLib;
const { holdersAt, Oracle } = await import('../subgraphs/distributions/dist/payout/payout.oracle.js');
const { runPeriod, trancheTree } = await import('../subgraphs/distributions/dist/payout/payout.math.js');

const HOLDERS = Number(process.env.HOLDERS ?? 10_000);
const BATCH = Number(process.env.BATCH ?? 100);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bench = (metric, value, unit) => console.log(`BENCH ${metric} ${value} ${unit}`);

const chain = await ensureChain({ port: 0, manifestDir: mkdtempSync(join(tmpdir(), 'bench-payout-')) });
const provider = new JsonRpcProvider(chain.rpcUrl, chain.chainId, {
  staticNetwork: true,
  batchMaxCount: 500,
});
const operator = new NonceManager(new Wallet(DEV_DEPLOYER_KEY, provider));
try {
  const artifact = JSON.parse(
    readFileSync(
      new URL(
        '../artifacts/contracts/test/bench/BenchTrancheToken.sol/BenchTrancheToken.json',
        import.meta.url,
      ),
      'utf8',
    ),
  );
  const token = await new ContractFactory(artifact.abi, artifact.bytecode, operator).deploy();
  await token.waitForDeployment();
  const tokenAddress = await token.getAddress();
  const fromBlock = (await token.deploymentTransaction().wait()).blockNumber;
  const wallets = Array.from({ length: HOLDERS }, (_, i) =>
    getAddress(dataSlice(id(`bench-holder-${i}`), 12)),
  );
  for (let i = 0; i < wallets.length; i += 500)
    await (await token.mintBatch(wallets.slice(i, i + 500), 1_000_000n)).wait();
  await provider.send('evm_mine', []);
  const minted = await token.totalSupply();
  if (minted !== BigInt(HOLDERS) * 1_000_000n) throw new Error(`minted ${minted} for ${HOLDERS} holders`);
  const recordBlock = Number(await provider.send('eth_blockNumber', [])) - 1;

  const rules = readFileSync(
    new URL('../packages/devstack/src/demo/acme-rules.json', import.meta.url),
    'utf8',
  );
  const inputs = {
    rules,
    state: null,
    report: JSON.stringify({
      period: 1,
      poolBalanceBegin: '500000000.00',
      interestCollected: '2100000.00',
      scheduledPrincipal: '600000.00',
      prepayments: '1400000.00',
      poolBalanceEnd: '498000000.00',
    }),
  };
  const run = runPeriod(inputs);

  // preview: holders at the record block + split + tree (what previewDistribution does per tranche)
  const previews = [];
  const reads = [];
  const trees = [];
  let tranche;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const holders = await holdersAt(provider, tokenAddress, fromBlock, recordBlock);
    const t1 = performance.now();
    tranche = trancheTree(run, 'A', 2, holders);
    const t2 = performance.now();
    reads.push(t1 - t0);
    trees.push(t2 - t1);
    previews.push(t2 - t0);
  }
  if (tranche.payouts.length !== HOLDERS)
    throw new Error(
      `expected ${HOLDERS} leaves, got ${tranche.payouts.length} (${JSON.stringify(tranche.payouts.slice(0, 2), (k, v) => (typeof v === 'bigint' ? v.toString() : v))})`,
    );
  bench(`preview_${HOLDERS}_holders`, (median(previews) / 1000).toFixed(2), 's');
  bench(`holders_at_record_block_${HOLDERS}`, (median(reads) / 1000).toFixed(2), 's');
  bench(`tree_build_${HOLDERS}`, median(trees).toFixed(0), 'ms');

  // oracles recompute and sign; fund; publish
  const dmAddress = chain.manifest.contracts.distributionManager.address;
  const dm = DistributionManager__factory.connect(dmAddress, operator);
  const stablecoin = chain.manifest.contracts.stablecoin.address;
  const distributionId = id('bench-payout');
  const latest = await provider.getBlock('latest');
  const publication = {
    distributionId,
    token: tokenAddress,
    stablecoin,
    merkleRoot: tranche.tree.root,
    total: tranche.tree.total,
    recordBlock: BigInt(recordBlock),
    claimDeadline: BigInt(latest.timestamp + 90 * 86_400),
  };
  const t0 = performance.now();
  const signatures = [];
  for (const key of DEV_ORACLE_KEYS.slice(0, Number(await dm.oracleThreshold()))) {
    signatures.push(
      await new Oracle(new Wallet(key), provider).attest({
        inputs,
        classId: 'A',
        minorDigits: 2,
        fromBlock,
        publication,
        chainId: chain.chainId,
        distributionManager: dmAddress,
      }),
    );
  }
  bench('oracles_attest_2_of_3', ((performance.now() - t0) / 1000).toFixed(2), 's');
  await (await dm.fund(distributionId, stablecoin, tranche.tree.total)).wait();
  const published = await (await dm.publish(publication, orderSignatures(signatures))).wait();
  bench(`publish_${HOLDERS}_holders`, published.gasUsed.toString(), 'gas');

  // one claim (the distribution's first), then push the rest in batches
  // the proofs are built when the claims are pushed (as the execution job does)
  const t2 = performance.now();
  const full = buildPayoutTree(tranche.payouts);
  bench(`proofs_build_${HOLDERS}`, (performance.now() - t2).toFixed(0), 'ms');
  if (full.root !== tranche.tree.root) throw new Error('the proofs are of another tree');
  const [first, ...rest] = full.claims;
  const claimed = await (
    await dm.claimFor(distributionId, first.index, first.account, first.amount, first.proof)
  ).wait();
  bench('claim_first', claimed.gasUsed.toString(), 'gas');
  const [second, ...others] = rest;
  const later = await (
    await dm.claimFor(distributionId, second.index, second.account, second.amount, second.proof)
  ).wait();
  bench('claim_later', later.gasUsed.toString(), 'gas');
  let gas = 0n;
  const t1 = performance.now();
  for (let i = 0; i < others.length; i += BATCH) {
    const receipt = await (await dm.batchClaimFor(distributionId, others.slice(i, i + BATCH))).wait();
    gas += receipt.gasUsed;
  }
  const seconds = (performance.now() - t1) / 1000;
  bench('push_throughput', (others.length / seconds).toFixed(0), 'holders/s');
  bench(`push_gas_per_holder_batch_${BATCH}`, (gas / BigInt(others.length)).toString(), 'gas');
  const d = await dm.distribution(distributionId);
  if (d.claimed !== tranche.tree.total) throw new Error(`paid ${d.claimed} of ${tranche.tree.total}`);
  if (ZeroHash === tranche.tree.root) throw new Error('empty tree');
} finally {
  provider.destroy();
  await chain.stop();
}
