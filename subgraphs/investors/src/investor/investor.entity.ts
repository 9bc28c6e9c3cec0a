import { Collection, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, OneToMany, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { DealInterest } from './deal-interest.entity.js';

export enum InvestorKind {
  INDIVIDUAL = 'INDIVIDUAL',
  ENTITY = 'ENTITY',
}
export enum KycStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
export enum SanctionsStatus {
  /** Not screened yet. */
  NOT_SCREENED = 'NOT_SCREENED',
  CLEAR = 'CLEAR',
  /** A potential match on the sanctions list: onboarding is blocked pending a compliance review. */
  BLOCKED = 'BLOCKED',
}
registerEnumType(InvestorKind, { name: 'InvestorKind' });
registerEnumType(SanctionsStatus, {
  name: 'SanctionsStatus',
  description: 'The investor against the sanctions list (OFAC SDN).',
});
registerEnumType(KycStatus, { name: 'KycStatus', description: 'Outcome of KYC/AML review.' });

/** A prospective or actual holder of tranche tokens, onboarded by compliance. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An investor onboarded by compliance.' })
@Entity({ tableName: 'investor' })
@Index({ properties: ['tenantId'] })
export class Investor extends TenantScopedEntity {
  [OptionalProps]?: 'kycStatus' | 'createdAt' | 'walletAddress' | 'sanctionsStatus';

  @Field()
  @Property({ type: 'text' })
  legalName!: string;

  @Field(() => InvestorKind)
  @Enum({ items: () => InvestorKind, nativeEnumName: 'investor_kind' })
  kind!: InvestorKind;

  @Field({ description: 'ISO 3166-1 alpha-2 country of residence or incorporation.' })
  @Property({ type: 'text', length: 2 })
  jurisdiction!: string;

  @Field(() => KycStatus)
  @Enum({ items: () => KycStatus, nativeEnumName: 'kyc_status' })
  kycStatus: KycStatus = KycStatus.PENDING;

  @Field(() => SanctionsStatus)
  @Enum({ items: () => SanctionsStatus, nativeEnumName: 'sanctions_status' })
  sanctionsStatus: SanctionsStatus = SanctionsStatus.NOT_SCREENED;

  @Field(() => String, { nullable: true, description: 'Verified wallet (EIP-55), once proven.' })
  @Property({ type: 'text', nullable: true })
  walletAddress: string | null = null;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @OneToMany(() => DealInterest, (i) => i.investor, { orphanRemoval: true })
  interests = new Collection<DealInterest>(this);
}
