import { z } from 'zod';
import { envPrefix, TOPOLOGY, type SubgraphName } from './topology.js';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url().optional())
  .optional();

/**
 * Every environment variable the platform reads, with its default. This schema is the one
 * source of truth; `.env.example` documents the same names.
 */
const chainListSchema = z
  .array(
    z.object({
      chainId: z.number().int().positive(),
      name: z.string().min(1),
      rpcUrl: z.url(),
    }),
  )
  .min(1)
  .refine(
    (chains) => new Set(chains.map((c) => c.chainId)).size === chains.length,
    'chain ids must be unique',
  );

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),

  DATABASE_URL: optionalUrl,
  EMBEDDED_PG_PORT: port(5488),
  DATA_DIR: z.string().default('.data'),
  /** Apply committed migrations when a subgraph starts; default: on outside production. */
  DB_MIGRATE_ON_START: z.enum(['true', 'false']).optional(),

  OIDC_ISSUER: z.url().default(`http://127.0.0.1:${TOPOLOGY.issuer.port}`),
  OIDC_AUDIENCE: z.string().default('tranche-api'),
  OIDC_JWKS_URI: optionalUrl,
  OIDC_ROLES_CLAIM: z.string().default('roles'),
  OIDC_TENANT_CLAIM: z.string().default('tenant'),

  // Default ports come from the topology (topology.ts), the one place they are declared.
  GATEWAY_PORT: port(TOPOLOGY.gateway.port),
  DEALS_PORT: port(TOPOLOGY.subgraphs.deals.port),
  INVESTORS_PORT: port(TOPOLOGY.subgraphs.investors.port),
  DISTRIBUTIONS_PORT: port(TOPOLOGY.subgraphs.distributions.port),
  AUDIT_PORT: port(TOPOLOGY.subgraphs.audit.port),
  ISSUER_PORT: port(TOPOLOGY.issuer.port),
  ADMIN_PORT: port(TOPOLOGY.admin.port),
  DEALS_URL: optionalUrl,
  INVESTORS_URL: optionalUrl,
  DISTRIBUTIONS_URL: optionalUrl,
  AUDIT_URL: optionalUrl,

  CORS_ORIGINS: z
    .string()
    .default(`http://127.0.0.1:${TOPOLOGY.admin.port},http://localhost:${TOPOLOGY.admin.port}`)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  GATEWAY_MAX_DEPTH: z.coerce.number().int().positive().default(8),
  GATEWAY_MAX_COST: z.coerce.number().int().positive().default(20000),
  /** A subgraph call fails when its headers, or a pause in its body, take longer (milliseconds). */
  GATEWAY_SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(30000),
  AUDIT_WRITER_INTERVAL_MS: z.coerce.number().int().positive().default(250),
  /**
   * Seconds a job worker may miss its heartbeat before its locked jobs are taken as orphaned by a
   * dead process and run again (the queue's own lock expiry is four hours).
   */
  JOB_LIVENESS_GRACE_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /** Anchor a tenant's audit ledger on-chain once this many events are unanchored... */
  AUDIT_ANCHOR_EVERY_EVENTS: z.coerce.number().int().positive().default(100),
  /** ...or once its oldest unanchored event is this old (minutes). */
  AUDIT_ANCHOR_EVERY_MINUTES: z.coerce.number().int().positive().default(10),
  /** How often every subgraph's enforcement gate re-reads kill switches, grants and policies. */
  GATE_REFRESH_MS: z.coerce.number().int().positive().default(200),
  /** Gate state older than this is not trusted: side effects are refused (fail closed). */
  GATE_MAX_STALENESS_MS: z.coerce.number().int().positive().default(1000),
  /** Side effects of one kind one caller may start per minute. */
  GATE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),

  /** Any EVM JSON-RPC endpoint; unset: the start command runs a local Hardhat node on CHAIN_PORT. */
  CHAIN_RPC_URL: optionalUrl,
  CHAIN_PORT: port(8545),
  /**
   * The chains deals may live on, as JSON: `[{"chainId":31337,"name":"Hardhat","rpcUrl":"http://…"}]`.
   * Unset: the one chain at CHAIN_RPC_URL (its id read from the node).
   */
  CHAINS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text?.trim()) return undefined;
      try {
        return chainListSchema.parse(JSON.parse(text));
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          message: `not a list of {chainId, name, rpcUrl}: ${(err as Error).message}`,
        });
        return z.NEVER;
      }
    }),
  /** Where deployment manifests (`<chainId>.json`) are kept. */
  CHAIN_MANIFEST_DIR: z.string().default('.data/chain/deployments'),
  /**
   * The platform's service key (OPERATOR_ROLE: anchoring, payouts), hex. Required off local
   * chains; on a local chain (Hardhat) it defaults to the public development deployer key.
   */
  CHAIN_OPERATOR_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .optional(),
  /** The platform timelock's delay for a new deployment; unset: 60 s locally, 48 h elsewhere. */
  CHAIN_TIMELOCK_DELAY_SECONDS: z.coerce.number().int().min(0).optional(),
  /** The Safe that proposes contract administration: an existing one, or owners and k for a new one. */
  CHAIN_SAFE_ADDRESS: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/)
    .optional(),
  CHAIN_SAFE_OWNERS: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}(\s*,\s*0x[0-9a-fA-F]{40})*$/)
    .optional(),
  CHAIN_SAFE_THRESHOLD: z.coerce.number().int().min(1).optional(),

  /**
   * Who wraps the data keys that encrypt PII at rest: `local` (a key file, development and tests)
   * or `kms` (a key management service, production; KMS_KEY_ID names the key).
   */
  KEY_PROVIDER: z.enum(['local', 'kms']).default('local'),
  /** The local key provider's key-encryption key (32 random bytes, hex); created on first use outside production. */
  LOCAL_KEY_FILE: z.string().default('.data/keys/local-kek.hex'),
  KMS_KEY_ID: z.string().optional(),
  /** Largest loan tape accepted, bytes, and most loans in one tape. */
  TAPE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024),
  TAPE_MAX_ROWS: z.coerce.number().int().positive().default(250_000),

  /**
   * Wallet proof (Sign-In with Ethereum, EIP-4361): the domain and URI of the investor portal the
   * messages are issued for (a message for any other domain is refused), and how long one is valid.
   */
  SIWE_DOMAIN: z.string().min(1).default('invest.tranche.local'),
  SIWE_URI: z.url().default('https://invest.tranche.local/wallet'),
  SIWE_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),

  /**
   * Sanctions screening: the directory holding OFAC's `sdn.csv` and `alt.csv` (unset: the small
   * fictitious sample shipped with the investors subgraph) and the name-similarity score (0–1) at
   * or above which a name is a potential match.
   */
  SANCTIONS_LIST_DIR: z.string().optional(),
  SANCTIONS_MATCH_THRESHOLD: z.coerce.number().min(0.5).max(1).default(0.9),

  /**
   * KYC provider (an inquiry-style vendor API: create an inquiry, the investor completes it on the
   * vendor's hosted page, the vendor calls our signed webhook). The default URL is the local
   * sandbox `npm start` runs; the API key and the webhook secret have no default: without them no
   * inquiry can be opened and every webhook is refused (fail closed). A verification is valid for
   * KYC_VALIDITY_DAYS; a webhook older than KYC_WEBHOOK_TOLERANCE_SECONDS is refused.
   */
  KYC_PROVIDER_NAME: z.string().min(1).default('kyc-sandbox'),
  KYC_PROVIDER_URL: z.url().default(`http://127.0.0.1:${TOPOLOGY.kycSandbox.port}/api/v1`),
  KYC_API_KEY: z.string().min(1).optional(),
  KYC_WEBHOOK_SECRET: z.string().min(16).optional(),
  KYC_TEMPLATE_ID: z.string().min(1).default('itmpl_tranche_investor'),
  KYC_VALIDITY_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  KYC_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /**
   * The distribution oracles' keys (comma-separated private keys, one per oracle; in production
   * each oracle runs with its own key, e.g. in a KMS behind @tranche/chain's RemoteSigner). Unset on
   * a local chain: the development oracle keys. A distribution is published with the contract's k
   * signatures. Claims are pushed in batches of DISTRIBUTION_BATCH_SIZE; unclaimed funds may be swept
   * back after DISTRIBUTION_CLAIM_DAYS.
   */
  ORACLE_SIGNER_KEYS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean)
        : undefined,
    ),
  /**
   * The distribution oracles' keys in AWS KMS (comma-separated key ids or ARNs, one per oracle; each
   * an ECC_SECG_P256K1 SIGN_VERIFY key, signing through @tranche/chain's AwsKmsKeyBackend and
   * RemoteSigner). When set it takes precedence over ORACLE_SIGNER_KEYS, and ORACLE_KMS_REGION and
   * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are required. ORACLE_KMS_ENDPOINT overrides
   * `https://kms.<region>.amazonaws.com` (a VPC endpoint, or the local KMS sandbox).
   */
  ORACLE_KMS_KEY_IDS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean)
        : undefined,
    ),
  ORACLE_KMS_ENDPOINT: optionalUrl,
  ORACLE_KMS_REGION: z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(
      z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as eu-west-1')
        .optional(),
    )
    .optional(),
  /** AWS credentials (the standard variables; a session token with temporary STS credentials). */
  AWS_ACCESS_KEY_ID: z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .optional(),
  AWS_SECRET_ACCESS_KEY: z
    .string()
    .transform((v) => (v === '' ? undefined : v))
    .optional(),
  AWS_SESSION_TOKEN: z
    .string()
    .transform((v) => (v === '' ? undefined : v))
    .optional(),
  DISTRIBUTION_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(100),
  DISTRIBUTION_CLAIM_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** The servicers' file drop `pullServicerReport` reads (`<dir>/<dealId>/<period>.json|csv`); default `<DATA_DIR>/servicer-reports`. */
  SERVICER_REPORT_DIR: z.string().optional(),
  /** Credentials expiring within this many days are listed for compliance (the daily expiry job). */
  CREDENTIAL_EXPIRY_NOTICE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
});

export type Config = z.infer<typeof configSchema>;

/** One chain of CHAINS. */
export type ConfiguredChain = z.infer<typeof chainListSchema>[number];

/**
 * Parses the platform configuration from `env` (default `process.env`).
 *
 * @throws Error listing every invalid variable by name, so a misconfigured
 *   service fails at start rather than on first use.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The URL a subgraph is reached at, from `<NAME>_URL` or its default port. */
export function subgraphUrl(config: Config, name: SubgraphName): string {
  const key = envPrefix(name);
  return config[`${key}_URL`] ?? `http://${config.HOST}:${config[`${key}_PORT`]}/graphql`;
}
