import { DealSortField, SortOrder, type DealSort } from './deal.input.js';
import type { DealOrder } from './deal.service.js';

const SORT_COLUMNS: Record<DealSortField, DealOrder['column']> = {
  [DealSortField.NAME]: 'name',
  [DealSortField.STATUS]: 'status',
  [DealSortField.CLOSING_DATE]: 'closingDate',
  [DealSortField.CREATED_AT]: 'createdAt',
  [DealSortField.ORIGINAL_BALANCE]: 'originalBalance',
};

/** The API's sort (a field and a direction) as the service's order; default newest first. */
export function toDealOrder(sort?: DealSort | null): DealOrder {
  return {
    column: SORT_COLUMNS[sort?.field ?? DealSortField.CREATED_AT],
    direction: (sort?.order ?? SortOrder.DESC) === SortOrder.ASC ? 'asc' : 'desc',
  };
}
