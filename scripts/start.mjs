#!/usr/bin/env node
// `npm start`: builds what is stale, starts the whole platform on embedded defaults (or on
// DATABASE_URL / CHAIN_RPC_URL when set), seeds the demo, prints where everything is, and stops
// every process and the embedded database on Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
const started = Date.now();

function step(label, cmd, args) {
  process.stdout.write(`» ${label} ...\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`✗ ${label} failed`);
    process.exit(r.status ?? 1);
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const pnpm = join(root, 'node_modules/.bin/pnpm');
step('building the services', pnpm, ['run', '--silent', 'build']);
// The demo deal's 64-loan tape is attested with the pool64 circuit: its dev keys are built on the
// first start (about 2 minutes on 2 cores, cached under circuits/build), checked in seconds after.
step('building the pool64 circuit the demo attests with (first start: about 2 min)', pnpm, [
  '--filter',
  '@tranche/circuits',
  'run',
  '--silent',
  'build:instances',
  'pool64',
]);
const adminIndex = join(root, 'admin/dist/index.html');
const hasAdmin = existsSync(join(root, 'admin/package.json'));
if (
  hasAdmin &&
  (!existsSync(adminIndex) || newestMtime(join(root, 'admin/src')) > statSync(adminIndex).mtimeMs)
) {
  step('building the back office', pnpm, ['--filter', '@tranche/admin', 'run', 'build']);
}

const { startStack, seedDemo } = await import('../packages/devstack/dist/index.js');
const { ensureChain, governanceOptionsFromEnv } = await import('../packages/chain/dist/index.js');
const { USERS, MACHINE_CLIENTS } = await import('../packages/dev-issuer/dist/index.js');

const manifestDir = join(dataDir, 'chain/deployments');
process.stdout.write(
  process.env.CHAIN_RPC_URL
    ? `» using the chain at ${process.env.CHAIN_RPC_URL} ...\n`
    : '» starting a local Hardhat node and deploying the platform contracts ...\n',
);
let chain;
try {
  chain = await ensureChain({
    rpcUrl: process.env.CHAIN_RPC_URL || undefined,
    port: Number(process.env.CHAIN_PORT ?? 8545),
    manifestDir,
    ...governanceOptionsFromEnv(process.env),
  });
} catch (err) {
  console.error(`✗ chain start-up failed: ${err.message}`);
  process.exit(1);
}

process.stdout.write('» starting PostgreSQL, the identity provider, the subgraphs and the gateway ...\n');
let stack;
try {
  stack = await startStack({
    env: { CHAIN_RPC_URL: chain.rpcUrl, CHAIN_MANIFEST_DIR: manifestDir },
    root,
    dataDir,
    databaseUrl: process.env.DATABASE_URL || undefined,
    embeddedPgPort: Number(process.env.EMBEDDED_PG_PORT ?? 5488),
    admin: hasAdmin && existsSync(adminIndex),
    logLevel: process.env.LOG_LEVEL ?? 'info',
    echo: (line) => console.log(line),
  });
} catch (err) {
  console.error(`✗ start-up failed: ${err.message}\n  logs: ${join(dataDir, 'logs')}`);
  await chain.stop();
  process.exit(1);
}

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n» ${signal}: stopping every service and the database ...`);
  await stack.stop();
  await chain.stop();
  console.log('» stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  const seeded = await seedDemo(stack.gatewayUrl, stack.issuerUrl, {
    issue: true,
    kyc: { apiUrl: `${stack.kycSandboxUrl}/api/v1`, apiKey: stack.kyc.apiKey },
    attest: true,
  });
  console.log(seeded.length ? `» seeded: ${seeded.join(', ')}` : '» demo data already present');
} catch (err) {
  console.error(`✗ seeding failed: ${err.message}`);
  await stack.stop();
  await chain.stop();
  process.exit(1);
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
const roles = USERS.filter((u) => u.tenant.id === 'acme').map((u) => u.email.split('@')[0]);
console.log(`
Tranche is running (started in ${seconds} s)

  GraphQL gateway   ${stack.gatewayUrl}
  Back office       ${stack.adminUrl ?? '(admin not built)'}
  OIDC issuer       ${stack.issuerUrl}/.well-known/openid-configuration
  KYC sandbox       ${stack.kycSandboxUrl} (the local KYC provider's hosted pages and API)
  Subgraphs         ${Object.values(stack.subgraphUrls).join('  ')}
  Database          ${stack.databaseUrl.replace(/:[^:@/]+@/, ':***@')}
  Chain             ${chain.rpcUrl} (chain id ${chain.chainId}${chain.deployed ? ', contracts deployed now' : ''})
  Deployment        ${join(manifestDir, `${chain.chainId}.json`)}
  Logs              ${stack.logDir}

Demo logins (password: demo-password)
  Acme Capital      ${roles.map((r) => `${r}@acme.test`).join(', ')}
  Borealis Bank     ${roles.map((r) => `${r}@borealis.test`).join(', ')}
  Machine clients   ${MACHINE_CLIENTS.map((c) => c.clientId).join(', ')} (secrets in ${join(dataDir, 'issuer/client-secrets.json')})

Try it
  TOKEN=$(npm run -s token -- arranger@acme.test)
  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
    -d '{"query":"{ deals { total items { name status investorCount tranches { name distributions { period interestAmount } } } } }"}'

Press Ctrl-C to stop.`);
