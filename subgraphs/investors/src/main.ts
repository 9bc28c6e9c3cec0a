import { fileURLToPath } from 'node:url';
import { subgraphMain } from '@tranche/platform';
import { investorsSubgraph } from './index.js';

await subgraphMain(investorsSubgraph, fileURLToPath(new URL('../schema.graphql', import.meta.url)));
