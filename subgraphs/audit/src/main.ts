import { fileURLToPath } from 'node:url';
import { subgraphMain } from '@tranche/platform';
import { auditSubgraph } from './index.js';

await subgraphMain(auditSubgraph, fileURLToPath(new URL('../schema.graphql', import.meta.url)));
