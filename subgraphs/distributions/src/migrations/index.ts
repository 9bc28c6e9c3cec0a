import { Migration20261121065206Init } from './Migration20261121065206Init.js';
import { Migration20261204021505Payouts } from './Migration20261204021505Payouts.js';
import { Migration20261204081137OutboxTxOrder } from './Migration20261204081137OutboxTxOrder.js';

/** Committed migrations, oldest first. */
export const migrations = [
  Migration20261121065206Init,
  Migration20261204021505Payouts,
  Migration20261204081137OutboxTxOrder,
];
