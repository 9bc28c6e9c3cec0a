/**
 * The issuance calls of the back office: a deal's terms, documents, review and deployment state,
 * and the mutations that move it (setDealTerms, addDealDocument, submitDealForReview, issueDeal).
 */
import { gql, type ApolloClient, type DocumentNode } from '@apollo/client';
import type { DataProvider } from 'ra-core';
import { normalizeError } from '../providers/errors';

export interface IssuanceState {
  id: string;
  status: string;
  spvName: string | null;
  spvJurisdiction: string | null;
  regulatoryFramework: string | null;
  accreditedOnly: boolean;
  allowedCountries: string[];
  minimumInvestment: string | null;
  lockUpDays: number;
  chainId: number | null;
  reviewChangeRequestId: string | null;
  waterfallRules: string | null;
  documents: {
    id: string;
    kind: string;
    title: string;
    sha256: string;
    uri: string;
    registeredTxHash: string | null;
  }[];
  issuance: {
    status: 'DEPLOYING' | 'DEPLOYED' | 'FAILED';
    progress: number;
    stepsDone: number;
    stepsTotal: number;
    chainId: number;
    error: string | null;
    tokens: {
      tranche: string;
      symbol: string;
      status: string;
      address: string | null;
      deployTx: string | null;
    }[];
    transactions: { step: string; txHash: string; gasUsed: string; contractAddress: string | null }[];
  } | null;
}

export const DEAL_ISSUANCE = gql`
  query DealIssuance($id: ID!) {
    chains {
      chainId
      name
    }
    deal(id: $id) {
      id
      status
      spvName
      spvJurisdiction
      regulatoryFramework
      accreditedOnly
      allowedCountries
      minimumInvestment
      lockUpDays
      chainId
      reviewChangeRequestId
      documents {
        id
        kind
        title
        sha256
        uri
        registeredTxHash
      }
      issuance {
        status
        progress
        stepsDone
        stepsTotal
        chainId
        error
        tokens {
          tranche
          symbol
          status
          address
          deployTx
        }
        transactions {
          step
          txHash
          gasUsed
          contractAddress
        }
      }
    }
  }
`;
const SET_TERMS = gql`
  mutation SetDealTerms($id: ID!, $input: DealTermsInput!) {
    setDealTerms(id: $id, input: $input) {
      id
    }
  }
`;
const ADD_DOCUMENT = gql`
  mutation AddDealDocument($dealId: ID!, $input: DealDocumentInput!) {
    addDealDocument(dealId: $dealId, input: $input) {
      id
    }
  }
`;
const SUBMIT = gql`
  mutation SubmitDealForReview($id: ID!) {
    submitDealForReview(id: $id) {
      id
      status
    }
  }
`;
const SET_STRUCTURE = gql`
  mutation SetDealStructure($id: ID!, $input: DealStructureInput!) {
    setDealStructure(id: $id, input: $input) {
      id
    }
  }
`;
const RULES_SCHEMA = gql`
  query WaterfallRulesSchema {
    waterfallRulesSchema
  }
`;
const ISSUE = gql`
  mutation IssueDeal($id: ID!) {
    issueDeal(id: $id) {
      status
    }
  }
`;

export interface IssuanceCalls {
  issuanceOf(
    dealId: string,
  ): Promise<{ deal: IssuanceState | null; chains: { chainId: number; name: string }[] }>;
  setDealTerms(dealId: string, input: Record<string, unknown>): Promise<void>;
  addDealDocument(
    dealId: string,
    input: { kind: string; title: string; sha256: string; uri: string },
  ): Promise<void>;
  submitDealForReview(dealId: string): Promise<void>;
  issueDeal(dealId: string): Promise<void>;
  /** Stores the rule document (the engine validates it; errors name their paths). */
  setWaterfallRules(dealId: string, waterfallRules: string): Promise<void>;
  /** The rule document's JSON Schema, from the engine. */
  waterfallRulesSchema(): Promise<Record<string, unknown>>;
}

/** Adds the issuance calls to `dataProvider`. */
export const withIssuance = <D extends DataProvider>(
  dataProvider: D,
  client: ApolloClient<unknown>,
): D & IssuanceCalls => {
  const mutate = async (mutation: DocumentNode, variables: Record<string, unknown>) => {
    try {
      await client.mutate({ mutation, variables });
    } catch (error) {
      throw normalizeError(error);
    }
  };
  return {
    ...dataProvider,
    issuanceOf: async (dealId) => {
      try {
        const { data } = await client.query<{
          deal: IssuanceState | null;
          chains: { chainId: number; name: string }[];
        }>({ query: DEAL_ISSUANCE, variables: { id: dealId }, fetchPolicy: 'network-only' });
        return data;
      } catch (error) {
        throw normalizeError(error);
      }
    },
    setDealTerms: (id, input) => mutate(SET_TERMS, { id, input }),
    addDealDocument: (dealId, input) => mutate(ADD_DOCUMENT, { dealId, input }),
    submitDealForReview: (id) => mutate(SUBMIT, { id }),
    issueDeal: (id) => mutate(ISSUE, { id }),
    setWaterfallRules: (id, waterfallRules) => mutate(SET_STRUCTURE, { id, input: { waterfallRules } }),
    waterfallRulesSchema: async () => {
      try {
        const { data } = await client.query<{ waterfallRulesSchema: string }>({ query: RULES_SCHEMA });
        return JSON.parse(data.waterfallRulesSchema) as Record<string, unknown>;
      } catch (error) {
        throw normalizeError(error);
      }
    },
  };
};

/** SHA-256 of a file, hex, computed in the browser (the file itself is not uploaded). */
export const sha256OfFile = async (file: Blob): Promise<string> => {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
};
