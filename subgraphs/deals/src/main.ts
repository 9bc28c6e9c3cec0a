import { fileURLToPath } from 'node:url';
import { subgraphMain } from '@tranche/platform';
import { dealsSubgraph } from './index.js';

await subgraphMain(dealsSubgraph, fileURLToPath(new URL('../schema.graphql', import.meta.url)));
