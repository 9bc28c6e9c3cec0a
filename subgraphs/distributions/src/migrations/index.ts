import { Migration20261121065206Init } from './Migration20261121065206Init.js';

/** Committed migrations, oldest first. */
export const migrations = [Migration20261121065206Init];
