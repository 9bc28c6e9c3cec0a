/**
 * The GraphQL documents of the investor pages: investors and their credentials, sanctions
 * screening and review, wallet verification, expiring credentials, tranche cap tables and the
 * signed-in investor's portfolio. The list asks for the badge fields only; one investor also
 * brings its inquiries, on-chain identities and holdings.
 */
import { gql } from '@apollo/client';

const INVESTOR_LIST_FIELDS = gql`
  fragment InvestorListFields on Investor {
    id
    legalName
    kind
    jurisdiction
    kycStatus
    accreditationType
    accreditationExpiresAt
    sanctionsStatus
    createdAt
  }
`;

const HOLDING_FIELDS = gql`
  fragment HoldingFields on Holding {
    trancheId
    dealId
    token
    chainId
    wallet
    balance
    share
  }
`;

const INVESTOR_FIELDS = gql`
  fragment InvestorFields on Investor {
    ...InvestorListFields
    kycProvider
    kycVerifiedAt
    kycExpiresAt
    kycDocumentSha256
    accreditationProofSha256
    state
    taxResidencies
    portalSubject
    walletAddress
    onchainIdentities {
      chainId
      address
    }
    kycInquiries {
      id
      provider
      providerInquiryId
      hostedUrl
      status
      openedBy
      createdAt
      decidedAt
    }
    holdings {
      ...HoldingFields
    }
  }
  ${INVESTOR_LIST_FIELDS}
  ${HOLDING_FIELDS}
`;

export const INVESTORS_QUERY = gql`
  query Investors($page: PageInput) {
    investors(page: $page) {
      total
      items {
        ...InvestorListFields
      }
    }
  }
  ${INVESTOR_LIST_FIELDS}
`;

export const INVESTOR_QUERY = gql`
  query Investor($id: ID!) {
    investor(id: $id) {
      ...InvestorFields
    }
  }
  ${INVESTOR_FIELDS}
`;

export const CREATE_INVESTOR = gql`
  mutation CreateInvestor($input: CreateInvestorInput!) {
    createInvestor(input: $input) {
      ...InvestorListFields
    }
  }
  ${INVESTOR_LIST_FIELDS}
`;

export const UPDATE_INVESTOR_PROFILE = gql`
  mutation UpdateInvestorProfile($investorId: ID!, $input: InvestorProfileInput!) {
    updateInvestorProfile(investorId: $investorId, input: $input) {
      ...InvestorFields
    }
  }
  ${INVESTOR_FIELDS}
`;

export const RECORD_ACCREDITATION = gql`
  mutation RecordAccreditation($investorId: ID!, $input: AccreditationInput!) {
    recordAccreditation(investorId: $investorId, input: $input) {
      ...InvestorFields
    }
  }
  ${INVESTOR_FIELDS}
`;

export const START_KYC_INQUIRY = gql`
  mutation StartKycInquiry($investorId: ID!) {
    startKycInquiry(investorId: $investorId) {
      id
      investorId
      provider
      providerInquiryId
      hostedUrl
      status
      createdAt
    }
  }
`;

const SCREENING_FIELDS = gql`
  fragment ScreeningFields on SanctionsScreening {
    id
    investorId
    status
    name
    listSha256
    threshold
    screenedBy
    screenedAt
    matches {
      entNum
      name
      type
      programs
      kind
      score
    }
  }
`;

export const SANCTIONS_SCREENINGS_QUERY = gql`
  query SanctionsScreenings($investorId: ID!) {
    sanctionsScreenings(investorId: $investorId) {
      ...ScreeningFields
    }
  }
  ${SCREENING_FIELDS}
`;

export const SCREEN_INVESTOR = gql`
  mutation ScreenInvestor($id: ID!) {
    screenInvestor(id: $id) {
      ...ScreeningFields
    }
  }
  ${SCREENING_FIELDS}
`;

export const REVIEW_SANCTIONS_HIT = gql`
  mutation ReviewSanctionsHit($investorId: ID!, $falsePositive: Boolean!, $comment: String!) {
    reviewSanctionsHit(investorId: $investorId, falsePositive: $falsePositive, comment: $comment) {
      id
      sanctionsStatus
    }
  }
`;

export const VERIFY_INVESTOR = gql`
  mutation VerifyInvestor($address: String!) {
    verifyInvestor(address: $address) {
      address
      verified
      missing
      checks {
        name
        passed
        required
        detail
      }
    }
  }
`;

export const EXPIRING_CREDENTIALS_QUERY = gql`
  query ExpiringCredentials($days: Int) {
    expiringCredentials(days: $days) {
      credential
      expiresAt
      investor {
        id
        legalName
      }
    }
  }
`;

export const CAP_TABLES_QUERY = gql`
  query CapTables($dealId: ID!) {
    deal(id: $dealId) {
      id
      currency
      tranches {
        id
        name
        seniority
        capTable {
          ...HoldingFields
          investorId
          investorName
        }
      }
    }
  }
  ${HOLDING_FIELDS}
`;

export const PORTFOLIO_QUERY = gql`
  query Portfolio {
    portfolio {
      investorId
      legalName
      wallet
      positions {
        ...HoldingFields
        factor
        currentValue
        distributionsReceived
      }
    }
  }
  ${HOLDING_FIELDS}
`;
