#!/usr/bin/env node
// Development aid: writes a new committed migration for a subgraph from the difference between
// its entities and a database migrated to the current head (review before committing).
// Usage: DATABASE_URL=postgres://... node scripts/new-migration.mjs <subgraph> <Name>
import { writeFileSync } from 'node:fs';
import { createLogger, createOrm, migrate } from '../packages/platform/dist/index.js';

const [name, label] = process.argv.slice(2);
if (!name || !label) {
  console.error('usage: node scripts/new-migration.mjs <subgraph> <Name>');
  process.exit(2);
}
const def = (await import(`../subgraphs/${name}/dist/index.js`))[`${name}Subgraph`];
const orm = await createOrm({
  databaseUrl: process.env.DATABASE_URL,
  schema: def.dbSchema,
  entities: def.entities,
  migrations: def.migrations,
  logger: createLogger('new-migration', 'warn'),
});
await migrate(orm, def.dbSchema);
const up = (await orm.schema.getUpdateSchemaSQL({ wrap: false })).split('\n').filter((l) => l.trim());
await orm.close();
if (!up.length) {
  console.log('entities match the migrations: nothing to write');
  process.exit(0);
}
// Drops what the up() created, in reverse order; anything else must be reversed by hand.
function downFor(lines) {
  const out = [];
  for (const line of [...lines].reverse()) {
    const table = /^create table ("[^"]+"\."[^"]+")/.exec(line);
    const type = /^create type ("[^"]+"\."[^"]+")/.exec(line);
    if (table) out.push(`drop table if exists ${table[1]} cascade;`);
    else if (type) out.push(`drop type if exists ${type[1]};`);
    else if (!/^(create index|alter table .* add constraint|create schema)/.test(line)) {
      out.push(`-- reverse by hand: ${line}`);
    }
  }
  return out;
}

const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const cls = `Migration${stamp}${label}`;
const body = `import { Migration } from '@mikro-orm/migrations';

export class ${cls} extends Migration {
  override up(): void {
${up.map((l) => `    this.addSql(${JSON.stringify(l)});`).join('\n')}
  }

  override down(): void {
${downFor(up)
  .map((l) => `    this.addSql(${JSON.stringify(l)});`)
  .join('\n')}
  }
}
`;
const file = `subgraphs/${name}/src/migrations/${cls}.ts`;
writeFileSync(file, body);
const index = `subgraphs/${name}/src/migrations/index.ts`;
const names = [...def.migrations.map((m) => m.name), cls];
writeFileSync(
  index,
  `${names.map((n) => `import { ${n} } from './${n}.js';`).join('\n')}\n\n/** Committed migrations, oldest first. */\nexport const migrations = [${names.join(', ')}];\n`,
);
console.log(`wrote ${file} and ${index}; review both`);
