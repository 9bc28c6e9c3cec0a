import HistoryIcon from '@mui/icons-material/History';
import type { RaRecord } from 'react-admin';
import { AuditEventList } from './AuditEventList';

/** Read-only resource: a list only (no show, edit or create; the API has no single-event query). */
export default {
  list: AuditEventList,
  icon: HistoryIcon,
  recordRepresentation: (record: RaRecord) => `${String(record.action)} ${String(record.aggregateId)}`,
};
