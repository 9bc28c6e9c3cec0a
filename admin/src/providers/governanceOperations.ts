/** The GraphQL documents of the governance pages: change requests, kill switches, break-glass grants. */
import { gql } from '@apollo/client';

const CHANGE_REQUEST_FIELDS = gql`
  fragment ChangeRequestFields on ChangeRequest {
    id
    type
    dealId
    title
    rationale
    payload
    payloadHash
    amount
    riskLevel
    policyVersion
    status
    requestedBy
    createdAt
    decidedAt
    expiresAt
    executedAt
    executedBy
    failureReason
    approvalCount
    viewerCanApprove
    viewerCannotApproveReason
    votes {
      actor
      roles
      vote
      comment
      createdAt
    }
  }
`;

export const CHANGE_REQUESTS_QUERY = gql`
  query ChangeRequests($filter: ChangeRequestFilter, $page: PageInput) {
    changeRequests(filter: $filter, page: $page) {
      total
      items {
        ...ChangeRequestFields
      }
    }
  }
  ${CHANGE_REQUEST_FIELDS}
`;

export const CHANGE_REQUEST_QUERY = gql`
  query ChangeRequest($id: ID!) {
    changeRequest(id: $id) {
      ...ChangeRequestFields
    }
  }
  ${CHANGE_REQUEST_FIELDS}
`;

export const REQUEST_CHANGE = gql`
  mutation RequestChange($input: RequestChangeInput!) {
    requestChange(input: $input) {
      ...ChangeRequestFields
    }
  }
  ${CHANGE_REQUEST_FIELDS}
`;

export const APPROVE_CHANGE = gql`
  mutation ApproveChange($id: ID!, $comment: String) {
    approveChange(id: $id, comment: $comment) {
      ...ChangeRequestFields
    }
  }
  ${CHANGE_REQUEST_FIELDS}
`;

export const REJECT_CHANGE = gql`
  mutation RejectChange($id: ID!, $reason: String!) {
    rejectChange(id: $id, reason: $reason) {
      ...ChangeRequestFields
    }
  }
  ${CHANGE_REQUEST_FIELDS}
`;

export const CANCEL_CHANGE = gql`
  mutation CancelChange($id: ID!) {
    cancelChange(id: $id) {
      ...ChangeRequestFields
    }
  }
  ${CHANGE_REQUEST_FIELDS}
`;

const KILL_SWITCH_FIELDS = gql`
  fragment KillSwitchFields on KillSwitch {
    id
    scope
    target
    reason
    active
    activatedBy
    activatedAt
    deactivatedAt
    deactivatedBy
    deactivationRequestId
    onChainStatus
  }
`;

export const KILL_SWITCHES_QUERY = gql`
  query KillSwitches($activeOnly: Boolean!, $page: PageInput) {
    killSwitches(activeOnly: $activeOnly, page: $page) {
      total
      items {
        ...KillSwitchFields
      }
    }
  }
  ${KILL_SWITCH_FIELDS}
`;

export const ACTIVATE_KILL_SWITCH = gql`
  mutation ActivateKillSwitch($input: ActivateKillSwitchInput!) {
    activateKillSwitch(input: $input) {
      ...KillSwitchFields
    }
  }
  ${KILL_SWITCH_FIELDS}
`;

const BREAK_GLASS_FIELDS = gql`
  fragment BreakGlassFields on BreakGlassGrant {
    id
    grantee
    capability
    reason
    grantedBy
    selfGranted
    grantedAt
    expiresAt
    reviewedBy
    reviewedAt
    reviewComment
    revokedAt
  }
`;

export const BREAK_GLASS_GRANTS_QUERY = gql`
  query BreakGlassGrants($activeOnly: Boolean!, $page: PageInput) {
    breakGlassGrants(activeOnly: $activeOnly, page: $page) {
      total
      items {
        ...BreakGlassFields
      }
    }
  }
  ${BREAK_GLASS_FIELDS}
`;

export const GRANT_BREAK_GLASS = gql`
  mutation GrantBreakGlass($input: GrantBreakGlassInput!) {
    grantBreakGlass(input: $input) {
      ...BreakGlassFields
    }
  }
  ${BREAK_GLASS_FIELDS}
`;

export const REVIEW_BREAK_GLASS = gql`
  mutation ReviewBreakGlass($id: ID!, $comment: String!) {
    reviewBreakGlass(id: $id, comment: $comment) {
      ...BreakGlassFields
    }
  }
  ${BREAK_GLASS_FIELDS}
`;

export const GOVERNANCE_POLICY_QUERY = gql`
  query GovernancePolicy {
    governancePolicy {
      version
      document
    }
  }
`;
