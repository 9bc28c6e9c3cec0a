import FactCheckIcon from '@mui/icons-material/FactCheck';
import type { RaRecord } from 'react-admin';
import { ChangeRequestCreate } from './ChangeRequestCreate';
import { ChangeRequestList } from './ChangeRequestList';
import { ChangeRequestShow } from './ChangeRequestShow';

export default {
  list: ChangeRequestList,
  show: ChangeRequestShow,
  create: ChangeRequestCreate,
  icon: FactCheckIcon,
  recordRepresentation: (record: RaRecord) => String(record.title),
};
