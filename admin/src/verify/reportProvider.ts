/**
 * The report-attestation calls of the verification page: the EIP-712 domain auditors sign results
 * for (the chain's AuditReportRegistry), submitting a signed result, and following it until it is
 * recorded on-chain.
 */
import { gql, type ApolloClient } from '@apollo/client';
import type { DataProvider } from 'ra-core';
import { normalizeError } from '../providers/errors';

export interface AuditReportDomain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: string;
}

export interface AttestAuditReportInput {
  dealId: string;
  bundleId: string | null;
  bundleSha256: string;
  resultDigest: string;
  verified: boolean;
  checksPassed: number;
  checksFailed: number;
  verifiedAt: string;
  auditor: string;
  signature: string;
}

export interface AuditReportState {
  id: string;
  status: 'SUBMITTED' | 'RECORDED' | 'FAILED';
  txHash: string | null;
  error: string | null;
}

export interface AuditReportCalls {
  auditReportDomain(): Promise<AuditReportDomain>;
  attestAuditReport(input: AttestAuditReportInput): Promise<AuditReportState>;
  auditReportState(id: string): Promise<AuditReportState | null>;
}

const FIELDS = 'id status txHash error';
const DOMAIN = gql`
  query AuditReportDomain {
    auditReportDomain {
      name
      version
      chainId
      verifyingContract
    }
  }
`;
const ATTEST = gql`
  mutation AttestAuditReport($input: AttestAuditReportInput!) {
    attestAuditReport(input: $input) { ${FIELDS} }
  }
`;
const STATE = gql`
  query AuditReportState($id: ID!) {
    auditReport(id: $id) { ${FIELDS} }
  }
`;

/** Adds the report-attestation calls to `dataProvider`, over the back office's Apollo client. */
export const withAuditReports = <D extends DataProvider>(
  dataProvider: D,
  client: ApolloClient<unknown>,
): D & AuditReportCalls => ({
  ...dataProvider,
  auditReportDomain: async () => {
    try {
      const { data } = await client.query<{ auditReportDomain: AuditReportDomain }>({ query: DOMAIN });
      // exactly the EIP-712 domain's members (Apollo adds __typename, which a wallet refuses)
      const { name, version, chainId, verifyingContract } = data.auditReportDomain;
      return { name, version, chainId, verifyingContract };
    } catch (error) {
      throw normalizeError(error);
    }
  },
  attestAuditReport: async (input) => {
    try {
      const { data } = await client.mutate<{ attestAuditReport: AuditReportState }>({
        mutation: ATTEST,
        variables: { input },
      });
      if (!data) throw new Error('no answer');
      return data.attestAuditReport;
    } catch (error) {
      throw normalizeError(error);
    }
  },
  auditReportState: async (id) => {
    try {
      const { data } = await client.query<{ auditReport: AuditReportState | null }>({
        query: STATE,
        variables: { id },
        fetchPolicy: 'network-only',
      });
      return data.auditReport;
    } catch (error) {
      throw normalizeError(error);
    }
  },
});
