import {
  gatedService,
  keyProviderFromConfig,
  NotFoundError,
  PageInput,
  PageOf,
  serviceFor,
  type Config,
  type KeyProvider,
  type Page,
  type SubgraphContext,
} from '@tranche/platform';
import { IsISO8601, IsUUID, Length } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Deal } from '../deal/deal.entity.js';
import { LoanTape, TapeRowError, TapeStratification } from './loan-tape.entity.js';
import { Loan } from './loan.entity.js';
import { stratificationOf, type StoredStratification } from './tape.pool.js';
import { LOAN_READERS, TAPE_READERS, TapeService } from './tape.service.js';

@InputType({ description: 'A new version of a deal’s loan tape; its file follows at `uploadPath`.' })
export class NewLoanTapeInput {
  @Field(() => ID)
  @IsUUID()
  dealId!: string;

  @Field({ description: 'Cut-off date of the balances, YYYY-MM-DD (not in the future).' })
  @IsISO8601({ strict: true })
  cutoffDate!: string;

  @Field({ description: 'The file’s name, for the record.' })
  @Length(1, 200)
  fileName!: string;
}

const LoanPage = PageOf(Loan);

const providers = new WeakMap<Config, KeyProvider>();
/** The key provider of this process's configuration (one per config, so the key file is read once). */
export function keysOf(config: Config): KeyProvider {
  let keys = providers.get(config);
  if (!keys) providers.set(config, (keys = keyProviderFromConfig(config)));
  return keys;
}

@Resolver(() => LoanTape)
export class TapeResolver {
  @Mutation(() => LoanTape, {
    description:
      'Creates the next version of a deal’s loan tape (SERVICER, ARRANGER, ADMIN; gated by `deal.tape`). PUT the CSV to its `uploadPath` through the gateway; validation runs as a job.',
  })
  async createLoanTapeUpload(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => NewLoanTapeInput) input: NewLoanTapeInput,
  ): Promise<LoanTape> {
    const { service } = await gatedService(TapeService, ctx, {
      capability: 'deal.tape',
      dealId: input.dealId,
    });
    return service.create(input, keysOf(ctx.config));
  }

  @Mutation(() => LoanTape, {
    description: 'Queues the anchoring of a VALIDATED tape in DealRegistry again (gated by `deal.tape`).',
  })
  async anchorLoanTape(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<LoanTape> {
    const tape = await serviceFor(TapeService, ctx, TAPE_READERS).get(id);
    if (!tape) throw new NotFoundError('LoanTape', id);
    const { service } = await gatedService(TapeService, ctx, {
      capability: 'deal.tape',
      dealId: tape.dealId,
    });
    return service.anchor(id);
  }

  @Query(() => LoanTape, { nullable: true, description: 'A loan tape version (staff).' })
  loanTape(@Ctx() ctx: SubgraphContext, @Arg('id', () => ID) id: string): Promise<LoanTape | null> {
    return serviceFor(TapeService, ctx, TAPE_READERS).get(id);
  }

  @FieldResolver(() => [TapeRowError], { description: 'Why the tape was refused: the first 100 errors.' })
  errors(@Root() tape: LoanTape): TapeRowError[] {
    return tape.rowErrors;
  }

  @FieldResolver(() => TapeStratification, {
    nullable: true,
    description: 'The pool at cut-off, once VALIDATED.',
  })
  stratification(@Root() tape: LoanTape): TapeStratification | null {
    return tape.stratification
      ? stratificationOf(tape.stratification as unknown as StoredStratification)
      : null;
  }

  @FieldResolver(() => LoanPage, {
    description: 'The tape’s loans in file order (ARRANGER, SERVICER, ADMIN); never borrower data.',
  })
  loans(
    @Root() tape: LoanTape,
    @Ctx() ctx: SubgraphContext,
    @Arg('page', () => PageInput, { nullable: true }) page?: PageInput,
  ): Promise<Page<Loan>> {
    return serviceFor(TapeService, ctx, LOAN_READERS).loans(tape, page);
  }
}

@Resolver(() => Deal)
export class DealTapeResolver {
  @FieldResolver(() => [LoanTape], { description: 'The deal’s loan tape versions, newest first (staff).' })
  loanTapes(@Root() deal: Deal, @Ctx() ctx: SubgraphContext): Promise<LoanTape[]> {
    const service = serviceFor(TapeService, ctx, TAPE_READERS);
    return ctx.loaders
      .get<string, LoanTape[]>('loanTapesOfDeal', (ids) => service.ofDeals(ids))
      .load(deal.id);
  }
}
