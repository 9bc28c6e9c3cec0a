import PaymentsIcon from '@mui/icons-material/Payments';
import type { RaRecord } from 'react-admin';
import { DistributionCreate } from './DistributionCreate';
import { DistributionList } from './DistributionList';
import { DistributionShow } from './DistributionShow';

/** Servicer reports and the distributions they pay: the approval queue, one distribution, a new report. */
export default {
  list: DistributionList,
  show: DistributionShow,
  create: DistributionCreate,
  icon: PaymentsIcon,
  recordRepresentation: (record: RaRecord) => `Period ${String(record.period)}`,
};
