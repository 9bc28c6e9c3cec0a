/** Enum choices of the investor pages; names are i18n keys. */
export const INVESTOR_KINDS = ['INDIVIDUAL', 'ENTITY'] as const;
export const KYC_STATUSES = ['PENDING', 'VERIFIED', 'REJECTED', 'EXPIRED'] as const;
export const SANCTIONS_STATUSES = ['NOT_SCREENED', 'CLEAR', 'BLOCKED'] as const;
export const ACCREDITATION_TYPES = ['INCOME', 'NET_WORTH', 'PROFESSIONAL', 'ENTITY'] as const;

export const kindChoices = INVESTOR_KINDS.map((id) => ({ id, name: `tranche.investors.kind.${id}` }));
export const accreditationTypeChoices = ACCREDITATION_TYPES.map((id) => ({
  id,
  name: `tranche.investors.accreditation_type.${id}`,
}));
