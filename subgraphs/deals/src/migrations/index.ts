import { Migration20261121065015Init } from './Migration20261121065015Init.js';

/** Committed migrations, oldest first. */
export const migrations = [Migration20261121065015Init];
