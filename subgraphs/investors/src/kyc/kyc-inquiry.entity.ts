import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/** Where an inquiry stands, as the provider last told us. */
export enum KycInquiryStatus {
  /** Opened; the investor has not finished the hosted flow. */
  OPEN = 'OPEN',
  /** The investor finished; the provider's decision is pending. */
  COMPLETED = 'COMPLETED',
  APPROVED = 'APPROVED',
  DECLINED = 'DECLINED',
  /** The investor did not finish in time. */
  EXPIRED = 'EXPIRED',
}
registerEnumType(KycInquiryStatus, { name: 'KycInquiryStatus' });

/**
 * A KYC inquiry opened with the provider for an investor: the provider's inquiry id (how its
 * webhooks name it), the one-time link to its hosted page, and the outcome. The investor's
 * credentials follow the latest inquiry's decision.
 */
@ObjectType({ description: 'A KYC inquiry with the provider.' })
@Entity({ tableName: 'kyc_inquiry' })
@Unique({ properties: ['providerInquiryId'] })
@Index({ properties: ['tenantId', 'investorId'] })
export class KycInquiry extends TenantScopedEntity {
  [OptionalProps]?: 'status' | 'createdAt' | 'decidedAt' | 'updatedAt';

  @Field(() => ID)
  @Property({ type: 'uuid' })
  investorId!: string;

  @Field()
  @Property({ type: 'text' })
  provider!: string;

  @Field({ description: 'The provider’s id of the inquiry.' })
  @Property({ type: 'text' })
  providerInquiryId!: string;

  @Field({ description: 'The one-time link to the provider’s hosted page, for the investor.' })
  @Property({ type: 'text' })
  hostedUrl!: string;

  @Field(() => KycInquiryStatus)
  @Enum({ items: () => KycInquiryStatus, nativeEnumName: 'kyc_inquiry_status' })
  status: KycInquiryStatus = KycInquiryStatus.OPEN;

  @Field()
  @Property({ type: 'text' })
  openedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  decidedAt: Date | null = null;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

/**
 * A provider webhook event we accepted, by the provider's event id: the replay guard (a second
 * delivery of an id is refused) and the work item the queue processes once.
 */
@Entity({ tableName: 'kyc_webhook_event' })
export class KycWebhookEvent {
  [OptionalProps]?: 'receivedAt' | 'processedAt';

  @Property({ type: 'text', primary: true })
  eventId!: string;

  @Property({ type: 'text' })
  tenantId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  providerInquiryId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  receivedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  processedAt: Date | null = null;
}
