import type { ReactNode } from 'react';
import { Layout as RaLayout } from 'react-admin';
import { KillSwitchBanner } from './KillSwitchBanner';

/** react-admin's layout with the kill-switch banner above every page. */
export const Layout = ({ children }: { children: ReactNode }) => (
  <RaLayout>
    <KillSwitchBanner />
    {children}
  </RaLayout>
);
