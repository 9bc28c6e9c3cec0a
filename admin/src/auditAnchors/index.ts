import AnchorIcon from '@mui/icons-material/Anchor';
import type { RaRecord } from 'react-admin';
import { AuditAnchorList } from './AuditAnchorList';
import { AuditAnchorShow } from './AuditAnchorShow';

export default {
  list: AuditAnchorList,
  show: AuditAnchorShow,
  icon: AnchorIcon,
  recordRepresentation: (record: RaRecord) => `${String(record.firstSeq)}–${String(record.lastSeq)}`,
};
