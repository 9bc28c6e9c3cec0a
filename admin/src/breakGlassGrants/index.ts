import LocalFireDepartmentIcon from '@mui/icons-material/LocalFireDepartment';
import type { RaRecord } from 'react-admin';
import { BreakGlassGrantCreate } from './BreakGlassGrantCreate';
import { BreakGlassGrantList } from './BreakGlassGrantList';

export default {
  list: BreakGlassGrantList,
  create: BreakGlassGrantCreate,
  icon: LocalFireDepartmentIcon,
  recordRepresentation: (record: RaRecord) => `${String(record.capability)} → ${String(record.grantee)}`,
};
