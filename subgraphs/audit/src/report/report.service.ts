import {
  auditReportDigest,
  auditReportDomain,
  auditReportSigner,
  onChainDealId,
  readManifest,
  type AuditReportMessage,
} from '@tranche/chain';
import {
  actorOf,
  ConflictError,
  enqueueJob,
  isUuid,
  ServiceUnavailableError,
  TenantService,
  ValidationError,
  type Config,
  type Page,
  type PageRequest,
  type Role,
} from '@tranche/platform';
import { getAddress, JsonRpcProvider } from 'ethers';
import { AuditReport } from './audit-report.entity.js';

/** Who signs and submits verification results: auditors. */
export const REPORT_ATTESTERS: readonly Role[] = ['AUDITOR'];
/** Who reads them: the audit readers. */
export const REPORT_READERS: readonly Role[] = ['AUDITOR', 'COMPLIANCE', 'ADMIN'];
/** The queue task that records one report on-chain. */
export const RECORD_REPORT_TASK = 'audit:report';

/** Where reports are recorded: the chain and its AuditReportRegistry (the EIP-712 domain). */
export interface ReportRegistry {
  chainId: number;
  registry: string;
}

/** A verification result with its signature, as the auditor submits it. */
export interface ReportSubmission {
  dealId: string;
  bundleId?: string | null;
  bundleSha256: string;
  resultDigest: string;
  verified: boolean;
  checksPassed: number;
  checksFailed: number;
  verifiedAt: Date;
  auditor: string;
  signature: string;
}

/** Clock skew tolerated on `verifiedAt`. */
const SKEW_MS = 5 * 60_000;

const registries = new Map<string, Promise<ReportRegistry>>();

/**
 * The configured chain's AuditReportRegistry (read once per process from its deployment
 * manifest). Fails closed: no chain, no manifest or no registry in it is SERVICE_UNAVAILABLE.
 */
export function reportRegistryOf(config: Config): Promise<ReportRegistry> {
  const rpcUrl = config.CHAIN_RPC_URL;
  if (!rpcUrl)
    return Promise.reject(
      new ServiceUnavailableError('no chain is configured: reports cannot be recorded', { reason: 'chain' }),
    );
  const key = `${rpcUrl}|${config.CHAIN_MANIFEST_DIR}`;
  let found = registries.get(key);
  if (!found) {
    found = (async () => {
      const provider = new JsonRpcProvider(rpcUrl);
      try {
        const chainId = Number((await provider.getNetwork()).chainId);
        const manifest = await readManifest(config.CHAIN_MANIFEST_DIR, chainId);
        const registry = manifest?.contracts.auditReportRegistry?.address;
        if (!registry)
          throw new ServiceUnavailableError(
            `chain ${chainId} has no AuditReportRegistry in its deployment: redeploy the platform contracts`,
            { reason: 'chain' },
          );
        return { chainId, registry: getAddress(registry) };
      } finally {
        provider.destroy();
      }
    })();
    registries.set(key, found);
    found.catch(() => registries.delete(key));
  }
  return found;
}

/** The message an auditor signs for `submission` (AuditReportRegistry's AuditReport). */
export function reportMessage(submission: ReportSubmission): AuditReportMessage {
  return {
    dealId: onChainDealId(submission.dealId),
    bundleSha256: submission.bundleSha256.toLowerCase(),
    resultDigest: submission.resultDigest.toLowerCase(),
    verified: submission.verified,
    verifiedAt: Math.floor(submission.verifiedAt.getTime() / 1000),
  };
}

/** Auditors' signed verification results, scoped to the caller's tenant. */
export class ReportService extends TenantService {
  /** The tenant's reports (of one deal, when asked), newest first. */
  list(dealId?: string | null, page?: PageRequest | null): Promise<Page<AuditReport>> {
    const where = dealId ? { dealId: isUuid(dealId) ? dealId : '00000000-0000-0000-0000-000000000000' } : {};
    return this.findPage(AuditReport, where, { createdAt: 'desc' }, page);
  }

  /** A report, or null when unknown or another tenant's. */
  get(id: string): Promise<AuditReport | null> {
    return this.findOwned(AuditReport, id);
  }

  /** The reports of each deal, newest first, in one statement. */
  ofDeals(dealIds: readonly string[]): Promise<AuditReport[][]> {
    return this.findGrouped(AuditReport, 'dealId', dealIds, (r) => r.dealId, { createdAt: 'desc' });
  }

  /**
   * Records an auditor's signed verification result and queues its recording in
   * AuditReportRegistry, with its audit event, in one transaction. The signature must be the
   * submitted auditor wallet's EIP-712 signature of exactly this result for `registry`'s domain
   * (anything else changed, or another wallet, is refused before anything is stored).
   *
   * @throws ValidationError naming the field (a deal not in the tenant's audit trail, a verdict
   *   that contradicts the counts, a time in the future, a signature that is not the auditor's);
   *   ConflictError when this signed report was already submitted.
   */
  async attest(submission: ReportSubmission, registry: ReportRegistry): Promise<AuditReport> {
    const fields: Record<string, string> = {};
    if (!isUuid(submission.dealId)) fields.dealId = 'not a deal id';
    if (submission.verified !== (submission.checksFailed === 0))
      fields.verified = submission.verified
        ? 'a result with failed checks is not verified'
        : 'no check failed: the result is verified';
    if (submission.verifiedAt.getTime() > Date.now() + SKEW_MS)
      fields.verifiedAt = 'must not be in the future';
    if (Object.keys(fields).length) throw new ValidationError(fields);
    const [known] = await this.em.execute<{ found: number }[]>(
      `select 1 as found from "${this.schema}"."audit_event"
        where aggregate_type = 'Deal' and aggregate_id = ? and tenant_id = ? limit 1`,
      [submission.dealId, this.tenantId],
    );
    if (!known) throw new ValidationError({ dealId: 'no deal with this id in your tenant’s audit trail' });

    const domain = auditReportDomain(registry.chainId, registry.registry);
    const message = reportMessage(submission);
    let signer: string;
    try {
      signer = auditReportSigner(domain, message, submission.signature);
    } catch {
      throw new ValidationError({ signature: 'not a valid signature' });
    }
    const auditor = getAddress(submission.auditor);
    if (signer !== auditor)
      throw new ValidationError({
        signature: `not ${auditor}'s signature of this result (it recovers ${signer}): sign exactly what is submitted`,
      });
    const digest = auditReportDigest(domain, message);

    return this.em.transactional(async (tx) => {
      if (await tx.count(AuditReport, { digest }))
        throw new ConflictError('this signed report was already submitted');
      const report = tx.create(AuditReport, {
        tenantId: this.tenantId,
        dealId: submission.dealId,
        bundleId: submission.bundleId ?? null,
        bundleSha256: message.bundleSha256,
        resultDigest: message.resultDigest,
        verified: submission.verified,
        checksPassed: submission.checksPassed,
        checksFailed: submission.checksFailed,
        verifiedAt: submission.verifiedAt,
        auditor,
        signature: submission.signature,
        digest,
        chainId: registry.chainId,
        registry: registry.registry,
        createdBy: actorOf(this.principal),
      });
      await tx.flush();
      await enqueueJob(
        tx,
        RECORD_REPORT_TASK,
        { reportId: report.id },
        { jobKey: `${RECORD_REPORT_TASK}:${report.id}`, maxAttempts: 10 },
      );
      await this.audit(tx, {
        action: 'audit.report.attested',
        aggregateType: 'AuditReport',
        aggregateId: report.id,
        payload: {
          dealId: submission.dealId,
          bundleId: report.bundleId,
          auditor,
          digest,
          bundleSha256: report.bundleSha256,
          resultDigest: report.resultDigest,
          verified: report.verified,
          checksPassed: report.checksPassed,
          checksFailed: report.checksFailed,
          registry: registry.registry,
          chainId: registry.chainId,
        },
      });
      return report;
    });
  }
}
