import { type Database, keyLoader, keyLookup, listLoader } from '@kopdes/kit';
import type { FinancingDb } from '../db';
import { type Loan, Prisma } from '../generated/prisma/client';

const LOAN_BY_ID = keyLookup<Loan>('Loan', 'id', Object.values(Prisma.LoanScalarFieldEnum));

export function createLoanLoaders(db: FinancingDb, database: Pick<Database<unknown>, 'read'>) {
  return {
    /** One counted statement by primary key per batch (keyLoader). */
    loan: keyLoader(database, LOAN_BY_ID),
    disbursementsOfLoan: listLoader(
      (ids: readonly string[]) => db.loanDisbursement.findMany({ where: { loanId: { in: [...ids] } }, orderBy: [{ date: 'asc' }, { id: 'asc' }] }),
      (d) => d.loanId,
    ),
    repaymentsOfLoan: listLoader(
      (ids: readonly string[]) => db.loanRepayment.findMany({ where: { loanId: { in: [...ids] } }, orderBy: [{ date: 'asc' }, { id: 'asc' }] }),
      (r) => r.loanId,
    ),
    interceptsOfLoan: listLoader(
      (ids: readonly string[]) => db.danaDesaIntercept.findMany({ where: { loanId: { in: [...ids] } }, orderBy: [{ date: 'asc' }, { id: 'asc' }] }),
      (i) => i.loanId,
    ),
  };
}
