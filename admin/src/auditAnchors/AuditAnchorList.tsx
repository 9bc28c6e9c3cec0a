import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  TextField,
  TopToolbar,
  type RaRecord,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { ExportBundleButton } from './ExportBundleButton';
import { RecentBundles } from './RecentBundles';

/** A 32-byte hex value shortened for a grid (the show view has it in full). */
export const shortHex = (value: unknown) =>
  typeof value === 'string' && value.length > 20
    ? `${value.slice(0, 10)}…${value.slice(-6)}`
    : String(value ?? '—');

const mono = { fontFamily: 'monospace' };

/** The tenant's audit ledger anchors, newest first, the export action and the latest bundles. */
export const AuditAnchorList = () => (
  <RequireAccess resource="auditAnchors" action="list">
    <List
      actions={
        <TopToolbar>
          <ExportBundleButton />
        </TopToolbar>
      }
      perPage={25}
      sort={{ field: 'firstSeq', order: 'DESC' }}
    >
      <Datagrid bulkActionButtons={false} rowClick="show">
        <TextField source="status" sortable={false} />
        <FunctionField
          label="resources.auditAnchors.fields.range"
          sortable={false}
          render={(r: RaRecord) => `${String(r.firstSeq)}–${String(r.lastSeq)}`}
        />
        <FunctionField
          source="merkleRoot"
          sortable={false}
          render={(r: RaRecord) => <span style={mono}>{shortHex(r.merkleRoot)}</span>}
        />
        <FunctionField
          source="txHash"
          sortable={false}
          render={(r: RaRecord) => <span style={mono}>{shortHex(r.txHash)}</span>}
        />
        <NumberField source="blockNumber" emptyText="—" sortable={false} />
        <NumberField source="chainId" options={{ useGrouping: false }} sortable={false} />
        <DateField source="anchoredAt" showTime emptyText="—" sortable={false} />
      </Datagrid>
    </List>
    <RecentBundles />
  </RequireAccess>
);
