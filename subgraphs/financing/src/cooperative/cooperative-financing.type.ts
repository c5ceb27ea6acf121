import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { ListSize, Rupiah } from '@kopdes/kit';
import { Loan, DanaDesaIntercept } from '../loan/loan.type';

// Owned by the cooperatives subgraph; financing adds its loans. No description: the owner's wins in composition.
@ObjectType()
@Directive('@key(fields: "id")')
export class Cooperative {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'What a bank checks beyond the registry before lending (PMK 49/2025).' })
export class FinancingPreconditions {
  @Field(() => Boolean, { description: 'A business proposal is on file with the bank.' }) businessProposal!: boolean;
  @Field(() => Boolean, { description: 'The village head (lurah for a kelurahan) approved the application.' }) villageHeadApproval!: boolean;
}

@ObjectType({ description: 'Kemenkeu / Himbara / LPDB financing of one cooperative. Fields are resolved lazily, each through a per-request loader.' })
export class CooperativeFinancing {
  cooperativeId!: string;
  @Field(() => Date, { description: 'When these records were last updated.' }) asOf!: Date;
  @Field(() => String) source!: string;
  @ListSize(2) @Field(() => [Loan], { description: 'Applications and loans, oldest application first.' }) loans!: Loan[];
  @Field(() => Rupiah, { description: 'Principal outstanding over all loans.' }) outstanding!: bigint;
  @Field(() => Boolean, { description: 'True when any loan is in arrears.' }) inArrears!: boolean;
  @Field(() => FinancingPreconditions, { description: 'Both false when the bank has no record of the cooperative.' }) preconditions!: FinancingPreconditions;
  @Field(() => Rupiah, { description: "Dana Desa withheld to cover this cooperative's defaults, all years." }) danaDesaIntercepted!: bigint;
  @ListSize(2) @Field(() => [DanaDesaIntercept], { description: 'Each Dana Desa intercept, oldest first.' }) intercepts!: DanaDesaIntercept[];
  @Field(() => Rupiah, {
    nullable: true,
    description: "The village's intercept cap (30% of its Dana Desa) in the budget year of asOf; null when nothing was intercepted that year.",
  })
  interceptCap!: bigint | null;
  @Field(() => Float, { description: "Share (0..1) of the village's 30% cap used by intercepts in the budget year of asOf; 0 when none." })
  interceptCapUsedShare!: number;
}
