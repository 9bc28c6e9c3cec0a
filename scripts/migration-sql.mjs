#!/usr/bin/env node
// Development aid: prints the SQL that creates a subgraph's tables from its entities, as the
// starting point of a new committed migration (then review it and commit it as a Migration).
// Usage: DATABASE_URL=postgres://... node scripts/migration-sql.mjs <subgraph> [--diff]
import { createLogger, createOrm } from '../packages/platform/dist/index.js';

const name = process.argv[2];
const mod = await import(`../subgraphs/${name}/dist/index.js`);
const def = mod[`${name}Subgraph`];
const orm = await createOrm({
  databaseUrl: process.env.DATABASE_URL,
  schema: def.dbSchema,
  entities: def.entities,
  migrations: def.migrations,
  logger: createLogger('migration-sql', 'warn'),
});
const sql = process.argv.includes('--diff')
  ? await orm.schema.getUpdateSchemaSQL({ wrap: false })
  : await orm.schema.getCreateSchemaSQL({ wrap: false });
console.log(sql);
await orm.close();
