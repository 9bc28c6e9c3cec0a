import ArchiveIcon from '@mui/icons-material/Archive';
import { Button, Dialog, DialogContent, DialogTitle } from '@mui/material';
import { useState } from 'react';
import {
  AutocompleteInput,
  CreateBase,
  DateTimeInput,
  ReferenceInput,
  SimpleForm,
  required,
  useCanAccess,
  useNotify,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { BundleProgress } from './BundleProgress';

const DAY_MS = 86_400_000;
const dealSearch = (q: string) => ({ q });

/** The period the form starts with: the last 90 days. */
export const defaultPeriod = (now = new Date()) => ({
  from: new Date(now.getTime() - 90 * DAY_MS),
  to: now,
});

/** "Export audit bundle": pick a deal and a period, then follow the job and download the archive. */
export const ExportBundleButton = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const { canAccess } = useCanAccess({ resource: 'auditBundles', action: 'create' });
  const [open, setOpen] = useState(false);
  const [bundleId, setBundleId] = useState<string | null>(null);
  if (canAccess !== true) return null;
  const close = () => {
    setOpen(false);
    setBundleId(null);
  };
  return (
    <>
      <Button size="small" startIcon={<ArchiveIcon />} onClick={() => setOpen(true)}>
        {translate('tranche.audit_bundles.export')}
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
        <DialogTitle>{translate('tranche.audit_bundles.export_title')}</DialogTitle>
        <DialogContent>
          {bundleId === null ? (
            <CreateBase
              resource="auditBundles"
              redirect={false}
              mutationOptions={{
                onSuccess: (created: RaRecord) => setBundleId(String(created.id)),
                onError: (error: unknown) =>
                  notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
              }}
            >
              <SimpleForm defaultValues={defaultPeriod()}>
                <ReferenceInput source="dealId" reference="deals" sort={{ field: 'name', order: 'ASC' }}>
                  <AutocompleteInput
                    label="resources.auditBundles.fields.dealId"
                    optionText="name"
                    filterToQuery={dealSearch}
                    validate={required()}
                  />
                </ReferenceInput>
                <DateTimeInput source="from" validate={required()} />
                <DateTimeInput source="to" validate={required()} />
              </SimpleForm>
            </CreateBase>
          ) : (
            <BundleProgress id={bundleId} />
          )}
        </DialogContent>
      </Dialog>
    </>
  );
};
