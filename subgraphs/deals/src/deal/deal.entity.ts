import { BigIntType, Collection, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, OneToMany, Property, Unique } from '@mikro-orm/decorators/legacy';
import { BigIntScalar, TenantScopedEntity } from '@tranche/platform';
import { Directive, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DEFAULT_COVENANTS, type StoredCovenants } from './covenants.js';
import { Tranche } from './tranche.entity.js';

/**
 * The plan's lifecycle: proposed and reworked (PROPOSED), under review by a change request
 * (IN_REVIEW), approved for issuance (APPROVED), tokens live on its chain (DEPLOYED), open to
 * investors and paying (ACTIVE), transfers locked (LOCKED), paid off (MATURED); TERMINATED from any
 * state through a CRITICAL change request.
 */
export enum DealStatus {
  PROPOSED = 'PROPOSED',
  IN_REVIEW = 'IN_REVIEW',
  APPROVED = 'APPROVED',
  DEPLOYED = 'DEPLOYED',
  ACTIVE = 'ACTIVE',
  LOCKED = 'LOCKED',
  MATURED = 'MATURED',
  TERMINATED = 'TERMINATED',
}

/** The securities law exemption or regime the notes are offered under. */
export enum RegulatoryFramework {
  REG_D_506B = 'REG_D_506B',
  REG_D_506C = 'REG_D_506C',
  REG_S = 'REG_S',
  RULE_144A = 'RULE_144A',
  EU_PROSPECTUS = 'EU_PROSPECTUS',
  OTHER = 'OTHER',
}

export enum AssetClass {
  RMBS = 'RMBS',
  CMBS = 'CMBS',
  AUTO = 'AUTO',
  CONSUMER = 'CONSUMER',
  OTHER = 'OTHER',
}

registerEnumType(DealStatus, { name: 'DealStatus', description: 'Where a deal is in its lifecycle.' });
registerEnumType(RegulatoryFramework, {
  name: 'RegulatoryFramework',
  description: 'REG_D_506B/506C: US private placement; REG_S: offshore; RULE_144A: QIBs; EU_PROSPECTUS.',
});
registerEnumType(AssetClass, { name: 'AssetClass', description: 'The collateral behind a deal.' });

@ObjectType({
  description:
    'The thresholds the deal’s loan pool must meet, proven by pool attestations and registered in DealRegistry.',
})
export class DealCovenants {
  @Field(() => Int, {
    description: 'Max share of the pool’s current balance, bps, of loans at least `delinquencyDays` late.',
  })
  maxDelinquencyBps!: number;

  @Field(() => Int, { description: 'The delinquency bucket, days (60: loans 60+ days delinquent).' })
  delinquencyDays!: number;

  @Field(() => Int, { description: 'Max weighted-average LTV (by current balance), bps.' })
  maxWaLtvBps!: number;

  @Field(() => BigIntScalar, { description: 'Min total current balance of the pool, minor units.' })
  minBalance!: bigint;
}

/** A securitisation: a pool of assets financed by tranches. Owned by one tenant. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A securitisation deal: a collateral pool financed by tranches.' })
@Entity({ tableName: 'deal' })
@Unique({ properties: ['tenantId', 'name'] })
@Index({ properties: ['tenantId'] })
export class Deal extends TenantScopedEntity {
  [OptionalProps]?:
    | 'status'
    | 'createdAt'
    | 'updatedAt'
    | 'closingDate'
    | 'waterfallRules'
    | 'collateral'
    | 'spvName'
    | 'spvJurisdiction'
    | 'regulatoryFramework'
    | 'accreditedOnly'
    | 'allowedCountries'
    | 'minimumInvestment'
    | 'lockUpDays'
    | 'chainId'
    | 'covenants'
    | 'reviewChangeRequestId'
    | 'terminationChangeRequestId';

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => AssetClass)
  @Enum({ items: () => AssetClass, nativeEnumName: 'asset_class' })
  assetClass!: AssetClass;

  @Field(() => DealStatus)
  @Enum({ items: () => DealStatus, nativeEnumName: 'deal_status' })
  status: DealStatus = DealStatus.PROPOSED;

  @Field({ description: 'ISO 4217 currency code of the notes.' })
  @Property({ type: 'text', length: 3 })
  currency!: string;

  @Field(() => String, { nullable: true, description: 'Closing date, YYYY-MM-DD.' })
  @Property({ type: 'date', nullable: true })
  closingDate: string | null = null;

  @Field(() => BigIntScalar, { description: 'Sum of the tranches’ original balances, minor units.' })
  @Property({ type: new BigIntType('bigint') })
  originalBalance!: bigint;

  @Field(() => String, { nullable: true, description: 'The issuer: the SPV’s legal name.' })
  @Property({ type: 'text', nullable: true })
  spvName: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'Where the SPV is organised: ISO 3166 country or subdivision, e.g. US-DE, IE, KY.',
  })
  @Property({ type: 'text', nullable: true })
  spvJurisdiction: string | null = null;

  @Field(() => RegulatoryFramework, { nullable: true })
  @Enum({ items: () => RegulatoryFramework, nativeEnumName: 'regulatory_framework', nullable: true })
  regulatoryFramework: RegulatoryFramework | null = null;

  @Field({ description: 'Only accredited investors (or QIBs / professional investors) may hold the notes.' })
  @Property({ type: 'boolean' })
  accreditedOnly: boolean = true;

  @Field(() => [String], {
    description: 'ISO 3166-1 alpha-2 countries whose residents may hold the notes; empty: none yet.',
  })
  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  allowedCountries: string[] = [];

  @Field(() => BigIntScalar, { nullable: true, description: 'Minimum investment, minor units.' })
  @Property({ type: new BigIntType('bigint'), nullable: true })
  minimumInvestment: bigint | null = null;

  @Field(() => Int, { description: 'Days after issuance before notes may be transferred (0: none).' })
  @Property({ type: 'integer' })
  lockUpDays: number = 0;

  @Field(() => Int, { nullable: true, description: 'The chain the deal’s tokens live on (chain id).' })
  @Property({ type: 'integer', nullable: true })
  chainId: number | null = null;

  /** The collateral covenants (see covenants.ts; `Deal.covenants` in the API). */
  @Property({ type: 'jsonb', defaultRaw: `'${JSON.stringify(DEFAULT_COVENANTS)}'` })
  covenants: StoredCovenants = { ...DEFAULT_COVENANTS };

  /** The change request reviewing the deal for issuance (the latest submission). */
  @Property({ type: 'uuid', nullable: true })
  reviewChangeRequestId: string | null = null;

  /** The CRITICAL change request terminating the deal, once one is asked for. */
  @Property({ type: 'uuid', nullable: true })
  terminationChangeRequestId: string | null = null;

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
