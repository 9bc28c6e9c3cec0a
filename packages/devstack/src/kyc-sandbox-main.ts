// The local KYC provider as its own process (`npm start` runs it): configured by the environment
// the stack passes (KYC_SANDBOX_PORT, KYC_API_KEY, KYC_WEBHOOK_SECRET, KYC_WEBHOOK_URL, DATA_DIR).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startKycSandbox } from './kyc-sandbox.js';

const env = process.env;
if (!env.KYC_API_KEY || !env.KYC_WEBHOOK_SECRET) {
  console.error('kyc-sandbox: KYC_API_KEY and KYC_WEBHOOK_SECRET are required');
  process.exit(1);
}
const dataDir = env.DATA_DIR ?? '.data';
mkdirSync(dataDir, { recursive: true });
const sandbox = await startKycSandbox({
  port: Number(env.KYC_SANDBOX_PORT ?? 4007),
  apiKey: env.KYC_API_KEY,
  webhookSecret: env.KYC_WEBHOOK_SECRET,
  webhookUrl: env.KYC_WEBHOOK_URL,
  // inquiries survive a restart of `npm start`; a test platform's sandbox keeps them in memory
  stateFile: env.NODE_ENV === 'test' ? undefined : join(dataDir, 'kyc-sandbox.json'),
});
console.log(JSON.stringify({ level: 30, msg: 'kyc sandbox listening', url: sandbox.url }));
const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
