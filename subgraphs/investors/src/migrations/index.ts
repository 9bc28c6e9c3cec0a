import { Migration20261121065135Init } from './Migration20261121065135Init.js';
import { Migration20261203121707Holdings } from './Migration20261203121707Holdings.js';
import { Migration20261203122400TokenOperations } from './Migration20261203122400TokenOperations.js';
import { Migration20261204010042WalletProof } from './Migration20261204010042WalletProof.js';
import { Migration20261204010520SanctionsScreening } from './Migration20261204010520SanctionsScreening.js';
import { Migration20261204015123Credentials } from './Migration20261204015123Credentials.js';
import { Migration20261204020041OnchainIdentity } from './Migration20261204020041OnchainIdentity.js';
import { Migration20261204023800PublishedInvestor } from './Migration20261204023800PublishedInvestor.js';
import { Migration20261204081135OutboxTxOrder } from './Migration20261204081135OutboxTxOrder.js';

/** Committed migrations, oldest first. */
export const migrations = [
  Migration20261121065135Init,
  Migration20261203121707Holdings,
  Migration20261203122400TokenOperations,
  Migration20261204010042WalletProof,
  Migration20261204010520SanctionsScreening,
  Migration20261204015123Credentials,
  Migration20261204020041OnchainIdentity,
  Migration20261204023800PublishedInvestor,
  Migration20261204081135OutboxTxOrder,
];
