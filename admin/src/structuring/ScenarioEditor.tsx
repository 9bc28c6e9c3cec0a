/**
 * The scenario editor: prepayment (PSA, CPR, SMM, or a percentage of the deal's own PPC curve)
 * and default conventions and speeds, severity, lag, clean-up call. A PPC curve that does not
 * parse is marked and blocks projecting.
 */
import { Box, Button, MenuItem, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import { parsePpcCurve, type DefaultModel, type PrepaymentModel, type ScenarioForm } from './structuring';

const s = 'tranche.structuring.scenario';

const numberOr = (raw: string, fallback: number) => {
  const n = Number(raw);
  return raw.trim() === '' || !Number.isFinite(n) ? fallback : n;
};

export const ScenarioEditor = ({
  value,
  onChange,
  onProject,
  onCompare,
  busy,
}: {
  value: ScenarioForm;
  onChange: (next: ScenarioForm) => void;
  onProject: () => void;
  onCompare: () => void;
  busy: boolean;
}) => {
  const translate = useTranslate();
  const field = { size: 'small' as const, sx: { width: 150 } };
  const ppc = value.prepaymentModel === 'PPC';
  const fixedBad = ppc && !parsePpcCurve(value.ppcCurve)?.length;
  const armBad = ppc && parsePpcCurve(value.ppcArmCurve) === undefined;
  return (
    <Box
      component="form"
      aria-label={translate(`${s}.title`)}
      onSubmit={(e) => {
        e.preventDefault();
        onProject();
      }}
      sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'center', mb: 2 }}
    >
      <TextField
        {...field}
        select
        label={translate(`${s}.prepayment_model`)}
        value={value.prepaymentModel}
        onChange={(e) => onChange({ ...value, prepaymentModel: e.target.value as PrepaymentModel })}
      >
        {(['PSA', 'CPR', 'SMM', 'PPC'] as const).map((m) => (
          <MenuItem key={m} value={m}>
            {m}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        {...field}
        type="number"
        label={translate(`${s}.prepayment_rate`)}
        value={value.prepaymentRate}
        slotProps={{ htmlInput: { min: 0, step: 'any' } }}
        onChange={(e) => onChange({ ...value, prepaymentRate: numberOr(e.target.value, 0) })}
      />
      {ppc ? (
        <TextField
          size="small"
          sx={{ width: 200 }}
          label={translate(`${s}.ppc_curve`)}
          helperText={translate(`${s}.ppc_curve_help`)}
          error={fixedBad}
          value={value.ppcCurve}
          onChange={(e) => onChange({ ...value, ppcCurve: e.target.value })}
        />
      ) : null}
      {ppc ? (
        <TextField
          size="small"
          sx={{ width: 200 }}
          label={translate(`${s}.ppc_arm_curve`)}
          helperText={translate(`${s}.ppc_arm_curve_help`)}
          error={armBad}
          value={value.ppcArmCurve}
          onChange={(e) => onChange({ ...value, ppcArmCurve: e.target.value })}
        />
      ) : null}
      <TextField
        {...field}
        select
        label={translate(`${s}.default_model`)}
        value={value.defaultModel}
        onChange={(e) => onChange({ ...value, defaultModel: e.target.value as DefaultModel })}
      >
        {(['CDR', 'SDA'] as const).map((m) => (
          <MenuItem key={m} value={m}>
            {m}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        {...field}
        type="number"
        label={translate(`${s}.default_rate`)}
        value={value.defaultRate}
        slotProps={{ htmlInput: { min: 0, step: 'any' } }}
        onChange={(e) => onChange({ ...value, defaultRate: numberOr(e.target.value, 0) })}
      />
      <TextField
        {...field}
        type="number"
        label={translate(`${s}.severity`)}
        value={value.severityPct}
        slotProps={{ htmlInput: { min: 0, max: 100, step: 'any' } }}
        onChange={(e) => onChange({ ...value, severityPct: numberOr(e.target.value, 0) })}
      />
      <TextField
        {...field}
        type="number"
        label={translate(`${s}.lag`)}
        value={value.recoveryLagMonths}
        slotProps={{ htmlInput: { min: 0, max: 120, step: 1 } }}
        onChange={(e) => onChange({ ...value, recoveryLagMonths: Math.round(numberOr(e.target.value, 0)) })}
      />
      <TextField
        {...field}
        type="number"
        label={translate(`${s}.clean_up_call`)}
        helperText={translate(`${s}.clean_up_call_help`)}
        value={value.cleanUpCallPct ?? ''}
        slotProps={{ htmlInput: { min: 0, max: 100, step: 'any' } }}
        onChange={(e) =>
          onChange({
            ...value,
            cleanUpCallPct: e.target.value.trim() === '' ? null : numberOr(e.target.value, 0),
          })
        }
      />
      <Button type="submit" variant="contained" disabled={busy || fixedBad || armBad}>
        {translate(`${s}.project`)}
      </Button>
      <Button variant="outlined" onClick={onCompare} disabled={busy || fixedBad || armBad}>
        {translate(`${s}.compare`)}
      </Button>
    </Box>
  );
};
