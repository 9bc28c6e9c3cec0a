/** The path of the public verification page (no account needed), outside the hash routes. */
export const PUBLIC_VERIFY_PATH = '/verify';

/** The back office's route of the verification page (AUDITOR, COMPLIANCE, ADMIN). */
export const VERIFY_ROUTE = '/verify';
