// The digest of a verification result an auditor signs (AuditReportRegistry's `resultDigest`):
// SHA-256 of the canonical JSON of the checks, so the signed verdict names each check and its
// reason, and anyone holding the same bundle can recompute it by verifying again.
import { canonicalJson } from '@tranche/platform/canonical-json';
import { sha256Hex } from './bytes.js';
import type { BundleCheck } from './verify-bundle.js';

/** `0x` + SHA-256 of the canonical JSON of `checks` (status, section, name, detail of each). */
export function resultDigestOf(checks: readonly BundleCheck[]): string {
  return `0x${sha256Hex(
    canonicalJson(checks.map(({ status, section, name, detail }) => ({ status, section, name, detail }))),
  )}`;
}

/** What an auditor signs for a result (AuditReportRegistry's EIP-712 type), for the page. */
export { AUDIT_REPORT_TYPES, type AuditReportMessage } from '@tranche/chain/browser';
