/** The GraphQL documents of the governance pages: change requests and kill switches. */
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
    status
    requestedBy
    createdAt
    decidedAt
    expiresAt
    executedAt
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
    deactivationRequestId
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
