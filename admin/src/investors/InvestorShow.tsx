import { Box, Typography } from '@mui/material';
import {
  ArrayField,
  EditButton,
  FunctionField,
  Labeled,
  SelectField,
  Show,
  TabbedShowLayout,
  TextField,
  useCanAccess,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { AccreditationSection } from './AccreditationSection';
import { kindChoices } from './choices';
import { HoldingsGrid } from './holdings';
import { awaitsProvider, KycSection, PROVIDER_POLL_MS } from './KycSection';
import { SanctionsTab } from './SanctionsTab';
import { WalletTab } from './WalletTab';

/** State, tax residencies and the linked portal user, with Edit for compliance. */
const ProfileSection = () => {
  const translate = useTranslate();
  const { canAccess: canOnboard } = useCanAccess({ resource: 'investors', action: 'edit' });
  return (
    <Box sx={{ mt: 3 }}>
      <Typography variant="h6">{translate('tranche.investors.profile')}</Typography>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 3, my: 1 }}>
        <Labeled>
          <SelectField source="kind" choices={kindChoices} />
        </Labeled>
        <Labeled>
          <TextField source="jurisdiction" />
        </Labeled>
        <Labeled>
          <TextField source="state" emptyText="—" />
        </Labeled>
        <Labeled>
          <FunctionField
            source="taxResidencies"
            render={(r: RaRecord) =>
              Array.isArray(r.taxResidencies) && r.taxResidencies.length ? r.taxResidencies.join(', ') : '—'
            }
          />
        </Labeled>
        <Labeled>
          <TextField source="portalSubject" emptyText="—" />
        </Labeled>
      </Box>
      {canOnboard ? <EditButton label="tranche.investors.edit_profile" /> : null}
    </Box>
  );
};

/** Re-read the investor while the KYC provider has not decided, so its webhook shows up here. */
const pollWhileAwaitingProvider = (query: { state: { data?: RaRecord } }) =>
  awaitsProvider(query.state.data) ? PROVIDER_POLL_MS : false;

/**
 * One investor: credentials (KYC, accreditation, profile), sanctions, wallet and on-chain identity,
 * and holdings. Staff read it; compliance and admins act on it.
 */
export const InvestorShow = () => (
  <RequireAccess resource="investors" action="show">
    <Show actions={false} queryOptions={{ refetchInterval: pollWhileAwaitingProvider }}>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="tranche.investors.tabs.credentials">
          <KycSection />
          <AccreditationSection />
          <ProfileSection />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="tranche.investors.tabs.sanctions" path="sanctions">
          <SanctionsTab />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="tranche.investors.tabs.wallet" path="wallet">
          <WalletTab />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="tranche.investors.tabs.holdings" path="holdings">
          <ArrayField source="holdings" label={false}>
            <HoldingsGrid empty="tranche.investors.holdings.none" />
          </ArrayField>
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  </RequireAccess>
);
