import { BigIntType, Collection, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, OneToMany, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { Tranche } from './tranche.entity.js';

export enum DealStatus {
  DRAFT = 'DRAFT',
  STRUCTURED = 'STRUCTURED',
  ISSUED = 'ISSUED',
  CLOSED = 'CLOSED',
}

export enum AssetClass {
  RMBS = 'RMBS',
  CMBS = 'CMBS',
  AUTO = 'AUTO',
  CONSUMER = 'CONSUMER',
  OTHER = 'OTHER',
}

registerEnumType(DealStatus, { name: 'DealStatus', description: 'Where a deal is in its lifecycle.' });
registerEnumType(AssetClass, { name: 'AssetClass', description: 'The collateral behind a deal.' });

/** A securitisation: a pool of assets financed by tranches. Owned by one tenant. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A securitisation deal: a collateral pool financed by tranches.' })
@Entity({ tableName: 'deal' })
@Unique({ properties: ['tenantId', 'name'] })
@Index({ properties: ['tenantId'] })
export class Deal extends TenantScopedEntity {
  [OptionalProps]?: 'status' | 'createdAt' | 'updatedAt' | 'closingDate' | 'waterfallRules' | 'collateral';

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => AssetClass)
  @Enum({ items: () => AssetClass, nativeEnumName: 'asset_class' })
  assetClass!: AssetClass;

  @Field(() => DealStatus)
  @Enum({ items: () => DealStatus, nativeEnumName: 'deal_status' })
  status: DealStatus = DealStatus.DRAFT;

  @Field({ description: 'ISO 4217 currency code of the notes.' })
  @Property({ type: 'text', length: 3 })
  currency!: string;

  @Field(() => String, { nullable: true, description: 'Closing date, YYYY-MM-DD.' })
  @Property({ type: 'date', nullable: true })
  closingDate: string | null = null;

  @Field(() => BigIntScalar, { description: 'Sum of the tranches’ original balances, minor units.' })
  @Property({ type: new BigIntType('bigint') })
  originalBalance!: bigint;

  /** Waterfall rule document (JSON validated by the engine); lazy: read through a batched loader. */
  @Property({ type: 'text', nullable: true, lazy: true })
  waterfallRules: string | null = null;

  /** Collateral model (JSON: loans or representative lines); lazy like the rules. */
  @Property({ type: 'text', nullable: true, lazy: true })
  collateral: string | null = null;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @OneToMany(() => Tranche, (t) => t.deal, { orphanRemoval: true })
  tranches = new Collection<Tranche>(this);
}
