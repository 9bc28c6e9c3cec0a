import { Migration20261121065135Init } from './Migration20261121065135Init.js';

/** Committed migrations, oldest first. */
export const migrations = [Migration20261121065135Init];
