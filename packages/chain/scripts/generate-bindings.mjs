#!/usr/bin/env node
// Generates the typed ethers v6 bindings of @tranche/chain from build outputs, never from copied ABIs:
//  - src/generated/platform: our contracts, from Hardhat's artifacts (runs `hardhat build` first),
//  - src/generated/trex: the T-REX (ERC-3643) contracts, from the artifacts @tokenysolutions/t-rex ships,
//  - src/generated/onchainid: ONCHAINID, from the artifacts @onchain-id/solidity ships,
//  - src/generated/safe: the Safe multisig 1.4.1 (singleton, proxy factory, fallback handler), from the
//    artifacts @safe-global/safe-contracts ships (deployed from there: no second Solidity compiler).
// Then it rewrites relative imports to explicit `.js` paths so the output is valid NodeNext ESM.
// Set TRANCHE_SKIP_HARDHAT_BUILD=1 to reuse existing artifacts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(pkgDir, '../..');
const finalRoot = join(pkgDir, 'src', 'generated');
// Generate into a private directory, then swap it in, so concurrent runs never see half a tree.
const outRoot = join(pkgDir, 'src', `.generated-${process.pid}`);
const require = createRequire(join(pkgDir, 'package.json'));

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`[generate-bindings] ${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

if (process.env.TRANCHE_SKIP_HARDHAT_BUILD !== '1') {
  run(join(repoRoot, 'node_modules', '.bin', 'hardhat'), ['build', '--quiet'], repoRoot);
}

const platformArtifacts = walk(join(repoRoot, 'artifacts', 'contracts')).filter(
  (p) =>
    p.endsWith('.json') &&
    !p.endsWith('.dbg.json') &&
    !p.includes('/build-info/') &&
    !p.includes(`${join('artifacts', 'contracts', 'test')}/`) &&
    !p.endsWith('.t.sol.json'),
);

const trexRoot = dirname(require.resolve('@tokenysolutions/t-rex/package.json'));
const trex = [
  'token/Token.sol/Token.json',
  'registry/implementation/IdentityRegistry.sol/IdentityRegistry.json',
  'registry/implementation/IdentityRegistryStorage.sol/IdentityRegistryStorage.json',
  'registry/implementation/ClaimTopicsRegistry.sol/ClaimTopicsRegistry.json',
  'registry/implementation/TrustedIssuersRegistry.sol/TrustedIssuersRegistry.json',
  'compliance/modular/ModularCompliance.sol/ModularCompliance.json',
  'compliance/modular/modules/CountryRestrictModule.sol/CountryRestrictModule.json',
  'compliance/modular/modules/MaxBalanceModule.sol/MaxBalanceModule.json',
  'compliance/modular/modules/SupplyLimitModule.sol/SupplyLimitModule.json',
].map((p) => join(trexRoot, 'artifacts', 'contracts', p));

const onchainIdRoot = dirname(require.resolve('@onchain-id/solidity/package.json'));
const onchainId = ['Identity.sol/Identity.json', 'ClaimIssuer.sol/ClaimIssuer.json'].map((p) =>
  join(onchainIdRoot, 'artifacts', 'contracts', p),
);

const safeRoot = dirname(require.resolve('@safe-global/safe-contracts/package.json'));
const safe = [
  'Safe.sol/Safe.json',
  'proxies/SafeProxyFactory.sol/SafeProxyFactory.json',
  'handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json',
].map((p) => join(safeRoot, 'build', 'artifacts', 'contracts', p));

// Skip when nothing changed since the last generation (the stamp hashes every input file).
const stampHash = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url)));
for (const f of [...platformArtifacts, ...trex, ...onchainId, ...safe].sort())
  stampHash.update(f).update(readFileSync(f));
const stamp = stampHash.digest('hex');
const stampFile = join(finalRoot, '.stamp');
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log('[generate-bindings] bindings are up to date');
  process.exit(0);
}

const typechain = join(pkgDir, 'node_modules', '.bin', 'typechain');
rmSync(outRoot, { recursive: true, force: true });
for (const [group, files] of [
  ['platform', platformArtifacts],
  ['trex', trex],
  ['onchainid', onchainId],
  ['safe', safe],
]) {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`missing artifacts: ${missing.join(', ')}`);
  // typechain derives the output tree from the files' common path; pass them relative to a common root.
  run(typechain, ['--target', 'ethers-v6', '--out-dir', join(outRoot, group), ...files], pkgDir);
}

// NodeNext ESM needs explicit extensions on relative imports.
for (const file of walk(outRoot).filter((p) => p.endsWith('.ts'))) {
  const source = readFileSync(file, 'utf8');
  const fixed = source.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]*)\2/g, (match, lead, quote, spec) => {
    if (spec.endsWith('.js')) return match;
    const target = resolve(dirname(file), spec);
    if (existsSync(`${target}.ts`)) return `${lead}${quote}${spec}.js${quote}`;
    if (existsSync(join(target, 'index.ts'))) return `${lead}${quote}${spec}/index.js${quote}`;
    return match;
  });
  if (fixed !== source) writeFileSync(file, fixed);
}
mkdirSync(outRoot, { recursive: true });
writeFileSync(
  join(outRoot, 'README.md'),
  '# Generated: do not edit\n\nWritten by `scripts/generate-bindings.mjs` from the Hardhat build and the T-REX/ONCHAINID/Safe packages.\n',
);
// Format like the rest of the repository, so `prettier --check .` passes on generated code too.
const prettier = join(repoRoot, 'node_modules', '.bin', 'prettier');
if (existsSync(prettier)) run(prettier, ['--log-level', 'warn', '--write', outRoot], repoRoot);

writeFileSync(join(outRoot, '.stamp'), stamp);
const stale = `${finalRoot}.old-${process.pid}`;
if (existsSync(finalRoot)) renameSync(finalRoot, stale);
renameSync(outRoot, finalRoot);
rmSync(stale, { recursive: true, force: true });
console.log(`[generate-bindings] wrote ${relative(pkgDir, finalRoot)}/{platform,trex,onchainid,safe}`);
