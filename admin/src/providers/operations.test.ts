import { readFileSync } from 'node:fs';
import { buildASTSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as governanceOperations from './governanceOperations';
import * as operations from './operations';

// The gateway's committed supergraph is the API's source of truth; every document the back office
// sends must validate against it, so a renamed field or input type fails here, not in the browser.
const supergraph = readFileSync(new URL('../../../gateway/supergraph.graphql', import.meta.url), 'utf8');
const schema = buildASTSchema(parse(supergraph), { assumeValidSDL: true });

describe('GraphQL documents', () => {
  it.each(Object.entries({ ...operations, ...governanceOperations }))(
    '%s validates against gateway/supergraph.graphql',
    (_name, document) => {
      expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    },
  );
});
