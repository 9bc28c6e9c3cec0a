/**
 * Helpers for tests that run a subgraph's services against a real database (set up by
 * test-database-setup.ts): the subgraph's ORM migrated to its committed head, and callers.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  createLogger,
  createOrm,
  installJobQueue,
  migrate,
  type Principal,
  type Role,
  type SubgraphDefinition,
} from '@tranche/platform';
import { inject } from 'vitest';
import './test-database-setup.js';

/**
 * Opens the subgraph's ORM on this run's test database and applies its committed migrations
 * (never a schema generated from the entities), and installs the job queue when the subgraph
 * has jobs, as a deployment would.
 */
export async function openSubgraphOrm(definition: SubgraphDefinition): Promise<MikroORM> {
  const orm = await createOrm({
    databaseUrl: inject('databaseUrl'),
    schema: definition.dbSchema,
    entities: definition.entities,
    migrations: definition.migrations,
    logger: createLogger(`${definition.name}-test`, 'silent'),
    poolMax: 4,
  });
  await migrate(orm, definition.dbSchema);
  if (definition.jobs) await installJobQueue(inject('databaseUrl'));
  return orm;
}

/** An authenticated caller of a fresh tenant (tests stay isolated) with the given roles. */
export function testPrincipal(roles: Role[], tenantId = `tenant-${randomUUID()}`): Principal {
  return { subject: `test-${roles.join('-').toLowerCase()}`, tenantId, roles: new Set(roles) };
}
