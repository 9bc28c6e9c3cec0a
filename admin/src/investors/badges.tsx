/**
 * The compliance badges of an investor: KYC status, accreditation (valid, expired or none) and
 * sanctions status, each a chip coloured by what compliance must do about it.
 */
import { Chip } from '@mui/material';
import { useRecordContext, useTranslate, type RaRecord } from 'react-admin';

type Tone = 'success' | 'warning' | 'error' | 'default';

export type AccreditationState = 'VALID' | 'EXPIRED' | 'NONE';

/**
 * Where an investor's accreditation stands at `now`: NONE without a recorded type or expiry, EXPIRED
 * once the expiry has passed (or is unreadable), VALID before it.
 */
export const accreditationState = (
  record: RaRecord | undefined,
  now: Date = new Date(),
): AccreditationState => {
  const expiresAt = record?.accreditationExpiresAt;
  if (!record?.accreditationType || typeof expiresAt !== 'string' || expiresAt === '') return 'NONE';
  const expiry = new Date(expiresAt).getTime();
  return Number.isNaN(expiry) || expiry <= now.getTime() ? 'EXPIRED' : 'VALID';
};

const KYC_TONE: Readonly<Record<string, Tone>> = {
  VERIFIED: 'success',
  PENDING: 'warning',
  REJECTED: 'error',
  EXPIRED: 'error',
};
const ACCREDITATION_TONE: Readonly<Record<AccreditationState, Tone>> = {
  VALID: 'success',
  EXPIRED: 'error',
  NONE: 'default',
};
const SANCTIONS_TONE: Readonly<Record<string, Tone>> = {
  CLEAR: 'success',
  NOT_SCREENED: 'warning',
  BLOCKED: 'error',
};

/** The chip colour for a badge's `value` in `tones`; unknown values are neutral. */
export const toneOf = (tones: Readonly<Record<string, Tone>>, value: string): Tone =>
  tones[value] ?? 'default';

const Badge = ({ kind, value, tone }: { kind: string; value: string; tone: Tone }) => {
  const translate = useTranslate();
  if (!value) return null;
  return (
    <Chip
      size="small"
      color={tone}
      variant={tone === 'default' ? 'outlined' : 'filled'}
      data-testid={`${kind}-badge`}
      label={translate(`tranche.investors.badge.${kind}.${value}`, { _: value })}
    />
  );
};

/** The investor's KYC status (`kycStatus`) as a badge. */
export const KycBadge = (_props: { label?: string; sortable?: boolean }) => {
  const value = String(useRecordContext()?.kycStatus ?? '');
  return <Badge kind="kyc" value={value} tone={toneOf(KYC_TONE, value)} />;
};

/** Whether the investor's accreditation is valid, expired, or missing, as a badge. */
export const AccreditationBadge = (_props: { label?: string; sortable?: boolean }) => {
  const value = accreditationState(useRecordContext());
  return <Badge kind="accreditation" value={value} tone={ACCREDITATION_TONE[value]} />;
};

/** The investor's sanctions status (`sanctionsStatus`) as a badge. */
export const SanctionsBadge = (_props: { label?: string; sortable?: boolean }) => {
  const value = String(useRecordContext()?.sanctionsStatus ?? '');
  return <Badge kind="sanctions" value={value} tone={toneOf(SANCTIONS_TONE, value)} />;
};
