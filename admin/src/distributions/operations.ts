/**
 * The GraphQL documents of the distribution pages: servicer reports (a page of the approval queue,
 * or one report) with their waterfall run,
 * approval card, tranche payouts and reconciliation; the mutations that move a distribution
 * (submit, preview, execute, reconcile); and a deal's projection for the cash-flow chart.
 */
import { gql } from '@apollo/client';

const PAYOUT_FIELDS = gql`
  fragment TranchePayoutFields on TranchePayout {
    id
    trancheId
    classId
    token
    chainId
    distributionId
    classCash
    total
    remainder
    recipients
    merkleRoot
    fundTx
    publishTx
    pushed
    paidTotal
    claimDeadline
    sweptTx
    swept
  }
`;

const REPORT_FIELDS = gql`
  fragment ServicerReportFields on ServicerReport {
    id
    dealId
    period
    status
    progress
    error
    recordBlock
    changeRequestId
    reportSha256
    inputSha256
    engineVersion
    summary
    classes
    reconciliation
    submittedBy
    createdAt
    executedAt
    totals {
      grossCollections
      feesAndExpenses
      netDistributable
      recipients
    }
    payouts {
      ...TranchePayoutFields
    }
  }
  ${PAYOUT_FIELDS}
`;

/**
 * A report in a list: the approval card, its class cash per token and the run's classes (for the
 * cash-flow chart). Lighter than one report's page, so a page of 100 stays within the gateway's
 * query cost (a report's payout list counts ten times every field it selects).
 */
const REPORT_LIST_FIELDS = gql`
  fragment ServicerReportListFields on ServicerReport {
    id
    dealId
    period
    status
    progress
    recordBlock
    classes
    submittedBy
    createdAt
    executedAt
    totals {
      grossCollections
      feesAndExpenses
      netDistributable
      recipients
    }
    payouts {
      id
      trancheId
      classId
      classCash
    }
  }
`;

export const SERVICER_REPORTS_QUERY = gql`
  query ServicerReports($dealId: ID, $page: PageInput) {
    servicerReports(dealId: $dealId, page: $page) {
      total
      items {
        ...ServicerReportListFields
      }
    }
  }
  ${REPORT_LIST_FIELDS}
`;

export const SERVICER_REPORT_QUERY = gql`
  query ServicerReport($id: ID!) {
    servicerReport(id: $id) {
      ...ServicerReportFields
    }
  }
  ${REPORT_FIELDS}
`;

export const SUBMIT_SERVICER_REPORT = gql`
  mutation SubmitServicerReport($dealId: ID!, $report: String!) {
    submitServicerReport(dealId: $dealId, report: $report) {
      ...ServicerReportFields
    }
  }
  ${REPORT_FIELDS}
`;

export const PREVIEW_DISTRIBUTION = gql`
  mutation PreviewDistribution($dealId: ID!, $period: Int!, $recordBlock: Int) {
    previewDistribution(dealId: $dealId, period: $period, recordBlock: $recordBlock) {
      roundingRule
      executionPayload
      report {
        ...ServicerReportFields
      }
    }
  }
  ${REPORT_FIELDS}
`;

export const EXECUTE_DISTRIBUTION = gql`
  mutation ExecuteDistribution($id: ID!, $changeRequestId: ID) {
    executeDistribution(id: $id, changeRequestId: $changeRequestId) {
      ...ServicerReportFields
    }
  }
  ${REPORT_FIELDS}
`;

export const RECONCILE_DISTRIBUTION = gql`
  mutation ReconcileDistribution($id: ID!) {
    reconcileDistribution(id: $id) {
      ...ServicerReportFields
    }
  }
  ${REPORT_FIELDS}
`;

export const DEAL_PROJECTION_QUERY = gql`
  query DealProjection($id: ID!, $scenario: ScenarioInput!) {
    deal(id: $id) {
      id
      currency
      projection(scenario: $scenario) {
        scenarioName
        periods
        classes {
          classId
          originalBalance
          cashFlows {
            period
            interestPaid
            principalPaid
          }
        }
      }
    }
  }
`;

/** Each tranche payout's holders (wallets and amounts): SERVICER, COMPLIANCE, AUDITOR, ADMIN. */
export const DISTRIBUTION_HOLDERS_QUERY = gql`
  query DistributionHolders($id: ID!, $page: PageInput) {
    servicerReport(id: $id) {
      id
      payouts {
        id
        classId
        holders(page: $page) {
          total
          items {
            index
            account
            amount
            paid
            status
          }
        }
      }
    }
  }
`;
