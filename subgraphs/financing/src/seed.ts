import { insertRows, type SqlExecutor } from '@kopdes/kit';
import { loadRegions, syntheticCooperative, syntheticVillageYears } from '@kopdes/kit/synthetic';
import { FINANCING_SHAPE, syntheticFinancing } from './synthetic';

/**
 * Bank-side preconditions for every cooperative in scope and its SYNTHETIC loans, with their money
 * flows; and each desa's Dana Desa ceilings, from the same generator that feeds `Village.danaDesa`.
 */
export async function seedFinancing(sql: SqlExecutor, scope: string | undefined): Promise<void> {
  const { villages } = loadRegions(scope);
  const slices = villages.map((village) => syntheticFinancing(syntheticCooperative(village), village));
  const updatedAt = `${FINANCING_SHAPE.asOf}T00:00:00Z`;
  const regions = (villageCode: string) => {
    const [p, r, d] = villageCode.split('.');
    return [villageCode, `${p}.${r}.${d}`, `${p}.${r}`, p];
  };
  await insertRows(
    sql,
    'FinancingProfile',
    ['cooperativeId', 'villageCode', 'districtCode', 'regencyCode', 'provinceCode', 'businessProposal', 'villageHeadApproval', 'updatedAt'],
    slices.map((f) => [f.cooperativeId, ...regions(f.villageCode), f.businessProposal, f.villageHeadApproval, updatedAt]),
    2000,
  );
  await insertRows(
    sql,
    'DanaDesaCeiling',
    ['villageCode', 'budgetYear', 'ceiling'],
    villages.flatMap((v) =>
      syntheticVillageYears(v).flatMap((y) => (y.danaDesaCeiling === null ? [] : [[y.villageCode, y.year, y.danaDesaCeiling.toString()]])),
    ),
  );
  const loans = slices.flatMap((f) => f.loans);
  await insertRows(
    sql,
    'Loan',
    [
      'id',
      'cooperativeId',
      'villageCode',
      'districtCode',
      'regencyCode',
      'provinceCode',
      'scheme',
      'lender',
      'plafond',
      'operatingPart',
      'contractRate',
      'effectiveRate',
      'tenorMonths',
      'graceMonths',
      'status',
      'appliedOn',
      'approvedOn',
      'disbursedAmount',
      'outstanding',
      'arrearsAmount',
      'daysInArrears',
      'interceptedAmount',
      'updatedAt',
    ],
    loans.map((l) => [
      l.id,
      l.cooperativeId,
      ...regions(l.villageCode),
      l.scheme,
      l.lender,
      l.plafond,
      l.operatingPart,
      l.contractRate,
      l.effectiveRate,
      l.tenorMonths,
      l.graceMonths,
      l.status,
      l.appliedOn,
      l.approvedOn,
      l.disbursedAmount,
      l.outstanding,
      l.arrearsAmount,
      l.daysInArrears,
      l.interceptedAmount,
      updatedAt,
    ]),
    1000,
  );
  await insertRows(
    sql,
    'LoanDisbursement',
    ['loanId', 'date', 'amount'],
    loans.flatMap((l) => l.disbursements.map((d) => [l.id, d.date, d.amount])),
  );
  await insertRows(
    sql,
    'LoanRepayment',
    ['loanId', 'date', 'amount', 'principal', 'interest'],
    loans.flatMap((l) => l.repayments.map((r) => [l.id, r.date, r.amount, r.principal, r.interest])),
  );
  await insertRows(
    sql,
    'DanaDesaIntercept',
    ['loanId', 'cooperativeId', 'villageCode', 'date', 'amount', 'budgetYear', 'danaDesaCeiling', 'capAmount'],
    loans.flatMap((l) => l.intercepts.map((i) => [l.id, l.cooperativeId, l.villageCode, i.date, i.amount, i.budgetYear, i.danaDesaCeiling, i.capAmount])),
  );
}
