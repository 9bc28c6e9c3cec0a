/**
 * An investor's KYC: the status with the provider, dates and evidence hash; every inquiry with its
 * hosted link; and "Start KYC", which opens an inquiry and shows the one-time link to send to the
 * investor. The provider's decision arrives by webhook, so the page re-reads the investor while an
 * inquiry is open (see awaitsProvider).
 */
import { Alert, Box, Button, Link, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import {
  ArrayField,
  Datagrid,
  DateField,
  FunctionField,
  Labeled,
  TextField,
  useCanAccess,
  useCreate,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { KycBadge } from './badges';

/** How often the investor's page re-reads it while the provider has not decided. */
export const PROVIDER_POLL_MS = 3000;

/** True while one of the investor's inquiries waits for the provider's decision (OPEN or COMPLETED). */
export const awaitsProvider = (record: RaRecord | undefined): boolean =>
  Array.isArray(record?.kycInquiries) &&
  record.kycInquiries.some(
    (q: unknown) =>
      typeof q === 'object' && q !== null && ['OPEN', 'COMPLETED'].includes(String((q as RaRecord).status)),
  );

const HostedLink = ({ url }: { url: string }) => (
  <Link href={url} target="_blank" rel="noreferrer" sx={{ wordBreak: 'break-all' }}>
    {url}
  </Link>
);

const StartKycButton = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [create, { isPending }] = useCreate();
  const [link, setLink] = useState<string | null>(null);
  if (!record) return null;
  const start = () =>
    create(
      'kycInquiries',
      { data: { investorId: record.id } },
      {
        onSuccess: (inquiry: RaRecord) => {
          setLink(String(inquiry.hostedUrl));
          refresh();
        },
        onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
      },
    );
  return (
    <Stack spacing={1} sx={{ my: 1 }}>
      <Box>
        <Button variant="contained" disabled={isPending} onClick={start}>
          {translate('tranche.investors.kyc.start')}
        </Button>
      </Box>
      {link === null ? null : (
        <Alert severity="success" data-testid="kyc-link">
          {translate('tranche.investors.kyc.send_link')} <HostedLink url={link} />
        </Alert>
      )}
    </Stack>
  );
};

/** The KYC part of the credentials tab. */
export const KycSection = () => {
  const translate = useTranslate();
  const record = useRecordContext();
  const { canAccess: canOnboard } = useCanAccess({ resource: 'investors', action: 'edit' });
  return (
    <Box>
      <Typography variant="h6">{translate('tranche.investors.kyc.title')}</Typography>
      <Stack direction="row" flexWrap="wrap" gap={3} sx={{ my: 1 }}>
        <Labeled source="kycStatus">
          <KycBadge />
        </Labeled>
        <Labeled>
          <TextField source="kycProvider" emptyText="—" />
        </Labeled>
        <Labeled>
          <DateField source="kycVerifiedAt" showTime emptyText="—" />
        </Labeled>
        <Labeled>
          <DateField source="kycExpiresAt" showTime emptyText="—" />
        </Labeled>
        <Labeled>
          <TextField source="kycDocumentSha256" emptyText="—" sx={{ fontFamily: 'monospace' }} />
        </Labeled>
      </Stack>
      {awaitsProvider(record) ? (
        <Alert severity="info" sx={{ my: 1 }}>
          {translate('tranche.investors.kyc.awaiting')}
        </Alert>
      ) : null}
      {canOnboard ? <StartKycButton /> : null}
      <Typography variant="subtitle1" sx={{ mt: 2 }}>
        {translate('tranche.investors.kyc.inquiries')}
      </Typography>
      <ArrayField source="kycInquiries">
        <Datagrid
          bulkActionButtons={false}
          rowClick={false}
          empty={<Typography variant="body2">{translate('tranche.investors.kyc.no_inquiries')}</Typography>}
        >
          <TextField source="status" label="resources.investors.fields.kycInquiries.status" />
          <TextField
            source="providerInquiryId"
            label="resources.investors.fields.kycInquiries.providerInquiryId"
          />
          <FunctionField
            label="resources.investors.fields.kycInquiries.hostedUrl"
            render={(q: RaRecord) => <HostedLink url={String(q.hostedUrl)} />}
          />
          <DateField source="createdAt" showTime label="resources.investors.fields.kycInquiries.createdAt" />
          <DateField
            source="decidedAt"
            showTime
            emptyText="—"
            label="resources.investors.fields.kycInquiries.decidedAt"
          />
        </Datagrid>
      </ArrayField>
    </Box>
  );
};
