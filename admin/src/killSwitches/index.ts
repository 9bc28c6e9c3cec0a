import PowerSettingsNewIcon from '@mui/icons-material/PowerSettingsNew';
import type { RaRecord } from 'react-admin';
import { KillSwitchCreate } from './KillSwitchCreate';
import { KillSwitchList } from './KillSwitchList';

export default {
  list: KillSwitchList,
  create: KillSwitchCreate,
  icon: PowerSettingsNewIcon,
  recordRepresentation: (record: RaRecord) => `${String(record.scope)} ${String(record.target ?? '')}`.trim(),
};
