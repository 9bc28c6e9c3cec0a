import AccountBalanceWalletIcon from '@mui/icons-material/AccountBalanceWallet';
import { PortfolioPage } from './PortfolioPage';

/** The investor's own portfolio: a page, not a list; the only menu entry of the INVESTOR role. */
export default {
  list: PortfolioPage,
  icon: AccountBalanceWalletIcon,
};
