import type { Rel } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Investor } from './investor.entity.js';

/** An investor's registered interest in a deal (the deal lives in the deals subgraph). */
@Entity({ tableName: 'deal_interest' })
@Unique({ properties: ['investor', 'dealId'] })
export class DealInterest extends TenantScopedEntity {
  @ManyToOne(() => Investor, { deleteRule: 'cascade' })
  investor!: Rel<Investor>;

  @Index()
  @Property({ type: 'uuid' })
  dealId!: string;
}
