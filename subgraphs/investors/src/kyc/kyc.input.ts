import { ArrayMaxSize, IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { AccreditationType, Investor } from '../investor/investor.entity.js';

@InputType({ description: 'Accreditation evidence (its SHA-256: the evidence stays with compliance).' })
export class AccreditationInput {
  @Field(() => AccreditationType)
  type!: AccreditationType;

  @Field({ description: 'When the accreditation must be verified again (future, at most 5 years out).' })
  expiresAt!: Date;

  @Field({ description: 'SHA-256 (hex) of the evidence.' })
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'proofSha256 must be a SHA-256 in hex' })
  proofSha256!: string;
}

@InputType({ description: 'Profile fields compliance keeps (omit a field to leave it as is).' })
export class InvestorProfileInput {
  @Field(() => String, {
    nullable: true,
    description: 'ISO 3166-2 subdivision in the investor’s country, e.g. US-NY.',
  })
  @IsOptional()
  @Length(0, 10)
  state?: string | null;

  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2 countries of tax residence.' })
  @IsOptional()
  @ArrayMaxSize(20)
  taxResidencies?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The portal user (OIDC subject) who is this investor and sees its portfolio; empty to unlink.',
  })
  @IsOptional()
  @Length(0, 200)
  portalSubject?: string | null;
}

@ObjectType({ description: 'A credential that expires soon, or has expired.' })
export class ExpiringCredentialType {
  @Field(() => Investor)
  investor!: Investor;

  @Field({ description: 'KYC or ACCREDITATION.' })
  credential!: string;

  @Field()
  expiresAt!: Date;
}
