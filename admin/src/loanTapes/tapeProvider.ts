/**
 * The loan-tape calls of the back office: the tapes of a deal, a new version, the file's upload
 * (a PUT of the CSV on the gateway's `uploadPath` with the session's bearer token, with upload
 * progress), and one tape as the ingest job advances. Data-provider methods, like the bundle
 * download, so pages reach them through `useDataProvider()`.
 */
import { gql, type ApolloClient } from '@apollo/client';
import type { DataProvider } from 'ra-core';
import { HttpError } from 'ra-core';
import { normalizeError } from '../providers/errors';

export interface StratBucket {
  key: string;
  loanCount: number;
  balance: string;
  share: number;
}

export interface Stratification {
  loanCount: number;
  currentBalance: string;
  averageBalance: string;
  wac: number;
  wam: number;
  waLtv: number;
  waFico: number;
  waDti: number;
  byState: StratBucket[];
  byDelinquency: StratBucket[];
  byOccupancy: StratBucket[];
  byLtv: StratBucket[];
  byFico: StratBucket[];
}

export interface LoanTape {
  id: string;
  version: number;
  cutoffDate: string;
  period: number;
  fileName: string;
  status: 'AWAITING_UPLOAD' | 'RECEIVING' | 'RECEIVED' | 'VALIDATING' | 'VALIDATED' | 'REJECTED';
  sha256: string | null;
  byteSize: string | null;
  rowCount: number | null;
  rowsProcessed: number;
  errorCount: number;
  errors: { row: number; column: string | null; message: string }[];
  poseidonRoot: string | null;
  rootCapacity: number | null;
  anchorStatus: 'NONE' | 'PENDING' | 'ANCHORED' | 'FAILED';
  anchorTxHash: string | null;
  anchorChainId: number | null;
  anchorError: string | null;
  uploadPath: string;
  createdAt: string;
  stratification: Stratification | null;
}

const BUCKET = 'key loanCount balance share';
const TAPE_FIELDS = gql`
  fragment LoanTapeFields on LoanTape {
    id version cutoffDate period fileName status sha256 byteSize rowCount rowsProcessed errorCount
    errors { row column message }
    poseidonRoot rootCapacity anchorStatus anchorTxHash anchorChainId anchorError uploadPath createdAt
    stratification {
      loanCount currentBalance averageBalance wac wam waLtv waFico waDti
      byState { ${BUCKET} } byDelinquency { ${BUCKET} } byOccupancy { ${BUCKET} } byLtv { ${BUCKET} } byFico { ${BUCKET} }
    }
  }
`;
export const DEAL_TAPES = gql`
  query DealLoanTapes($id: ID!) {
    deal(id: $id) {
      id
      loanTapes {
        ...LoanTapeFields
      }
    }
  }
  ${TAPE_FIELDS}
`;
export const LOAN_TAPE = gql`
  query LoanTape($id: ID!) {
    loanTape(id: $id) {
      ...LoanTapeFields
    }
  }
  ${TAPE_FIELDS}
`;
export const CREATE_UPLOAD = gql`
  mutation CreateLoanTapeUpload($input: NewLoanTapeInput!) {
    createLoanTapeUpload(input: $input) {
      ...LoanTapeFields
    }
  }
  ${TAPE_FIELDS}
`;

export interface LoanTapeCalls {
  loanTapesOf(dealId: string): Promise<LoanTape[]>;
  loanTape(id: string): Promise<LoanTape | null>;
  createLoanTapeUpload(input: { dealId: string; cutoffDate: string; fileName: string }): Promise<LoanTape>;
  /** PUTs `file` to the tape's upload path; `onProgress` gets the fraction sent (0–1). */
  uploadLoanTape(tape: LoanTape, file: Blob, onProgress?: (fraction: number) => void): Promise<void>;
}

const UPLOAD_MESSAGES: Readonly<Record<number, string>> = {
  401: 'tranche.errors.unauthenticated',
  403: 'tranche.errors.forbidden',
  404: 'ra.notification.item_doesnt_exist',
  409: 'tranche.loan_tapes.already_uploaded',
  413: 'tranche.loan_tapes.too_large',
  423: 'tranche.loan_tapes.stopped',
};

/** Adds the loan-tape calls to `dataProvider`. */
export const withLoanTapes = <D extends DataProvider>(
  dataProvider: D,
  client: ApolloClient<unknown>,
  gatewayUrl: string,
  token: () => string | null,
): D & LoanTapeCalls => {
  const query = async <T>(document: typeof LOAN_TAPE, variables: Record<string, unknown>): Promise<T> => {
    try {
      const result = await client.query<T>({ query: document, variables, fetchPolicy: 'network-only' });
      return result.data;
    } catch (error) {
      throw normalizeError(error);
    }
  };
  return {
    ...dataProvider,
    loanTapesOf: async (dealId) =>
      (await query<{ deal: { loanTapes: LoanTape[] } | null }>(DEAL_TAPES, { id: dealId })).deal?.loanTapes ??
      [],
    loanTape: async (id) => (await query<{ loanTape: LoanTape | null }>(LOAN_TAPE, { id })).loanTape,
    createLoanTapeUpload: async (input) => {
      try {
        const result = await client.mutate<{ createLoanTapeUpload: LoanTape }>({
          mutation: CREATE_UPLOAD,
          variables: { input },
        });
        return result.data!.createLoanTapeUpload;
      } catch (error) {
        throw normalizeError(error);
      }
    },
    uploadLoanTape: (tape, file, onProgress) =>
      new Promise<void>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('PUT', new URL(tape.uploadPath, gatewayUrl).toString());
        const current = token();
        if (current !== null) xhr.setRequestHeader('Authorization', `Bearer ${current}`);
        xhr.setRequestHeader('Content-Type', 'text/csv');
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable) onProgress?.(e.loaded / e.total);
        };
        xhr.onload = () => {
          if (xhr.status === 202) resolve();
          else
            reject(
              new HttpError(UPLOAD_MESSAGES[xhr.status] ?? 'tranche.loan_tapes.upload_failed', xhr.status),
            );
        };
        xhr.onerror = () => reject(new HttpError('tranche.loan_tapes.upload_failed', 0));
        xhr.send(file);
      }),
  };
};
