/**
 * The structuring page's calls: a deal's projection under one scenario (every class's cash flows,
 * for the charts and the export) and under a grid of scenarios (balances only, for the decrement
 * tables and the side-by-side comparison), from the distributions subgraph's `Deal.projection`
 * and `Deal.projectionGrid`. Not cached: a projection is cheap to ask for again and the arranger
 * expects the deal's current structure.
 */
import { gql, type ApolloClient } from '@apollo/client';
import type { DataProvider } from 'ra-core';
import { HttpError } from 'ra-core';
import { normalizeError } from '../providers/errors';
import type { Projection, toScenarioInput } from './structuring';

type ScenarioInput = ReturnType<typeof toScenarioInput>;

const PROJECTION = gql`
  query DealProjection($id: ID!, $scenario: ScenarioInput!) {
    deal(id: $id) {
      id
      projection(scenario: $scenario) {
        scenarioName
        poolWal
        periods
        classes {
          classId
          originalBalance
          wal
          principalWindowFirst
          principalWindowLast
          cashFlows {
            period
            paymentDate
            beginBalance
            interestPaid
            principalPaid
            writedown
            endBalance
          }
        }
      }
    }
  }
`;

const PROJECTION_GRID = gql`
  query DealProjectionGrid($id: ID!, $scenarios: [ScenarioInput!]!) {
    deal(id: $id) {
      id
      projectionGrid(scenarios: $scenarios) {
        scenarioName
        poolWal
        periods
        classes {
          classId
          originalBalance
          wal
          principalWindowFirst
          principalWindowLast
          cashFlows {
            period
            paymentDate
            endBalance
          }
        }
      }
    }
  }
`;

export interface StructuringCalls {
  dealProjection(dealId: string, scenario: ScenarioInput): Promise<Projection>;
  dealProjectionGrid(dealId: string, scenarios: ScenarioInput[]): Promise<Projection[]>;
}

type DealAnswer<K extends string, T> = { deal: ({ id: string } & Record<K, T | null>) | null };

const missing = () => new HttpError('tranche.structuring.no_projection', 404);

/** Adds the structuring calls to `dataProvider`, on the app's Apollo client. */
export const withStructuring = <D extends DataProvider>(
  dataProvider: D,
  client: ApolloClient<unknown>,
): D & StructuringCalls => ({
  ...dataProvider,
  dealProjection: async (dealId, scenario) => {
    try {
      const { data } = await client.query<DealAnswer<'projection', Projection>>({
        query: PROJECTION,
        variables: { id: dealId, scenario },
        fetchPolicy: 'no-cache',
      });
      const projection = data.deal?.projection;
      if (!projection) throw missing();
      return projection;
    } catch (error) {
      throw error instanceof HttpError ? error : normalizeError(error);
    }
  },
  dealProjectionGrid: async (dealId, scenarios) => {
    try {
      const { data } = await client.query<DealAnswer<'projectionGrid', Projection[]>>({
        query: PROJECTION_GRID,
        variables: { id: dealId, scenarios },
        fetchPolicy: 'no-cache',
      });
      const grid = data.deal?.projectionGrid;
      if (!grid) throw missing();
      return grid;
    } catch (error) {
      throw error instanceof HttpError ? error : normalizeError(error);
    }
  },
});
