import { fileURLToPath } from 'node:url';
import { subgraphMain } from '@tranche/platform';
import { distributionsSubgraph } from './index.js';

await subgraphMain(distributionsSubgraph, fileURLToPath(new URL('../schema.graphql', import.meta.url)));
