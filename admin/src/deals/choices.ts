/** Enum choices for deal inputs and fields; names are i18n keys. */
export const DEAL_STATUSES = [
  'PROPOSED',
  'IN_REVIEW',
  'APPROVED',
  'DEPLOYED',
  'ACTIVE',
  'LOCKED',
  'MATURED',
  'TERMINATED',
] as const;
export const ASSET_CLASSES = ['RMBS', 'CMBS', 'AUTO', 'CONSUMER', 'OTHER'] as const;

export const statusChoices = DEAL_STATUSES.map((id) => ({ id, name: `tranche.status.${id}` }));
export const assetClassChoices = ASSET_CLASSES.map((id) => ({ id, name: `tranche.asset_class.${id}` }));
