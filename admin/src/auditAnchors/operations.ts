/** The GraphQL documents of the audit-anchors page: anchors, event proofs and audit bundles. */
import { gql } from '@apollo/client';

const ANCHOR_FIELDS = gql`
  fragment LedgerAnchorFields on LedgerAnchor {
    id
    status
    firstSeq
    lastSeq
    merkleRoot
    chainId
    contractAddress
    txHash
    blockNumber
    anchorIndex
    attempts
    error
    createdAt
    anchoredAt
  }
`;

export const AUDIT_ANCHORS_QUERY = gql`
  query AuditAnchors($page: PageInput) {
    auditAnchors(page: $page) {
      total
      items {
        ...LedgerAnchorFields
      }
    }
  }
  ${ANCHOR_FIELDS}
`;

export const AUDIT_ANCHOR_QUERY = gql`
  query AuditAnchor($id: ID!) {
    auditAnchor(id: $id) {
      ...LedgerAnchorFields
    }
  }
  ${ANCHOR_FIELDS}
`;

export const AUDIT_EVENT_PROOF_QUERY = gql`
  query AuditEventProof($id: ID!) {
    auditEventProof(id: $id) {
      ledgerId
      proof
      event {
        id
        seq
        hash
        action
        aggregateType
        aggregateId
        occurredAt
      }
      anchor {
        id
        firstSeq
        lastSeq
        merkleRoot
        txHash
        chainId
      }
    }
  }
`;

const BUNDLE_FIELDS = gql`
  fragment AuditBundleFields on AuditBundle {
    id
    dealId
    from
    to
    status
    progress
    processed
    eventCount
    anchoredCount
    sha256
    sizeBytes
    signer
    chainId
    error
    createdBy
    createdAt
    finishedAt
    downloadUrl
  }
`;

export const AUDIT_BUNDLES_QUERY = gql`
  query AuditBundles($dealId: ID, $page: PageInput) {
    auditBundles(dealId: $dealId, page: $page) {
      total
      items {
        ...AuditBundleFields
      }
    }
  }
  ${BUNDLE_FIELDS}
`;

export const AUDIT_BUNDLE_QUERY = gql`
  query AuditBundle($id: ID!) {
    auditBundle(id: $id) {
      ...AuditBundleFields
    }
  }
  ${BUNDLE_FIELDS}
`;

export const EXPORT_AUDIT_BUNDLE = gql`
  mutation ExportAuditBundle($dealId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    exportAuditBundle(dealId: $dealId, from: $from, to: $to) {
      ...AuditBundleFields
    }
  }
  ${BUNDLE_FIELDS}
`;
