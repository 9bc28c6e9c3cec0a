/**
 * Signing a verification result with the auditor's own wallet, through the browser's EIP-1193
 * provider (`window.ethereum`: MetaMask, Rabby, a hardware wallet's bridge): the wallet shows the
 * auditor exactly what they sign (EIP-712 typed data) and the key never leaves it.
 */
import { AUDIT_REPORT_TYPES, type AuditReportMessage } from '@tranche/verify';
import type { AuditReportDomain } from './reportProvider';

interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** The browser's wallet, or null when it has none. */
export const browserWallet = (): Eip1193Provider | null =>
  (globalThis as { ethereum?: Eip1193Provider }).ethereum ?? null;

/** Asks the wallet for the auditor's account and their EIP-712 signature of `message`. */
export async function signReport(
  wallet: Eip1193Provider,
  domain: AuditReportDomain,
  message: AuditReportMessage,
): Promise<{ auditor: string; signature: string }> {
  const accounts = (await wallet.request({ method: 'eth_requestAccounts' })) as string[];
  const auditor = accounts[0];
  if (!auditor) throw new Error('the wallet gave no account');
  const typedData = {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      ...AUDIT_REPORT_TYPES,
    },
    primaryType: 'AuditReport',
    domain,
    message,
  };
  const signature = (await wallet.request({
    method: 'eth_signTypedData_v4',
    params: [auditor, JSON.stringify(typedData)],
  })) as string;
  return { auditor, signature };
}
