import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';

export enum DocumentKind {
  OFFERING_MEMORANDUM = 'OFFERING_MEMORANDUM',
  POOLING_AND_SERVICING_AGREEMENT = 'POOLING_AND_SERVICING_AGREEMENT',
  PROSPECTUS_SUPPLEMENT = 'PROSPECTUS_SUPPLEMENT',
  INDENTURE = 'INDENTURE',
  LOAN_TAPE = 'LOAN_TAPE',
  OTHER = 'OTHER',
}
registerEnumType(DocumentKind, { name: 'DocumentKind', description: 'What a deal document is.' });

/**
 * A deal document (offering memorandum, pooling and servicing agreement, tape, …) by its SHA-256:
 * the file itself stays in the arranger's document store (`uri`); the hash is registered in
 * DealRegistry at issuance (or by a job when added later), so anyone can check a copy is the one.
 */
@ObjectType({ description: 'A deal document, identified by its SHA-256 and registered on-chain.' })
@Entity({ tableName: 'deal_document' })
@Unique({ properties: ['deal', 'sha256'] })
@Index({ properties: ['tenantId'] })
export class DealDocument extends TenantScopedEntity {
  [OptionalProps]?: 'createdAt' | 'registeredTxHash' | 'registeredBlock' | 'dealId';

  @ManyToOne(() => Deal, { deleteRule: 'cascade' })
  deal!: Rel<Deal>;

  @Field(() => DocumentKind)
  @Enum({ items: () => DocumentKind, nativeEnumName: 'document_kind' })
  kind!: DocumentKind;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field({ description: 'SHA-256 of the file, 64 lower-case hex digits.' })
  @Property({ type: 'text' })
  sha256!: string;

  @Field({ description: 'Where the file is kept (https://, s3://, ipfs://, …).' })
  @Property({ type: 'text' })
  uri!: string;

  @Field()
  @Property({ type: 'text' })
  addedBy!: string;

  @Field()
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => String, { nullable: true, description: 'The DealRegistry transaction, once registered.' })
  @Property({ type: 'text', nullable: true })
  registeredTxHash: string | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  registeredBlock: number | null = null;

  @Field(() => ID)
  get dealId(): string {
    return this.deal.id;
  }
}
