import { STAFF_ROLES, TenantService, TOPOLOGY, isUuid, type Role } from '@tranche/platform';

/** A wallet's balance of one tranche token (see the GraphQL `Holding`). */
export interface HoldingRecord {
  trancheId: string;
  dealId: string;
  token: string;
  chainId: number;
  wallet: string;
  investorId: string | null;
  investorName: string | null;
  balance: bigint;
  share: number;
}

/** Who may read cap tables and any investor's holdings: staff. Investors read their own portfolio. */
export const HOLDING_READERS: readonly Role[] = STAFF_ROLES;

const ZERO = '0x0000000000000000000000000000000000000000';

interface HoldingRow {
  tranche_id: string;
  deal_id: string;
  token: string;
  chain_id: number;
  wallet: string;
  investor_id: string | null;
  legal_name: string | null;
  balance: string;
  supply: string;
}

/**
 * Holdings from the chain: each wallet's balance of each tranche token is the sum of the token's
 * indexed `Transfer`s (in minus out), joined to the investor whose proven wallet it is. Tenant-scoped
 * like every read.
 */
export class HoldingService extends TenantService {
  /** The cap table of each tranche: non-zero balances, largest first. */
  async capTables(trancheIds: readonly string[]): Promise<HoldingRecord[][]> {
    const rows = await this.balances('b.tranche_id', trancheIds.filter(isUuid));
    return trancheIds.map((id) => rows.filter((h) => h.trancheId === id));
  }

  /** Each investor's holdings across tranches (by their proven wallets). */
  async ofInvestors(investorIds: readonly string[]): Promise<HoldingRecord[][]> {
    const rows = await this.balances('i.id', investorIds.filter(isUuid));
    return investorIds.map((id) => rows.filter((h) => h.investorId === id));
  }

  /** Non-zero balances whose `column` (a tranche or an investor id) is one of `keys`. */
  private async balances(column: 'b.tranche_id' | 'i.id', keys: string[]): Promise<HoldingRecord[]> {
    if (!keys.length) return [];
    const schema = this.schema;
    const rows = await this.em.getConnection().execute<HoldingRow[]>(
      `with moves as (
         select tranche_id, token, chain_id, to_address as wallet, amount from "${schema}".token_transfer where tenant_id = ?
         union all
         select tranche_id, token, chain_id, from_address, -amount from "${schema}".token_transfer where tenant_id = ?
       ), balances as (
         select tranche_id, token, chain_id, wallet, sum(amount) as balance
           from moves where wallet <> ? group by 1, 2, 3, 4 having sum(amount) <> 0
       ), supplies as (
         -- the tranche's tokens in circulation, over every holder (before any filter below)
         select tranche_id, sum(balance) as supply from balances group by 1
       )
       select b.tranche_id, p.deal_id, b.token, b.chain_id, b.wallet, i.id as investor_id, i.legal_name,
              b.balance::text as balance, s.supply::text as supply
         from balances b
         join supplies s on s.tranche_id = b.tranche_id
         join "${TOPOLOGY.subgraphs.deals.dbSchema}".published_tranche p on p.tranche_id = b.tranche_id and p.tenant_id = ?
         left join "${schema}".investor i on i.tenant_id = ? and lower(i.wallet_address) = lower(b.wallet)
        where ${column} = any(string_to_array(?, ',')::uuid[])
        order by b.tranche_id, b.balance desc, b.wallet`,
      [this.tenantId, this.tenantId, ZERO, this.tenantId, this.tenantId, keys.join(',')],
    );
    return rows.map((r) => ({
      trancheId: r.tranche_id,
      dealId: r.deal_id,
      token: r.token,
      chainId: r.chain_id,
      wallet: r.wallet,
      investorId: r.investor_id,
      investorName: r.legal_name,
      balance: BigInt(r.balance),
      share: Number((BigInt(r.balance) * 1_000_000n) / (BigInt(r.supply) || 1n)) / 1_000_000,
    }));
  }
}
