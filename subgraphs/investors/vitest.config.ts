// The subgraph template's test configuration (one for every subgraph).
export { default } from '../vitest.config.shared.js';
