import { Chip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';

const COLOR = { LOW: 'default', MEDIUM: 'info', HIGH: 'warning', CRITICAL: 'error' } as const;

/** A change request's risk level as a chip coloured by severity. */
export const RiskField = (_props: { source: 'riskLevel'; sortable?: boolean; label?: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  const level = String(record?.riskLevel ?? '');
  if (!level) return null;
  const color = level in COLOR ? COLOR[level as keyof typeof COLOR] : 'default';
  return (
    <Chip size="small" color={color} label={translate(`tranche.governance.risk.${level}`, { _: level })} />
  );
};
