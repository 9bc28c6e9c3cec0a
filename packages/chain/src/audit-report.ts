// Auditors' signed verification results ("report attestations") in AuditReportRegistry: the
// EIP-712 domain and type the auditor's wallet signs (shared by the verification page, the
// platform and the contract), recovering the signer off-chain, and recording a signed report as
// one keyed TxSender operation (the platform relays it; OPERATOR_ROLE).
import { getAddress, isError, TypedDataEncoder, verifyTypedData, type TypedDataDomain } from 'ethers';
import { AuditReportRegistry__factory } from './generated/platform/index.js';
import type { TxSender } from './tx-sender.js';

/** The EIP-712 type of a report, as AuditReportRegistry's REPORT_TYPEHASH declares it. */
export const AUDIT_REPORT_TYPES = {
  AuditReport: [
    { name: 'dealId', type: 'bytes32' },
    { name: 'bundleSha256', type: 'bytes32' },
    { name: 'resultDigest', type: 'bytes32' },
    { name: 'verified', type: 'bool' },
    { name: 'verifiedAt', type: 'uint64' },
  ],
};

/** What an auditor signs: the deal, the bundle verified, the result's digest and the verdict. */
export interface AuditReportMessage {
  /** bytes32 of the deal's left-padded UUID. */
  dealId: string;
  /** `0x` + SHA-256 of the bundle archive. */
  bundleSha256: string;
  /** `0x` + SHA-256 of the canonical JSON of the checks. */
  resultDigest: string;
  verified: boolean;
  /** Unix seconds. */
  verifiedAt: number;
}

/** AuditReportRegistry's EIP-712 domain on `chainId` at `registry`. */
export function auditReportDomain(chainId: number | bigint, registry: string): TypedDataDomain {
  return { name: 'Tranche Audit Reports', version: '1', chainId, verifyingContract: getAddress(registry) };
}

/** The EIP-712 digest of `report` (what AuditReportRegistry's `digestOf` returns). */
export function auditReportDigest(domain: TypedDataDomain, report: AuditReportMessage): string {
  return TypedDataEncoder.hash(domain, AUDIT_REPORT_TYPES, report);
}

/** The address that signed `report` with `signature`; throws on a malformed signature. */
export function auditReportSigner(
  domain: TypedDataDomain,
  report: AuditReportMessage,
  signature: string,
): string {
  return verifyTypedData(domain, AUDIT_REPORT_TYPES, report, signature);
}

export interface RecordAuditReportResult {
  txHash: string;
  blockNumber: number;
  /** The report's index among the deal's recorded reports. */
  index: number;
}

/**
 * Records a signed report in the AuditReportRegistry at `registry` as ONE TxSender operation
 * keyed `idempotencyKey` (a re-run sends nothing twice). The sender's key needs OPERATOR_ROLE.
 * When the contract refuses (paused, already recorded, a signature it does not accept) nothing is
 * sent and this throws naming the contract's error.
 */
export async function recordAuditReport(
  sender: TxSender,
  registry: string,
  report: AuditReportMessage,
  signature: string,
  idempotencyKey: string,
): Promise<RecordAuditReportResult> {
  const to = getAddress(registry);
  const iface = AuditReportRegistry__factory.createInterface();
  const data = iface.encodeFunctionData('record', [report, signature]);
  let sent;
  try {
    sent = await sender.send({ idempotencyKey, to, data });
  } catch (error) {
    if (isError(error, 'CALL_EXCEPTION') && error.data) {
      const parsed = iface.parseError(error.data);
      if (parsed)
        throw new Error(
          `AuditReportRegistry refused the report: ${parsed.name}(${parsed.args.map(String).join(', ')})`,
          { cause: error },
        );
    }
    throw error;
  }
  for (const log of sent.receipt.logs) {
    if (getAddress(log.address) !== to) continue;
    const parsed = iface.parseLog(log);
    if (parsed?.name !== 'AuditReportRecorded') continue;
    return {
      txHash: sent.txHash,
      blockNumber: sent.receipt.blockNumber,
      index: Number(parsed.args.index as bigint),
    };
  }
  throw new Error(`recordAuditReport ${idempotencyKey}: transaction ${sent.txHash} recorded no report`);
}
