import { DateField, NumberField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { EventProofLookup } from './EventProofLookup';

const mono = { fontFamily: 'monospace', wordBreak: 'break-all' } as const;

/** One anchor: its range, root, chain, contract and transaction, and an event proof lookup. */
export const AuditAnchorShow = () => (
  <RequireAccess resource="auditAnchors" action="show">
    <Show>
      <SimpleShowLayout>
        <TextField source="status" />
        <NumberField source="firstSeq" />
        <NumberField source="lastSeq" />
        <TextField source="merkleRoot" sx={mono} />
        <NumberField source="chainId" options={{ useGrouping: false }} />
        <TextField source="contractAddress" sx={mono} />
        <NumberField source="anchorIndex" emptyText="—" />
        <TextField source="txHash" emptyText="—" sx={mono} />
        <NumberField source="blockNumber" emptyText="—" />
        <NumberField source="attempts" />
        <TextField source="error" emptyText="—" />
        <DateField source="createdAt" showTime />
        <DateField source="anchoredAt" showTime emptyText="—" />
        <EventProofLookup />
      </SimpleShowLayout>
    </Show>
  </RequireAccess>
);
