/**
 * The GraphQL documents the back office sends to the gateway. Written by hand against the public
 * API (no introspection); the list query asks for fewer fields than the single-deal query.
 */
import { gql } from '@apollo/client';

const DEAL_LIST_FIELDS = gql`
  fragment DealListFields on Deal {
    id
    name
    assetClass
    status
    currency
    closingDate
    originalBalance
    investorCount
    createdAt
    updatedAt
  }
`;

const DEAL_FIELDS = gql`
  fragment DealFields on Deal {
    ...DealListFields
    tranches {
      id
      dealId
      name
      seniority
      originalBalance
      couponBps
    }
  }
  ${DEAL_LIST_FIELDS}
`;

export const DEALS_QUERY = gql`
  query Deals($filter: DealFilter, $sort: DealSort, $page: PageInput) {
    deals(filter: $filter, sort: $sort, page: $page) {
      total
      items {
        ...DealListFields
      }
    }
  }
  ${DEAL_LIST_FIELDS}
`;

export const DEAL_QUERY = gql`
  query Deal($id: ID!) {
    deal(id: $id) {
      ...DealFields
    }
  }
  ${DEAL_FIELDS}
`;

export const CREATE_DEAL = gql`
  mutation CreateDeal($input: CreateDealInput!) {
    createDeal(input: $input) {
      ...DealFields
    }
  }
  ${DEAL_FIELDS}
`;

export const UPDATE_DEAL = gql`
  mutation UpdateDeal($id: ID!, $input: UpdateDealInput!) {
    updateDeal(id: $id, input: $input) {
      ...DealFields
    }
  }
  ${DEAL_FIELDS}
`;

export const AUDIT_EVENTS_QUERY = gql`
  query AuditEvents($filter: AuditEventFilter, $page: PageInput) {
    auditEvents(filter: $filter, page: $page) {
      total
      items {
        id
        seq
        actor
        action
        aggregateType
        aggregateId
        payload
        occurredAt
        hash
        prevHash
      }
    }
  }
`;
