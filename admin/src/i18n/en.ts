/**
 * English messages of the back office, merged over react-admin's own (ra-language-english).
 * Field labels come from `resources.<resource>.fields.<source>`.
 */
import englishMessages from 'ra-language-english';

const tranche = {
  app: {
    title: 'Tranche back office',
    config_error: 'The back office could not load its configuration: %{error}',
  },
  auth: {
    email: 'Email',
    invalid_credentials: 'Wrong email or password.',
    issuer_unavailable: 'The sign-in service is unavailable. Try again in a moment.',
    bad_token: 'The sign-in service returned a token the back office cannot read.',
    session_expired: 'Your session has expired. Please sign in again.',
  },
  errors: {
    unauthenticated: 'You are not signed in.',
    forbidden: 'Your role does not allow this action.',
    invalid_input: 'Some fields are invalid. See the messages on the form.',
    delete_not_supported: 'Deals cannot be deleted. Close the deal instead.',
    unsupported: 'This action is not available.',
    unknown_resource: 'Unknown resource.',
    bad_response: 'The server returned an unexpected response.',
  },
  validation: {
    amount_format: 'Enter an amount such as 1,250,000.00',
    amount_decimals: 'Too many decimals for this currency',
    currency: 'Use a three-letter ISO 4217 code, e.g. EUR',
    integer: 'Enter a whole number',
    tranches_required: 'Add at least one tranche',
  },
  deals: {
    tabs: { summary: 'Summary', tranches: 'Tranches', audit: 'Audit trail' },
    balance_help: 'In major units of the deal currency, e.g. 250,000,000.00',
    coupon_help: 'Basis points: 100 bps = 1%',
    no_tranches: 'No tranches',
    close_selected: 'Close selected',
  },
  audit: {
    filter_hint: 'Newest first',
  },
  status: { DRAFT: 'Draft', STRUCTURED: 'Structured', ISSUED: 'Issued', CLOSED: 'Closed' },
  asset_class: { RMBS: 'RMBS', CMBS: 'CMBS', AUTO: 'Auto loans', CONSUMER: 'Consumer loans', OTHER: 'Other' },
};

export const en = {
  ...englishMessages,
  ra: {
    ...englishMessages.ra,
    auth: { ...englishMessages.ra.auth, username: tranche.auth.email },
  },
  tranche,
  resources: {
    deals: {
      name: 'Deal |||| Deals',
      fields: {
        id: 'Id',
        name: 'Name',
        assetClass: 'Asset class',
        status: 'Status',
        currency: 'Currency',
        closingDate: 'Closing date',
        originalBalance: 'Original balance',
        investorCount: 'Investors',
        createdAt: 'Created',
        updatedAt: 'Updated',
        tranches: 'Tranches',
        q: 'Search',
        'tranches.name': 'Tranche name',
        'tranches.seniority': 'Seniority',
        'tranches.originalBalance': 'Original balance',
        'tranches.couponBps': 'Coupon (bps)',
      },
    },
    auditEvents: {
      name: 'Audit event |||| Audit events',
      fields: {
        id: 'Id',
        seq: 'Seq',
        actor: 'Actor',
        action: 'Action',
        aggregateType: 'Aggregate type',
        aggregateId: 'Aggregate id',
        payload: 'Payload',
        occurredAt: 'Occurred at',
        hash: 'Hash',
        prevHash: 'Previous hash',
      },
    },
  },
};
