import {
  Card,
  CardContent,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { Button, ReferenceField, useGetList, useTranslate, type RaRecord } from 'react-admin';
import { Link } from 'react-router-dom';
import { VERIFY_ROUTE } from '../verify/paths';
import { DownloadBundleButton } from './DownloadBundleButton';

const inProgress = (bundles: RaRecord[] | undefined) =>
  (bundles ?? []).some((b) => b.status === 'QUEUED' || b.status === 'RUNNING');

const when = (value: unknown) => (typeof value === 'string' ? new Date(value).toLocaleString() : '—');

/** The tenant's latest audit bundles with their progress and download, refreshed while any runs. */
export const RecentBundles = () => {
  const translate = useTranslate();
  const { data } = useGetList(
    'auditBundles',
    { pagination: { page: 1, perPage: 10 }, sort: { field: 'createdAt', order: 'DESC' } },
    { refetchInterval: (query) => (inProgress(query.state.data?.data) ? 2000 : false) },
  );
  if (!data?.length) return null;
  const field = (name: string) => translate(`resources.auditBundles.fields.${name}`);
  return (
    <Card sx={{ mt: 2 }} data-testid="recent-bundles">
      <CardContent>
        <Typography variant="h6">{translate('tranche.audit_bundles.recent')}</Typography>
        <Table size="small">
          <TableHead>
            <TableRow>
              {['dealId', 'from', 'to', 'status', 'eventCount', 'sha256', 'createdBy'].map((name) => (
                <TableCell key={name}>{field(name)}</TableCell>
              ))}
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {data.map((bundle) => (
              <TableRow key={bundle.id}>
                <TableCell>
                  <ReferenceField record={bundle} source="dealId" reference="deals" link="show" />
                </TableCell>
                <TableCell>{when(bundle.from)}</TableCell>
                <TableCell>{when(bundle.to)}</TableCell>
                <TableCell>
                  {translate(`tranche.audit_bundles.status.${String(bundle.status)}`, {
                    _: String(bundle.status),
                  })}
                  {bundle.status === 'RUNNING' ? ` ${Math.round(Number(bundle.progress) * 100)}%` : ''}
                </TableCell>
                <TableCell>{String(bundle.eventCount)}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>
                  {typeof bundle.sha256 === 'string' ? `${bundle.sha256.slice(0, 16)}…` : '—'}
                </TableCell>
                <TableCell>{String(bundle.createdBy)}</TableCell>
                <TableCell>
                  <DownloadBundleButton bundle={bundle} />
                  {bundle.status === 'READY' ? (
                    <Button
                      component={Link}
                      to={`${VERIFY_ROUTE}?bundle=${encodeURIComponent(String(bundle.id))}`}
                      label="tranche.verify.verify_bundle"
                    />
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
};
