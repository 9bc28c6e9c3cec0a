import PeopleIcon from '@mui/icons-material/People';
import type { RaRecord } from 'react-admin';
import { InvestorCreate } from './InvestorCreate';
import { InvestorEdit } from './InvestorEdit';
import { InvestorList } from './InvestorList';
import { InvestorShow } from './InvestorShow';

export default {
  list: InvestorList,
  show: InvestorShow,
  edit: InvestorEdit,
  create: InvestorCreate,
  icon: PeopleIcon,
  recordRepresentation: (record: RaRecord) => String(record.legalName),
};
