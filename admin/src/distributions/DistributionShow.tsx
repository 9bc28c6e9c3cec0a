import { Card, CardContent } from '@mui/material';
import { Show, useShowContext, type RaRecord } from 'react-admin';
import { RequireAccess } from '../layout/RequireAccess';
import { EXECUTING } from './choices';
import { DistributionActions } from './DistributionActions';
import { ApprovalCard, ExecutionProgress } from './DistributionSummary';
import { HoldersTable } from './HoldersTable';
import { PayoutsTable } from './PayoutsTable';
import { ReconciliationPanel } from './ReconciliationPanel';
import { WaterfallTable } from './WaterfallTable';

/** Re-read every 2 s while the execution job works, so its progress and transactions show live. */
export const FOLLOW_MS = 2000;
export const followInterval = (report: RaRecord | undefined): number | false =>
  report !== undefined && EXECUTING.includes(String(report.status)) ? FOLLOW_MS : false;

const DistributionPage = () => {
  const { record } = useShowContext();
  if (!record) return null;
  return (
    <Card>
      <CardContent>
        <ApprovalCard />
        <DistributionActions />
        <ExecutionProgress />
        <WaterfallTable />
        <PayoutsTable />
        <HoldersTable />
        <ReconciliationPanel />
      </CardContent>
    </Card>
  );
};

/**
 * One distribution: the approval card, the actions of its next step, the execution's progress,
 * the waterfall by class, each tranche's payout and the reconciliation.
 */
export const DistributionShow = () => (
  <RequireAccess resource="distributions" action="show">
    <Show
      component="div"
      actions={false}
      queryOptions={{ refetchInterval: (query) => followInterval(query.state.data) }}
    >
      <DistributionPage />
    </Show>
  </RequireAccess>
);
