import type { ReactNode } from 'react';
import { AccessDenied, CanAccess, Loading } from 'react-admin';

/**
 * Mounts a page only once the auth provider has said the user may see it. react-admin's own
 * controllers start their first query while the access check is still in flight, so a role
 * without access would hit the API and get a FORBIDDEN notification on top of the access-denied
 * page; this keeps that request from ever leaving the browser.
 */
export const RequireAccess = ({
  resource,
  action,
  children,
}: {
  resource: string;
  action: string;
  children: ReactNode;
}) => (
  <CanAccess resource={resource} action={action} loading={<Loading />} accessDenied={<AccessDenied />}>
    {children}
  </CanAccess>
);
