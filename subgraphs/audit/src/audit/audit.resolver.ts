import { PageInput, requireRole, type Role, type SubgraphContext } from '@tranche/platform';
import { IsOptional, Length } from 'class-validator';
import { Arg, Ctx, Field, InputType, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { AuditEvent } from './audit-event.entity.js';
import { AuditService } from './audit.service.js';

const READERS: Role[] = ['AUDITOR', 'ADMIN', 'COMPLIANCE'];
const VERIFIERS: Role[] = ['AUDITOR', 'ADMIN'];

@InputType()
class AuditEventFilter {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  aggregateType?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  aggregateId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  action?: string | null;
}

@ObjectType()
class AuditEventPage {
  @Field(() => [AuditEvent])
  items!: AuditEvent[];

  @Field(() => Int)
  total!: number;
}

@ObjectType({ description: 'The result of recomputing a range of the audit hash chain.' })
class AuditChainVerification {
  @Field()
  valid!: boolean;

  @Field(() => Int)
  from!: number;

  @Field(() => Int)
  to!: number;

  @Field(() => Int, { description: 'Events checked before stopping.' })
  checked!: number;

  @Field(() => Int, { nullable: true, description: 'The first position where the chain breaks.' })
  firstBrokenSeq!: number | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'Hash of the newest event.' })
  headHash!: string | null;
}

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventPage, { description: "The tenant's audit events, newest first." })
  async auditEvents(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter?: AuditEventFilter,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<AuditEventPage> {
    const service = new AuditService(ctx.em, requireRole(ctx, ...READERS));
    return service.list(filter, page?.offset ?? 0, page?.limit ?? 25);
  }

  @Query(() => AuditChainVerification, { description: 'Recomputes the hash chain (AUDITOR, ADMIN).' })
  async verifyAuditChain(
    @Ctx() ctx: SubgraphContext,
    @Arg('from', () => Int, { defaultValue: 1 }) from: number,
    @Arg('to', () => Int, { nullable: true }) to?: number,
  ): Promise<AuditChainVerification> {
    return new AuditService(ctx.em, requireRole(ctx, ...VERIFIERS)).verify(from, to);
  }
}
