import type { ReactNode } from 'react';
import { Layout as RaLayout } from 'react-admin';
import { KillSwitchBanner } from './KillSwitchBanner';
import { Menu } from './Menu';

/** react-admin's layout with the kill-switch banner above every page and the role-aware menu. */
export const Layout = ({ children }: { children: ReactNode }) => (
  <RaLayout menu={Menu}>
    <KillSwitchBanner />
    {children}
  </RaLayout>
);
