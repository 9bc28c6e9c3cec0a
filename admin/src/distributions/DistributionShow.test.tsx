// @vitest-environment jsdom
import { act } from 'react';
import { RecordContextProvider, type AuthProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canAccess } from '../providers/permissions';
import type { Role } from '../providers/session';
import { authAs, buttonNamed, render, waitFor } from '../testRender';
import { DistributionActions } from './DistributionActions';
import { followInterval } from './DistributionShow';
import { ApprovalCard, ExecutionProgress } from './DistributionSummary';
import { ExecuteDialog } from './ExecuteDialog';
import { PayoutsTable } from './PayoutsTable';
import { ReconciliationPanel } from './ReconciliationPanel';
import { WaterfallTable } from './WaterfallTable';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** The app's role rules, as the real auth provider applies them. */
const as = (email: string, roles: Role[]): AuthProvider => ({
  ...authAs(email, roles),
  canAccess: async ({ resource, action }) => canAccess(roles, resource, action),
});

const deal = { id: 'd1', name: 'Payouts 2026-1', currency: 'USD', tranches: [] };
const getMany = vi.fn(async () => ({ data: [deal] }));

const REPORT = {
  id: 'r1',
  dealId: 'd1',
  period: 1,
  status: 'RECONCILED',
  progress: 100,
  error: null,
  recordBlock: 57,
  changeRequestId: 'cr1',
  reportSha256: 'aa'.repeat(32),
  inputSha256: 'bb'.repeat(32),
  engineVersion: '0.1.0',
  submittedBy: 'user:servicer@acme.test',
  createdAt: '2026-11-01T10:00:00Z',
  executedAt: '2026-11-01T10:05:00Z',
  summary: JSON.stringify({
    pool: { interest: '2100000.00' },
    feesPaid: { trustee: '4166.67' },
    cashIn: '4100000.00',
  }),
  classes: JSON.stringify([
    {
      classId: 'A',
      period: 1,
      beginBalance: '400000000.00',
      interestPaid: '1583333.33',
      principalPaid: '2000000.00',
      endBalance: '398000000.00',
      couponPct: 4.75,
    },
  ]),
  totals: {
    grossCollections: '4100000.00',
    feesAndExpenses: '4166.67',
    netDistributable: '4095833.33',
    recipients: 3,
  },
  payouts: [
    {
      trancheId: 't-a',
      classId: 'A',
      token: '0x1111111111111111111111111111111111111111',
      classCash: '358333333',
      total: '3583333330000',
      remainder: '0',
      recipients: 2,
      pushed: 2,
      paidTotal: '3583333330000',
      merkleRoot: '0x' + 'cd'.repeat(32),
      fundTx: '0x' + 'ef'.repeat(32),
      publishTx: '0x' + '12'.repeat(32),
      claimDeadline: '2027-01-30T00:00:00Z',
      sweptTx: null,
      swept: '0',
    },
  ],
  reconciliation: JSON.stringify({
    ties: false,
    tranches: [
      {
        trancheId: 't-a',
        entitled: '3583333330000',
        funded: '3583333330000',
        paid: '3583333329999',
        remainder: '1',
        differences: [{ index: 0, account: '0xAa', entitled: '2687499997500', paid: '2687499997499' }],
      },
    ],
  }),
};

const show = async (
  record: Record<string, unknown>,
  ui: React.ReactNode,
  roles: Role[] = ['SERVICER'],
  extra = {},
) => {
  const view = await render(<RecordContextProvider value={record}>{ui}</RecordContextProvider>, {
    dataProvider: { getMany, ...extra },
    authProvider: as('servicer@acme.test', roles),
  });
  cleanup = view.unmount;
  return view.container;
};

describe('a distribution’s page', () => {
  it('shows the approval card, the waterfall by class, each tranche’s payout with its transactions, and the execution', async () => {
    const page = await show(
      REPORT,
      <>
        <ApprovalCard />
        <ExecutionProgress />
        <WaterfallTable />
        <PayoutsTable />
      </>,
    );
    await waitFor(() => page.textContent?.includes('Payouts 2026-1 — period 1'));
    for (const text of [
      '$4,100,000.00',
      '$4,166.67',
      '$4,095,833.33',
      'A $3,583,333.33',
      'Reconciled',
      '100%',
    ])
      expect(page.textContent).toContain(text);
    expect(page.querySelector('table[aria-label="Waterfall by class"]')?.textContent).toContain(
      '$1,583,333.33',
    );
    expect(page.textContent).toContain('Fee: trustee');
    const payouts = page.querySelector('table[aria-label="Payouts by tranche"]');
    expect(payouts?.textContent).toContain('3,583,333.33');
    expect(payouts?.textContent).toContain('2 / 2');
    expect(payouts?.querySelector(`[title="${REPORT.payouts[0]!.fundTx}"]`)?.textContent).toBe('0xefef…efef');
  });

  it('shows ✓ per tranche when the reconciliation ties, and each difference when it does not', async () => {
    const page = await show(REPORT, <ReconciliationPanel />);
    expect(page.textContent).toContain('Differences: the chain does not show');
    const diff = page.querySelector('table[aria-label="Differences of tranche A"]');
    expect(diff?.textContent).toContain('0xAa');
    expect(diff?.textContent).toContain('2,687,499.9975');
    cleanup?.();
    const tied = JSON.stringify({
      ties: true,
      tranches: [
        { trancheId: 't-a', entitled: '1', funded: '1', paid: '1', remainder: '0', differences: [] },
      ],
    });
    const ok = await show({ ...REPORT, reconciliation: tied }, <ReconciliationPanel />);
    expect(ok.textContent).toContain('✓ Ties');
    expect(ok.querySelector('table')?.textContent).toContain('✓');
  });

  it('offers the servicer preview, approval and execution of a pending distribution; an auditor only reconciles an executed one', async () => {
    const pending = { ...REPORT, status: 'PENDING', changeRequestId: null, reconciliation: null };
    const page = await show(pending, <DistributionActions />);
    await waitFor(() => buttonNamed(page, 'Execute'));
    expect(buttonNamed(page, 'Preview')).toBeDefined();
    expect(buttonNamed(page, 'Request approval')).toBeDefined();
    expect(buttonNamed(page, 'Reconcile')).toBeUndefined();
    cleanup?.();
    const audit = await show(REPORT, <DistributionActions />, ['AUDITOR']);
    await waitFor(() => buttonNamed(audit, 'Reconcile'));
    expect(buttonNamed(audit, 'Preview')).toBeUndefined();
    expect(buttonNamed(audit, 'Execute')).toBeUndefined();
  });

  it('executes with the approved request that approves exactly these payouts', async () => {
    const pending = { ...REPORT, status: 'PENDING', changeRequestId: null };
    const payload = JSON.stringify({
      reportId: 'r1',
      dealId: 'd1',
      period: 1,
      inputSha256: REPORT.inputSha256,
      recordBlock: 57,
      tranches: [{ trancheId: 't-a', merkleRoot: REPORT.payouts[0]!.merkleRoot, total: '3583333330000' }],
    });
    const getList = vi.fn(async () => ({
      data: [
        { id: 'cr-old', title: 'Old', requestedBy: 'user:a', payload: '{"reportId":"r0"}' },
        { id: 'cr-ok', title: 'Pay period 1', requestedBy: 'user:servicer@acme.test', payload },
      ],
      total: 2,
    }));
    const create = vi.fn(async () => ({ data: { ...pending, status: 'APPROVED' } }));
    await show(pending, <ExecuteDialog report={pending} onClose={() => undefined} />, ['SERVICER'], {
      getList,
      create,
    });
    await waitFor(() => document.body.textContent?.includes('Pay period 1'));
    const confirm = await waitFor(() => buttonNamed(document.body, 'Execute'));
    expect(getList).toHaveBeenCalledWith(
      'changeRequests',
      expect.objectContaining({ filter: { type: 'distribution.execute', dealId: 'd1', status: 'APPROVED' } }),
    );
    expect(document.body.textContent).toContain('Old — user:a (approves other payouts)');
    await act(async () => confirm.click());
    await waitFor(() => create.mock.calls.length > 0);
    expect(create).toHaveBeenCalledWith('distributionExecutions', {
      data: { id: 'r1', changeRequestId: 'cr-ok' },
    });
  });

  it('follows the execution job every 2 s while it works, and stops once it is done', () => {
    expect(followInterval({ id: 'r1', status: 'APPROVED' })).toBe(2000);
    expect(followInterval({ id: 'r1', status: 'RECONCILED' })).toBe(false);
    expect(followInterval(undefined)).toBe(false);
  });
});
