import { type Database, groupLoader, keyLoader, keyLookup, listLookup } from '@kopdes/kit';
import { type DanaDesaIntercept, type Loan, type LoanDisbursement, type LoanRepayment, Prisma } from '../generated/prisma/client';

const LOAN_BY_ID = keyLookup<Loan>('Loan', 'id', Object.values(Prisma.LoanScalarFieldEnum));
// A loan's movements by date, then id (the order they were recorded in on one day).
const DISBURSEMENTS_OF_LOAN = listLookup<LoanDisbursement>('LoanDisbursement', 'loanId', Object.values(Prisma.LoanDisbursementScalarFieldEnum), [
  ['date', 'asc'],
  ['id', 'asc'],
]);
const REPAYMENTS_OF_LOAN = listLookup<LoanRepayment>('LoanRepayment', 'loanId', Object.values(Prisma.LoanRepaymentScalarFieldEnum), [
  ['date', 'asc'],
  ['id', 'asc'],
]);
const INTERCEPTS_OF_LOAN = listLookup<DanaDesaIntercept>('DanaDesaIntercept', 'loanId', Object.values(Prisma.DanaDesaInterceptScalarFieldEnum), [
  ['date', 'asc'],
  ['id', 'asc'],
]);

/** One counted statement per batch: by primary key (keyLoader), or a loan's movements (groupLoader). */
export function createLoanLoaders(database: Pick<Database<unknown>, 'read'>) {
  return {
    loan: keyLoader(database, LOAN_BY_ID),
    disbursementsOfLoan: groupLoader(database, DISBURSEMENTS_OF_LOAN),
    repaymentsOfLoan: groupLoader(database, REPAYMENTS_OF_LOAN),
    interceptsOfLoan: groupLoader(database, INTERCEPTS_OF_LOAN),
  };
}
