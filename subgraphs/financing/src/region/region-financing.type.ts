import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Rupiah } from '@kopdes/kit';

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

@ObjectType({ description: 'Financing figures for a region, computed in the database.' })
export class FinancingAggregate {
  @Field(() => Date) asOf!: Date;
  @Field(() => String) source!: string;
  @Field(() => Int, { description: 'Loans and applications in any status.' }) loans!: number;
  @Field(() => Int, { description: 'Cooperatives with money disbursed (a loan DISBURSED, REPAYING, ARREARS or SETTLED).' }) cooperativesFinanced!: number;
  @Field(() => Rupiah) amountDisbursed!: bigint;
  @Field(() => Rupiah, { description: 'Principal outstanding.' }) outstanding!: bigint;
  @Field(() => Rupiah) arrearsAmount!: bigint;
  @Field(() => Int) cooperativesInArrears!: number;
  @Field(() => Rupiah, { description: 'Dana Desa intercepted to cover defaults.' }) interceptedAmount!: bigint;
  @Field(() => Int, { description: 'Cooperatives holding both bank-side preconditions (business proposal, village head approval); the registry\'s loanReady counts the rest.' })
  preconditionsMet!: number;
}
