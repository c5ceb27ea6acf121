import { listLoader, rowLoader } from '@kopdes/kit';
import type { FinancingDb } from '../db';

export function createLoanLoaders(db: FinancingDb) {
  return {
    loan: rowLoader(
      (ids: readonly string[]) => db.loan.findMany({ where: { id: { in: [...ids] } } }),
      (l) => l.id,
    ),
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
