import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { Rupiah } from '@kopdes/kit';
import { LoanLender, LoanScheme } from './loan.type';

@InputType({ description: 'A loan application by a cooperative known to the bank (Himbara under PMK 49/2025, or LPDB).' })
export class ApplyForLoanInput {
  @Field(() => ID) cooperativeId!: string;
  @Field(() => LoanScheme) scheme!: LoanScheme;
  @Field(() => LoanLender, { description: 'BRI, BNI, MANDIRI, BSI or BTN for HIMBARA_PMK49; LPDB for LPDB.' }) lender!: LoanLender;
  @Field(() => Rupiah, { description: 'Credit limit: at most Rp 3 billion.' }) plafond!: bigint;
  @Field(() => Rupiah, { description: 'Part of the plafond for operating costs: at most Rp 500 million.' }) operatingPart!: bigint;
  @Field(() => Float, { description: 'Percent a year, 0–100; 6.0 for HIMBARA_PMK49.' }) contractRate!: number;
  @Field(() => Float, { description: 'Percent a year the cooperative bears after subsidy; at most contractRate.' }) effectiveRate!: number;
  @Field(() => Int, { description: 'At most 72 months (Himbara) or 120 (LPDB).' }) tenorMonths!: number;
  @Field(() => Int, { description: '6–8 months for Himbara; less than tenorMonths.' }) graceMonths!: number;
  @Field(() => String, { description: 'Date of the application, YYYY-MM-DD.' }) appliedOn!: string;
}

@InputType()
export class ApproveLoanInput {
  @Field(() => ID) loanId!: string;
  @Field(() => String, { description: 'Date of approval, YYYY-MM-DD; not before the application.' }) approvedOn!: string;
}

@InputType()
export class RejectLoanInput {
  @Field(() => ID) loanId!: string;
  @Field(() => String, { nullable: true, description: 'Why the bank declined; kept in the audit trail.' }) reason?: string;
}

@InputType({ description: 'A tranche paid out to the cooperative.' })
export class RecordDisbursementInput {
  @Field(() => ID) loanId!: string;
  @Field(() => String, { description: 'YYYY-MM-DD; not before approval.' }) date!: string;
  @Field(() => Rupiah, { description: 'Positive; all tranches together at most the plafond.' }) amount!: bigint;
}

@InputType({ description: 'An instalment paid by the cooperative: amount = principal + interest.' })
export class RecordRepaymentInput {
  @Field(() => ID) loanId!: string;
  @Field(() => String, { description: 'YYYY-MM-DD; not before the first disbursement.' }) date!: string;
  @Field(() => Rupiah) amount!: bigint;
  @Field(() => Rupiah, { description: 'Part that reduces the principal: at most what is outstanding.' }) principal!: bigint;
  @Field(() => Rupiah) interest!: bigint;
}

@InputType({
  description: 'Dana Desa withheld to cover a loan in arrears (Permendes 10/2025). Name the loan, or the cooperative when it has one loan in arrears.',
})
export class RecordDanaDesaInterceptInput {
  @Field(() => ID, { nullable: true }) loanId?: string;
  @Field(() => ID, { nullable: true }) cooperativeId?: string;
  @Field(() => String, { description: 'YYYY-MM-DD; its year is the Dana Desa budget year the 30% cap applies to.' }) date!: string;
  @Field(() => Rupiah, { description: "Positive; at most the arrears and what is left of the village's cap that year." }) amount!: bigint;
}
