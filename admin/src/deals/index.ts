import AccountBalanceIcon from '@mui/icons-material/AccountBalance';
import type { RaRecord } from 'react-admin';
import { DealCreate } from './DealCreate';
import { DealEdit } from './DealEdit';
import { DealList } from './DealList';
import { DealShow } from './DealShow';

export default {
  list: DealList,
  show: DealShow,
  edit: DealEdit,
  create: DealCreate,
  icon: AccountBalanceIcon,
  recordRepresentation: (record: RaRecord) => String(record.name),
};
