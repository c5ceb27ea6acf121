import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { figureField, ListSize, Rupiah, SUPPRESSED_FIELD, SuppressedFigure } from '@kopdes/kit';

@ObjectType()
@Directive('@key(fields: "code")')
export class Province {
  @Field(() => ID) code!: string;
}

@ObjectType()
@Directive('@key(fields: "code")')
export class Regency {
  @Field(() => ID) code!: string;
}

@ObjectType()
@Directive('@key(fields: "code")')
export class Village {
  @Field(() => ID) code!: string;
}

@ObjectType({
  description: 'Financing figures for a region, computed in the database. For the public, a figure covering too few cooperatives is null (see suppressed).',
})
export class FinancingAggregate {
  @Field(() => Date) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int, figureField('Loans and applications in any status.')) loans!: number | null;
  @Field(() => Int, figureField('Cooperatives with money disbursed (a loan DISBURSED, REPAYING, ARREARS or SETTLED).')) cooperativesFinanced!: number | null;
  @Field(() => Rupiah, figureField()) amountDisbursed!: bigint | null;
  @Field(() => Rupiah, figureField('Principal outstanding.')) outstanding!: bigint | null;
  @Field(() => Rupiah, figureField()) arrearsAmount!: bigint | null;
  @Field(() => Int, figureField()) cooperativesInArrears!: number | null;
  @Field(() => Rupiah, figureField('Dana Desa intercepted to cover defaults.')) interceptedAmount!: bigint | null;
  @Field(
    () => Int,
    figureField("Cooperatives holding both bank-side preconditions (business proposal, village head approval); the registry's loanReady counts the rest."),
  )
  preconditionsMet!: number | null;
  @ListSize(10) @Field(() => [SuppressedFigure], SUPPRESSED_FIELD) suppressed!: SuppressedFigure[];
}
