import { Migration20261121065015Init } from './Migration20261121065015Init.js';
import { Migration20261121072313DealStructure } from './Migration20261121072313DealStructure.js';
import { Migration20261203114415Issuance } from './Migration20261203114415Issuance.js';
import { Migration20261203121500PublishedIssuance } from './Migration20261203121500PublishedIssuance.js';
import { Migration20261203235431LoanTape } from './Migration20261203235431LoanTape.js';
import { Migration20261204021500PublishedRules } from './Migration20261204021500PublishedRules.js';
import { Migration20261204034714PoolAttestation } from './Migration20261204034714PoolAttestation.js';
import { Migration20261204081132OutboxTxOrder } from './Migration20261204081132OutboxTxOrder.js';

/** Committed migrations, oldest first. */
export const migrations = [
  Migration20261121065015Init,
  Migration20261121072313DealStructure,
  Migration20261203114415Issuance,
  Migration20261203121500PublishedIssuance,
  Migration20261203235431LoanTape,
  Migration20261204021500PublishedRules,
  Migration20261204034714PoolAttestation,
  Migration20261204081132OutboxTxOrder,
];
