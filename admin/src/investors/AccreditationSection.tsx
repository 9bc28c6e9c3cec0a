/**
 * An investor's accreditation: the badge, ground, expiry and evidence hash, and (for compliance) a
 * form recording new evidence. The evidence file is hashed in the browser and never uploaded.
 */
import { Box, Button, TextField as MuiTextField, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import {
  CreateBase,
  DateField,
  DateInput,
  InputHelperText,
  Labeled,
  SelectField,
  SelectInput,
  SimpleForm,
  TextField,
  regex,
  required,
  useCanAccess,
  useInput,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { sha256OfFile } from '../issuance/issuanceProvider';
import { AccreditationBadge } from './badges';
import { accreditationTypeChoices } from './choices';

const SHA256 = [required(), regex(/^\s*[0-9a-fA-F]{64}\s*$/, 'tranche.investors.accreditation.sha256')];

/** The evidence hash: typed, or computed here from a file the user picks. */
const ProofInput = () => {
  const translate = useTranslate();
  const {
    field,
    fieldState: { error, invalid },
    isRequired,
  } = useInput({ source: 'proofSha256', validate: SHA256 });
  return (
    <Stack direction="row" gap={1} alignItems="flex-start" sx={{ width: '100%' }}>
      <MuiTextField
        {...field}
        value={typeof field.value === 'string' ? field.value : ''}
        label={translate('resources.investors.fields.accreditationProofSha256')}
        required={isRequired}
        error={invalid}
        helperText={<InputHelperText error={error?.message} />}
        size="small"
        fullWidth
      />
      <Button component="label" variant="outlined" sx={{ whiteSpace: 'nowrap' }}>
        {translate('tranche.investors.accreditation.hash_file')}
        <input
          hidden
          type="file"
          aria-label={translate('tranche.investors.accreditation.evidence_file')}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void sha256OfFile(file).then((hash) => field.onChange(hash));
          }}
        />
      </Button>
    </Stack>
  );
};

const RecordAccreditationForm = ({ investorId, onDone }: { investorId: string; onDone: () => void }) => {
  const notify = useNotify();
  return (
    <CreateBase
      resource="accreditations"
      redirect={false}
      transform={(data: Record<string, unknown>) => ({ ...data, investorId })}
      mutationOptions={{
        onSuccess: () => {
          notify('tranche.investors.accreditation.recorded', { type: 'success' });
          onDone();
        },
      }}
    >
      <SimpleForm>
        <SelectInput
          source="type"
          label="resources.investors.fields.accreditationType"
          choices={accreditationTypeChoices}
          validate={required()}
        />
        <DateInput
          source="expiresAt"
          label="resources.investors.fields.accreditationExpiresAt"
          validate={required()}
        />
        <ProofInput />
      </SimpleForm>
    </CreateBase>
  );
};

/** The accreditation part of the credentials tab. */
export const AccreditationSection = () => {
  const translate = useTranslate();
  const record = useRecordContext();
  const refresh = useRefresh();
  const { canAccess: canOnboard } = useCanAccess({ resource: 'investors', action: 'edit' });
  const [recording, setRecording] = useState(false);
  if (!record) return null;
  return (
    <Box sx={{ mt: 3 }}>
      <Typography variant="h6">{translate('tranche.investors.accreditation.title')}</Typography>
      <Stack direction="row" flexWrap="wrap" gap={3} sx={{ my: 1 }}>
        <Labeled label="resources.investors.fields.accreditation">
          <AccreditationBadge />
        </Labeled>
        <Labeled>
          <SelectField source="accreditationType" choices={accreditationTypeChoices} emptyText="—" />
        </Labeled>
        <Labeled>
          <DateField source="accreditationExpiresAt" emptyText="—" />
        </Labeled>
        <Labeled>
          <TextField source="accreditationProofSha256" emptyText="—" sx={{ fontFamily: 'monospace' }} />
        </Labeled>
      </Stack>
      {!canOnboard ? null : recording ? (
        <RecordAccreditationForm
          investorId={String(record.id)}
          onDone={() => {
            setRecording(false);
            refresh();
          }}
        />
      ) : (
        <Button variant="outlined" onClick={() => setRecording(true)}>
          {translate('tranche.investors.accreditation.record')}
        </Button>
      )}
    </Box>
  );
};
