import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '@kopdes/kit';
import type { FinancingDb } from '../db';
import type { FinancingLoaders } from '../loaders';
import { Cooperative } from '../cooperative/cooperative-financing.type';
import { DanaDesaIntercept, Loan, LoanDisbursement, LoanRepayment } from './loan.type';
import { ListSize } from '@kopdes/kit';

type Context = SubgraphContext<FinancingDb, FinancingLoaders>;

@Resolver(() => Loan)
export class LoanResolver {
  @Query(() => Loan, { nullable: true, description: 'A loan or application by id; null when the id is unknown.' })
  loan(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.loan.load(id.trim());
  }

  @FieldResolver(() => Cooperative, { description: 'The borrowing cooperative.' })
  cooperative(@Root() loan: Loan): Cooperative {
    return { id: loan.cooperativeId };
  }

  @ListSize(3)
  @FieldResolver(() => [LoanDisbursement], { description: 'Tranches paid out, oldest first.' })
  disbursements(@Root() loan: Loan, @Ctx() { loaders }: Context) {
    return loaders.disbursementsOfLoan.load(loan.id);
  }

  @ListSize(12)
  @FieldResolver(() => [LoanRepayment], { description: 'Instalments paid, oldest first.' })
  repayments(@Root() loan: Loan, @Ctx() { loaders }: Context) {
    return loaders.repaymentsOfLoan.load(loan.id);
  }

  @ListSize(2)
  @FieldResolver(() => [DanaDesaIntercept], { description: "Dana Desa intercepts that covered this loan's defaults, oldest first." })
  intercepts(@Root() loan: Loan, @Ctx() { loaders }: Context) {
    return loaders.interceptsOfLoan.load(loan.id);
  }
}
