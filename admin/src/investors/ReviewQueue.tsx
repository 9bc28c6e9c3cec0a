/**
 * The compliance review queue: BLOCKED investors whose potential sanctions match needs a decision,
 * investors whose KYC is not verified, and credentials that expire soon or have expired. Each row
 * links to the investor's page where the action is.
 */
import {
  Alert,
  Box,
  Card,
  CardContent,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { ReactNode } from 'react';
import {
  DateField,
  Link,
  Loading,
  RecordContextProvider,
  Title,
  useCreatePath,
  useGetList,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { KycBadge, SanctionsBadge } from './badges';
import { REVIEW_QUEUE_CAP, reviewQueueOf } from './reviewQueue';

const InvestorLink = ({ id, name, tab }: { id: unknown; name: unknown; tab?: string }) => {
  const createPath = useCreatePath();
  const path = createPath({ resource: 'investors', id: String(id), type: 'show' });
  return <Link to={tab ? `${path}/${tab}` : path}>{String(name)}</Link>;
};

const Section = ({
  title,
  empty,
  headers,
  rows,
}: {
  title: string;
  empty: string;
  headers: string[];
  rows: { key: string; cells: ReactNode[] }[];
}) => {
  const translate = useTranslate();
  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="h6">{translate(title)}</Typography>
        {rows.length === 0 ? (
          <Typography variant="body2">{translate(empty)}</Typography>
        ) : (
          <Table size="small" aria-label={translate(title)}>
            <TableHead>
              <TableRow>
                {headers.map((h) => (
                  <TableCell key={h}>{translate(h)}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.key}>
                  {row.cells.map((cell, i) => (
                    <TableCell key={i}>{cell}</TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
};

const investorRow = (investor: RaRecord, badge: ReactNode, tab?: string) => ({
  key: String(investor.id),
  cells: [
    <InvestorLink key="name" id={investor.id} name={investor.legalName} tab={tab} />,
    String(investor.jurisdiction ?? ''),
    <RecordContextProvider key="badge" value={investor}>
      {badge}
    </RecordContextProvider>,
  ],
});

const ReviewQueuePage = () => {
  const translate = useTranslate();
  const investors = useGetList('investors', { pagination: { page: 1, perPage: REVIEW_QUEUE_CAP } });
  const expiring = useGetList('expiringCredentials', { pagination: { page: 1, perPage: REVIEW_QUEUE_CAP } });
  if (investors.isPending || expiring.isPending) return <Loading />;
  const { sanctionsHits, kyc } = reviewQueueOf(investors.data ?? []);
  const header = ['resources.investors.fields.legalName', 'resources.investors.fields.jurisdiction'];
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="tranche.investors.queue.title" />
      {investors.error || expiring.error ? (
        <Alert severity="error">{translate('tranche.investors.queue.failed')}</Alert>
      ) : null}
      {(investors.total ?? 0) > REVIEW_QUEUE_CAP ? (
        <Alert severity="info">
          {translate('tranche.investors.queue.capped', { cap: REVIEW_QUEUE_CAP })}
        </Alert>
      ) : null}
      <Section
        title="tranche.investors.queue.sanctions"
        empty="tranche.investors.queue.no_sanctions"
        headers={[...header, 'resources.investors.fields.sanctionsStatus']}
        rows={sanctionsHits.map((i) => investorRow(i, <SanctionsBadge />, 'sanctions'))}
      />
      <Section
        title="tranche.investors.queue.kyc"
        empty="tranche.investors.queue.no_kyc"
        headers={[...header, 'resources.investors.fields.kycStatus']}
        rows={kyc.map((i) => investorRow(i, <KycBadge />))}
      />
      <Section
        title="tranche.investors.queue.expiring"
        empty="tranche.investors.queue.no_expiring"
        headers={[
          'resources.investors.fields.legalName',
          'tranche.investors.queue.credential',
          'tranche.investors.queue.expires',
        ]}
        rows={(expiring.data ?? []).map((row) => ({
          key: String(row.id),
          cells: [
            <InvestorLink key="name" id={row.investor?.id} name={row.investor?.legalName} />,
            translate(`tranche.investors.queue.credentials.${String(row.credential)}`, {
              _: String(row.credential),
            }),
            <RecordContextProvider key="expires" value={row}>
              <DateField source="expiresAt" showTime />
            </RecordContextProvider>,
          ],
        }))}
      />
    </Box>
  );
};

/** The review queue, for those who act on investors (COMPLIANCE, ADMIN). */
export const ReviewQueue = () => (
  <RequireAccess resource="investorReview" action="list">
    <ReviewQueuePage />
  </RequireAccess>
);

/** Where the review queue lives (a custom route, linked from the menu). */
export const REVIEW_QUEUE_PATH = '/review-queue';
