// The local KMS as its own process, for running the oracles against KMS-held keys off AWS:
//   node packages/chain/dist/kms/kms-sandbox-main.js
// configured by KMS_SANDBOX_PORT (default 4599), KMS_SANDBOX_KEYS (comma-separated private keys;
// default the development oracle keys, which a local DistributionManager lists as its oracle
// signers), ORACLE_KMS_REGION (default us-east-1), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
// It prints the ORACLE_KMS_* settings that point the distributions subgraph at it.
import { DEV_ORACLE_KEYS } from '../platform-constants.js';
import { startKmsSandbox } from './kms-sandbox.js';

const env = process.env;
if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
  console.error(
    'kms-sandbox: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required (the credentials it accepts)',
  );
  process.exit(1);
}
const keys = env.KMS_SANDBOX_KEYS
  ? env.KMS_SANDBOX_KEYS.split(',')
      .map((k) => k.trim())
      .filter(Boolean)
  : [...DEV_ORACLE_KEYS];
const sandbox = await startKmsSandbox({
  port: Number(env.KMS_SANDBOX_PORT ?? 4599),
  region: env.ORACLE_KMS_REGION || 'us-east-1',
  accessKeyId: env.AWS_ACCESS_KEY_ID,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  keys,
});
console.log(
  JSON.stringify({ level: 30, msg: 'kms sandbox listening', url: sandbox.url, addresses: sandbox.addresses }),
);
console.log(
  [
    `ORACLE_KMS_ENDPOINT=${sandbox.url}`,
    `ORACLE_KMS_REGION=${sandbox.region}`,
    `ORACLE_KMS_KEY_IDS=${sandbox.keyIds.join(',')}`,
  ].join('\n'),
);
const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
