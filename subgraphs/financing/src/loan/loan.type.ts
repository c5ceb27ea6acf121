import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Rupiah } from '@kopdes/kit';
import { LoanLender, LoanScheme, LoanStatus } from '../generated/prisma/enums';

registerEnumType(LoanScheme, {
  name: 'LoanScheme',
  description: 'HIMBARA_PMK49: state-bank loan under PMK 49/2025; LPDB: Kemenkop revolving fund (pilot cooperatives).',
});
registerEnumType(LoanLender, { name: 'LoanLender', description: 'The Himbara state bank, or LPDB.' });
registerEnumType(LoanStatus, {
  name: 'LoanStatus',
  description:
    'APPLIED → APPROVED → DISBURSED (no instalment due yet) → REPAYING (all due instalments paid) → ARREARS (an instalment unpaid) or SETTLED; or REJECTED.',
});

export { LoanLender, LoanScheme, LoanStatus };

@ObjectType({ description: 'Money paid out to the cooperative.' })
export class LoanDisbursement {
  @Field(() => Date) date!: Date;
  @Field(() => Rupiah) amount!: bigint;
}

@ObjectType({ description: 'An instalment paid by the cooperative.' })
export class LoanRepayment {
  @Field(() => Date) date!: Date;
  @Field(() => Rupiah) amount!: bigint;
  @Field(() => Rupiah, { description: 'Part of amount that reduced the principal.' }) principal!: bigint;
  @Field(() => Rupiah) interest!: bigint;
}

@ObjectType({ description: "Dana Desa withheld to cover a default (Permendes 10/2025), capped at 30% of the village's Dana Desa." })
export class DanaDesaIntercept {
  @Field(() => Date) date!: Date;
  @Field(() => Rupiah) amount!: bigint;
  @Field(() => Int) budgetYear!: number;
  @Field(() => Rupiah, { description: "The village's Dana Desa for budgetYear, as used for the cap." }) danaDesaCeiling!: bigint;
  @Field(() => Rupiah, { description: '30% of danaDesaCeiling.' }) capAmount!: bigint;
  loanId!: string;
  cooperativeId!: string;
}

@ObjectType({ description: 'A loan application and, once approved, the loan (Himbara under PMK 49/2025, or LPDB).' })
export class Loan {
  @Field(() => ID, { description: 'Opaque loan id, e.g. "PMK49-BRI-3514012001-1".' }) id!: string;
  @Field(() => LoanScheme) scheme!: LoanScheme;
  @Field(() => LoanLender) lender!: LoanLender;
  @Field(() => Rupiah, { description: 'Credit limit: at most Rp 3 billion.' }) plafond!: bigint;
  @Field(() => Rupiah, { description: 'Part of the plafond for operating costs: at most Rp 500 million.' }) operatingPart!: bigint;
  @Field(() => Float, { description: 'Contract interest rate, percent a year (6.0 under PMK 49).' }) contractRate!: number;
  @Field(() => Float, { description: 'Rate the cooperative bears after subsidy, percent a year.' }) effectiveRate!: number;
  @Field(() => Int, { description: 'At most 72 months (Himbara) or 120 (LPDB).' }) tenorMonths!: number;
  @Field(() => Int, { description: 'Months without principal instalments (6–8); interest is due monthly.' }) graceMonths!: number;
  @Field(() => LoanStatus) status!: LoanStatus;
  @Field(() => Date) appliedOn!: Date;
  @Field(() => Date, { nullable: true }) approvedOn!: Date | null;
  @Field(() => Rupiah, { description: 'Sum of disbursements.' }) disbursedAmount!: bigint;
  @Field(() => Rupiah, { description: 'Principal not yet repaid.' }) outstanding!: bigint;
  @Field(() => Rupiah, { description: 'Instalments overdue, less what Dana Desa intercepts covered.' }) arrearsAmount!: bigint;
  @Field(() => Int, { description: 'Days since the oldest overdue instalment fell due; 0 when none.' }) daysInArrears!: number;
  @Field(() => Rupiah, { description: 'Dana Desa intercepted for this loan.' }) interceptedAmount!: bigint;
  cooperativeId!: string;
  villageCode!: string;
  updatedAt!: Date;
}
