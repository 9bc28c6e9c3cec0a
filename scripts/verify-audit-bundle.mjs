#!/usr/bin/env node
// audit:verify-bundle — verifies an audit bundle (from `exportAuditBundle`) offline: no platform
// server is asked, only the chain, over any JSON-RPC endpoint the auditor chooses. Prints one line
// per check and exits 1 when any check failed (2 on a usage error). Pool attestations the bundle
// carries are verified against the committed keys in circuits/keys.
//
//   npm run audit:verify-bundle -- <bundle.tar.gz> --rpc <url> [--signer <address>]
//   npm run audit:verify-bundle -- <bundle.tar.gz> --skip-chain --signer <address>
//
// --rpc defaults to CHAIN_RPC_URL. Without a chain (--skip-chain) the anchors are not read and the
// manifest must be signed by --signer. The verifier is built on first use when the workspace has
// not been built yet (`npm run build` builds it too).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const verifierModule = join(root, 'subgraphs/audit/dist/bundle/bundle-verifier.js');
const usage =
  'usage: npm run audit:verify-bundle -- <bundle.tar.gz> [--rpc <url>] [--signer <address>] [--skip-chain]';

function parseArgs(argv) {
  const options = { file: null, rpc: process.env.CHAIN_RPC_URL ?? null, signer: null, skipChain: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--rpc' || arg === '--signer') {
      const value = argv[i + 1];
      if (!value || value.startsWith('--')) throw new Error(`${arg} needs a value`);
      options[arg.slice(2)] = value;
      i += 1;
    } else if (arg === '--skip-chain') options.skipChain = true;
    else if (arg === '--help' || arg === '-h') throw new Error('help');
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (options.file) throw new Error(`one bundle at a time (got ${options.file} and ${arg})`);
    else options.file = arg;
  }
  if (!options.file) throw new Error('which bundle? give its file');
  if (options.skipChain) options.rpc = null;
  else if (!options.rpc)
    throw new Error('give --rpc <url> (or CHAIN_RPC_URL), or --skip-chain with --signer');
  return options;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (err) {
  if (err.message !== 'help') console.error(err.message);
  console.error(usage);
  process.exit(2);
}

if (!existsSync(verifierModule)) {
  console.error('[audit:verify-bundle] building the verifier (first use) ...');
  const build = spawnSync(
    join(root, 'node_modules/.bin/pnpm'),
    ['--filter', '@tranche/audit-subgraph...', '--workspace-concurrency=2', 'run', 'build'],
    { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] },
  );
  if (build.status !== 0) {
    console.error('[audit:verify-bundle] the build failed');
    process.exit(2);
  }
}

const { verifyBundle, rpcChainReader } = await import(pathToFileURL(verifierModule).href);
let archive;
try {
  archive = readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), options.file));
} catch (err) {
  console.error(`cannot read ${options.file}: ${err.message}`);
  process.exit(2);
}

let chain = null;
if (options.rpc) {
  try {
    chain = await rpcChainReader(options.rpc);
  } catch (err) {
    console.log(`FAIL  chain: ${options.rpc} did not answer (${err.message})`);
    console.log('bundle NOT verified: 1 check failed');
    process.exit(1);
  }
}
try {
  // The committed verification keys of the pool-attestation circuits (circuits/keys).
  const keysDir = join(root, 'circuits/keys');
  const verificationKeys = Object.fromEntries(
    readdirSync(keysDir)
      .filter((f) => f.endsWith('.vkey.json'))
      .map((f) => [f.replace('.vkey.json', ''), JSON.parse(readFileSync(join(keysDir, f), 'utf8'))]),
  );
  const report = await verifyBundle(archive, { chain, expectedSigner: options.signer, verificationKeys });
  for (const check of report.checks) console.log(`${check.status.padEnd(4)}  ${check.name}: ${check.detail}`);
  const failed = report.checks.filter((c) => c.status === 'FAIL').length;
  if (failed) {
    console.log(`bundle NOT verified: ${failed} check${failed === 1 ? '' : 's'} failed`);
    process.exitCode = 1;
  } else {
    const where = chain ? 'against the chain' : 'WITHOUT the chain (anchors not read)';
    console.log(`bundle verified ${where}: ${report.checks.length} checks`);
  }
} finally {
  chain?.close();
}
