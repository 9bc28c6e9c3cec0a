import { IsInt, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { ChangeStatus, Risk } from './change-request.entity.js';
import { KillSwitchScope } from './kill-switch.entity.js';

@InputType({
  description: 'A change to propose: the capability it authorizes and exactly what will execute.',
})
export class RequestChangeInput {
  @Field({ description: 'The capability, e.g. deal.issue, distribution.execute, governance.policy.' })
  @Length(3, 64)
  type!: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  dealId?: string | null;

  @Field()
  @Length(1, 200)
  title!: string;

  @Field()
  @Length(1, 4000)
  rationale!: string;

  @Field({ description: 'JSON of what will execute (with `amount` in minor units when money moves).' })
  @Length(2, 1_000_000)
  payload!: string;
}

@InputType()
export class ChangeRequestFilter {
  @Field(() => ChangeStatus, { nullable: true })
  status?: ChangeStatus | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  dealId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 64)
  type?: string | null;

  @Field(() => Risk, { nullable: true, description: 'Only requests of this risk level.' })
  riskLevel?: Risk | null;
}

@InputType()
export class ActivateKillSwitchInput {
  @Field(() => KillSwitchScope)
  scope!: KillSwitchScope;

  @Field(() => String, { nullable: true, description: 'The deal id (DEAL) or capability (CAPABILITY).' })
  @IsOptional()
  @Length(1, 64)
  target?: string | null;

  @Field()
  @Length(1, 1000)
  reason!: string;
}

@InputType()
export class GrantBreakGlassInput {
  @Field(() => String, { nullable: true, description: "The grantee's email; omit to grant yourself." })
  @IsOptional()
  @Length(3, 254)
  grantee?: string | null;

  @Field()
  @Length(3, 64)
  capability!: string;

  @Field()
  @Length(1, 1000)
  reason!: string;

  @Field(() => Int, { description: 'Minutes it lasts (at most 240).' })
  @IsInt()
  @Min(1)
  @Max(240)
  minutes!: number;
}
