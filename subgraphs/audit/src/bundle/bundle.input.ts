import { IsDate, IsUUID } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';

@ArgsType()
export class ExportAuditBundleArgs {
  @Field(() => ID, { description: 'The deal whose audit evidence is exported.' })
  @IsUUID()
  dealId!: string;

  @Field(() => Date, { description: 'Start of the period (event occurredAt, inclusive).' })
  @IsDate()
  from!: Date;

  @Field(() => Date, { description: 'End of the period (inclusive); at most 366 days after `from`.' })
  @IsDate()
  to!: Date;
}
