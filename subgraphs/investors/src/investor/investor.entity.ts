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
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
  /** Verified once, past its expiry: the investor must be verified again. */
  EXPIRED = 'EXPIRED',
}
/** How an investor qualifies as accredited (Rule 501(a) of Regulation D, or a professional client). */
export enum AccreditationType {
  INCOME = 'INCOME',
  NET_WORTH = 'NET_WORTH',
  PROFESSIONAL = 'PROFESSIONAL',
  ENTITY = 'ENTITY',
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
registerEnumType(AccreditationType, {
  name: 'AccreditationType',
  description: 'The ground an investor is accredited on.',
});

/** A prospective or actual holder of tranche tokens, onboarded by compliance. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An investor onboarded by compliance.' })
@Entity({ tableName: 'investor' })
@Index({ properties: ['tenantId'] })
export class Investor extends TenantScopedEntity {
  [OptionalProps]?:
    | 'kycStatus'
    | 'createdAt'
    | 'walletAddress'
    | 'sanctionsStatus'
    | 'kycProvider'
    | 'kycVerifiedAt'
    | 'kycExpiresAt'
    | 'kycDocumentSha256'
    | 'accreditationType'
    | 'accreditationExpiresAt'
    | 'accreditationProofSha256'
    | 'state'
    | 'taxResidencies'
    | 'portalSubject'
    | 'onchainIdentities';

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

  @Field(() => String, { nullable: true, description: 'The KYC provider that verified the investor.' })
  @Property({ type: 'text', nullable: true })
  kycProvider: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  kycVerifiedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When the KYC verification must be renewed.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  kycExpiresAt: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'SHA-256 of the provider’s record of the documents checked (the documents stay with the provider).',
  })
  @Property({ type: 'text', nullable: true })
  kycDocumentSha256: string | null = null;

  @Field(() => AccreditationType, { nullable: true })
  @Enum({ items: () => AccreditationType, nativeEnumName: 'accreditation_type', nullable: true })
  accreditationType: AccreditationType | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  accreditationExpiresAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the accreditation evidence.' })
  @Property({ type: 'text', nullable: true })
  accreditationProofSha256: string | null = null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-2 subdivision, e.g. US-NY.' })
  @Property({ type: 'text', nullable: true })
  state: string | null = null;

  @Field(() => [String], { description: 'ISO 3166-1 alpha-2 countries of tax residence.' })
  @Property({ type: 'text[]', defaultRaw: `'{}'` })
  taxResidencies: string[] = [];

  @Field(() => String, {
    nullable: true,
    description: 'The portal user (OIDC subject) who is this investor: they see its portfolio.',
  })
  @Property({ type: 'text', nullable: true })
  portalSubject: string | null = null;

  /** The investor's ONCHAINID on each chain (chain id → address): one identity, every deal's claims. */
  @Property({ type: 'jsonb', defaultRaw: `'{}'` })
  onchainIdentities: Record<string, string> = {};

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
