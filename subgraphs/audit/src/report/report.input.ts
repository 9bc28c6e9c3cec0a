import { IsBoolean, IsDate, IsInt, IsOptional, IsUUID, Matches, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

const HEX32 = /^0x[0-9a-fA-F]{64}$/;

@InputType({ description: "An auditor's verification result and their wallet's EIP-712 signature of it." })
export class AttestAuditReportInput {
  @Field(() => ID)
  @IsUUID()
  dealId!: string;

  @Field(() => ID, { nullable: true, description: 'The platform bundle verified, if it was one of ours.' })
  @IsOptional()
  @IsUUID()
  bundleId?: string | null;

  @Field({ description: 'SHA-256 of the verified archive, 0x + 64 hex digits.' })
  @Matches(HEX32, { message: 'must be 0x and 64 hex digits' })
  bundleSha256!: string;

  @Field({ description: 'SHA-256 of the canonical JSON of the checks, 0x + 64 hex digits.' })
  @Matches(HEX32, { message: 'must be 0x and 64 hex digits' })
  resultDigest!: string;

  @Field()
  @IsBoolean()
  verified!: boolean;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  checksPassed!: number;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  checksFailed!: number;

  @Field(() => Date, { description: 'When the bundle was verified (signed as unix seconds).' })
  @IsDate()
  verifiedAt!: Date;

  @Field({ description: "The auditor's wallet address (the signer)." })
  @Matches(/^0x[0-9a-fA-F]{40}$/, { message: 'must be an address' })
  auditor!: string;

  @Field({ description: 'The EIP-712 signature of the report (65 bytes, 0x-hex).' })
  @Matches(/^0x[0-9a-fA-F]{130}$/, { message: 'must be a 65-byte signature' })
  signature!: string;
}
