import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MACHINE_CLIENTS, USERS } from './directory.js';
import { fetchClientToken, fetchUserToken } from './issuer.js';

// Development only: prints a bearer token for a seeded user or machine client, so a newcomer
// can `curl` the API. Usage: pnpm -s token <email | client-id>
const who = process.argv[2];
const issuer = process.env.OIDC_ISSUER ?? 'http://127.0.0.1:4005';
if (!who) {
  console.error(`usage: pnpm -s token <user>\nusers: ${USERS.map((u) => u.email).join(', ')}`);
  console.error(`machine clients: ${MACHINE_CLIENTS.map((c) => c.clientId).join(', ')}`);
  process.exit(2);
}
try {
  const client = MACHINE_CLIENTS.find((c) => c.clientId === who);
  if (client) {
    const secrets = JSON.parse(
      readFileSync(join(process.env.DATA_DIR ?? '.data', 'issuer', 'client-secrets.json'), 'utf8'),
    ) as Record<string, string>;
    console.log(await fetchClientToken(issuer, client.clientId, secrets[client.clientId] ?? ''));
  } else {
    console.log(await fetchUserToken(issuer, who));
  }
} catch (err) {
  console.error(`${(err as Error).message} (is the platform running? start it with npm start)`);
  process.exit(1);
}
