import {
  ForbiddenError,
  NotFoundError,
  STAFF_ROLES,
  TenantService,
  TOPOLOGY,
  ValidationError,
  isUuid,
} from '@tranche/platform';
import { PayoutStatus, ServicerReport, TranchePayout } from '../payout/payout.entity.js';
import { STABLECOIN_DECIMALS } from '../payout/payout.math.js';

const INVESTORS = TOPOLOGY.subgraphs.investors.dbSchema;
const DEALS = TOPOLOGY.subgraphs.deals.dbSchema;

/** One payment to the investor: a tranche's distribution, split into interest and principal. */
export interface StatementLine {
  paidAt: Date;
  dealName: string;
  tranche: string;
  period: number;
  /** Stablecoin units (6 decimals) the chain paid. */
  amount: bigint;
  /** The interest part (the class's interest share of its cash this period, rounded down). */
  interest: bigint;
  /** The rest: scheduled and unscheduled principal, write-down reimbursement. */
  principal: bigint;
  distributionId: string;
}

export interface Statement {
  investorId: string;
  legalName: string;
  wallet: string | null;
  year: number;
  /** 1–12, or null for the whole year. */
  month: number | null;
  lines: StatementLine[];
  totals: { amount: bigint; interest: bigint; principal: bigint };
  /** Per deal and tranche over the statement's span: the shape of a 1099-INT (box 1: interest income). */
  taxSummary: { dealName: string; tranche: string; interestIncome: bigint; principalReturned: bigint }[];
}

interface PublishedInvestor {
  investor_id: string;
  legal_name: string;
  wallet_address: string | null;
  portal_subject: string | null;
}

/** A decimal string in major units to minor units of `digits`. */
function toUnits(decimal: string, digits: number): bigint {
  const [whole, frac = ''] = decimal.split('.');
  return BigInt(`${whole}${frac.padEnd(digits, '0').slice(0, digits)}`);
}

/**
 * An investor's statements: every distribution the chain paid their proven wallet, by payment date,
 * split into interest and principal in the proportion the waterfall paid the class, with totals and
 * the yearly tax summary. Staff read any investor of their tenant; an investor only themselves.
 */
export class StatementService extends TenantService {
  private async investor(investorId: string): Promise<PublishedInvestor> {
    const [row] = isUuid(investorId)
      ? await this.em.execute<PublishedInvestor[]>(
          `select investor_id, legal_name, wallet_address, portal_subject from "${INVESTORS}".published_investor
            where investor_id = ? and tenant_id = ?`,
          [investorId, this.tenantId],
        )
      : [];
    if (!row) throw new NotFoundError('Investor', investorId);
    const staff = STAFF_ROLES.some((r) => this.principal.roles.has(r));
    if (!staff && !(this.principal.roles.has('INVESTOR') && row.portal_subject === this.principal.subject))
      throw new ForbiddenError('an investor reads only their own statements');
    return row;
  }

  /**
   * @throws NotFoundError; ForbiddenError for another investor; ValidationError for a bad year or month.
   */
  async statement(investorId: string, year: number, month?: number | null): Promise<Statement> {
    const fields: Record<string, string> = {};
    if (!Number.isInteger(year) || year < 2000 || year > 2100) fields.year = 'a year between 2000 and 2100';
    if (month != null && (!Number.isInteger(month) || month < 1 || month > 12)) fields.month = '1 to 12';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    const investor = await this.investor(investorId);
    const from = new Date(Date.UTC(year, month ? month - 1 : 0, 1));
    const to = new Date(Date.UTC(month ? year : year + 1, month ? month : 0, 1));
    const lines: StatementLine[] = [];
    const wallet = investor.wallet_address?.toLowerCase() ?? null;
    if (wallet) {
      const reports = await this.em.find(
        ServicerReport,
        {
          tenantId: this.tenantId,
          status: { $in: [PayoutStatus.EXECUTED, PayoutStatus.RECONCILED] },
          executedAt: { $gte: from, $lt: to },
        },
        { orderBy: { executedAt: 'asc' } },
      );
      const names = new Map(
        (
          await this.em.execute<{ deal_id: string; name: string }[]>(
            `select deal_id, name from "${DEALS}".published_deal where tenant_id = ?`,
            [this.tenantId],
          )
        ).map((d) => [d.deal_id, d.name]),
      );
      for (const report of reports) {
        const payouts = await this.em.find(
          TranchePayout,
          { reportId: report.id },
          { orderBy: { classId: 'asc' } },
        );
        const classes = JSON.parse(report.classes) as {
          classId: string;
          interestPaid: string;
          writedownReimbursed: string;
          principalPaid: string;
        }[];
        const differences = report.reconciliation
          ? (
              JSON.parse(report.reconciliation) as {
                tranches: { distributionId: string; differences: { index: number; paid: string }[] }[];
              }
            ).tranches
          : [];
        for (const payout of payouts) {
          const leaf = payout.leaves.find(([, account]) => account.toLowerCase() === wallet);
          if (!leaf) continue;
          const differs = differences
            .find((t) => t.distributionId === payout.distributionId)
            ?.differences.find((d) => d.index === leaf[0]);
          const amount = BigInt(differs ? differs.paid : leaf[2]);
          if (amount === 0n) continue;
          const row = classes.find((c) => c.classId === payout.classId);
          const interestCash = row ? toUnits(row.interestPaid, STABLECOIN_DECIMALS) : 0n;
          const cash = row
            ? interestCash +
              toUnits(row.writedownReimbursed, STABLECOIN_DECIMALS) +
              toUnits(row.principalPaid, STABLECOIN_DECIMALS)
            : 0n;
          const interest = cash === 0n ? 0n : (amount * interestCash) / cash;
          lines.push({
            paidAt: report.executedAt!,
            dealName: names.get(report.dealId) ?? report.dealId,
            tranche: payout.classId,
            period: report.period,
            amount,
            interest,
            principal: amount - interest,
            distributionId: payout.distributionId,
          });
        }
      }
    }
    const sum = (f: (l: StatementLine) => bigint) => lines.reduce((s, l) => s + f(l), 0n);
    const summary = new Map<string, Statement['taxSummary'][number]>();
    for (const l of lines) {
      const key = `${l.dealName}\u0000${l.tranche}`;
      const s = summary.get(key) ?? {
        dealName: l.dealName,
        tranche: l.tranche,
        interestIncome: 0n,
        principalReturned: 0n,
      };
      s.interestIncome += l.interest;
      s.principalReturned += l.principal;
      summary.set(key, s);
    }
    return {
      investorId: investor.investor_id,
      legalName: investor.legal_name,
      wallet: investor.wallet_address,
      year,
      month: month ?? null,
      lines,
      totals: {
        amount: sum((l) => l.amount),
        interest: sum((l) => l.interest),
        principal: sum((l) => l.principal),
      },
      taxSummary: [...summary.values()],
    };
  }
}
