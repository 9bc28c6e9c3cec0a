/** The demo organisations and people the development issuer knows. Development data only. */
export interface DemoTenant {
  id: string;
  name: string;
  domain: string;
}

export interface DemoUser {
  sub: string;
  email: string;
  name: string;
  tenant: DemoTenant;
  roles: string[];
}

export interface MachineClient {
  clientId: string;
  tenant: DemoTenant;
  roles: string[];
}

export const TENANTS: DemoTenant[] = [
  { id: 'acme', name: 'Acme Capital', domain: 'acme.test' },
  { id: 'borealis', name: 'Borealis Bank', domain: 'borealis.test' },
];

const ROLE_NAMES = ['ARRANGER', 'SERVICER', 'COMPLIANCE', 'INVESTOR', 'AUDITOR', 'ADMIN'] as const;

/**
 * One user per role per tenant (`arranger@acme.test`, …, `admin@borealis.test`), and a second
 * compliance officer (`compliance2@…`): a HIGH-risk change a compliance officer asks for (a forced
 * transfer) needs another compliance officer and an admin to approve it.
 */
export const USERS: DemoUser[] = TENANTS.flatMap((tenant) =>
  [
    ...ROLE_NAMES.map((role) => [role.toLowerCase(), role] as const),
    ['compliance2', 'COMPLIANCE'] as const,
  ].map(([local, role]) => ({
    sub: `${tenant.id}-${local}`,
    email: `${local}@${tenant.domain}`,
    name: `${tenant.name} ${local[0]?.toUpperCase()}${local.slice(1)}`,
    tenant,
    roles: [role],
  })),
);

/** Client-credentials clients (an institution's back-end systems). Secrets are generated per install. */
export const MACHINE_CLIENTS: MachineClient[] = TENANTS.map((tenant) => ({
  clientId: `${tenant.id}-integration`,
  tenant,
  roles: ['ARRANGER', 'SERVICER'],
}));

/**
 * The public client the back office signs in with: authorization code with PKCE at `/authorize`.
 * Test tooling and scripts also use it for the password grant (`fetchUserToken`).
 */
export const ADMIN_CLIENT_ID = 'tranche-admin';
