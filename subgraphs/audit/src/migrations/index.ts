import { Migration20261121065246Init } from './Migration20261121065246Init.js';

/** Committed migrations, oldest first. */
export const migrations = [Migration20261121065246Init];
