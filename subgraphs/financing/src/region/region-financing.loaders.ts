import { counts, disclosedAggregateLoader, type RegionColumn, type RegionSummary, summarisedAggregate, total } from '@kopdes/kit';
import type { FinancingDb } from '../db';

export interface FinancingAggregateRow {
  code: string;
  loans: number;
  cooperativesFinanced: number;
  amountDisbursed: bigint;
  outstanding: bigint;
  arrearsAmount: bigint;
  cooperativesInArrears: number;
  interceptedAmount: bigint;
  preconditionsMet: number;
  asOf: Date;
  /** Cooperatives financing keeps a profile of: the population every figure speaks about. */
  profiles: number;
  /** Cooperatives behind each total: with any loan, and with a non-zero amount of each kind. */
  loanCooperatives: number;
  disbursedCooperatives: number;
  outstandingCooperatives: number;
  arrearsCooperatives: number;
  interceptedCooperatives: number;
}

/** Disclosure control: counts of profiled cooperatives, and totals made of the cooperatives with a non-zero amount. */
export const FINANCING_DISCLOSURE = [
  counts<FinancingAggregateRow>(['cooperativesFinanced', 'cooperativesInArrears', 'preconditionsMet'], 'profiles'),
  total<FinancingAggregateRow>('loans', 'loanCooperatives', 'profiles'),
  total<FinancingAggregateRow>('amountDisbursed', 'disbursedCooperatives', 'profiles'),
  total<FinancingAggregateRow>('outstanding', 'outstandingCooperatives', 'profiles'),
  total<FinancingAggregateRow>('arrearsAmount', 'arrearsCooperatives', 'profiles'),
  total<FinancingAggregateRow>('interceptedAmount', 'interceptedCooperatives', 'profiles'),
];

export const emptyFinancingRow = (code: string): FinancingAggregateRow => ({
  code,
  loans: 0,
  cooperativesFinanced: 0,
  amountDisbursed: 0n,
  outstanding: 0n,
  arrearsAmount: 0n,
  cooperativesInArrears: 0,
  interceptedAmount: 0n,
  preconditionsMet: 0,
  asOf: new Date(0),
  profiles: 0,
  loanCooperatives: 0,
  disbursedCooperatives: 0,
  outstandingCooperatives: 0,
  arrearsCooperatives: 0,
  interceptedCooperatives: 0,
});

const DISBURSED = `status IN ('DISBURSED', 'REPAYING', 'ARREARS', 'SETTLED')`;
const cooperativesWith = (condition: string) => `count(DISTINCT "cooperativeId") FILTER (WHERE ${condition})::int`;

/**
 * Figures per region of one group: a GROUP BY over loans (sums kept on each loan at write time) joined
 * to a GROUP BY over bank-side profiles, with the cooperatives behind each figure counted alongside.
 */
function financingSql(column: RegionColumn, where: () => string): string {
  return `WITH l AS (
      SELECT "${column}" AS code, count(*)::int AS loans, count(DISTINCT "cooperativeId")::int AS "loanCooperatives",
             ${cooperativesWith(DISBURSED)} AS "cooperativesFinanced",
             sum("disbursedAmount")::bigint AS "amountDisbursed", ${cooperativesWith(`"disbursedAmount" > 0`)} AS "disbursedCooperatives",
             sum(outstanding)::bigint AS outstanding, ${cooperativesWith('outstanding > 0')} AS "outstandingCooperatives",
             sum("arrearsAmount")::bigint AS "arrearsAmount", ${cooperativesWith(`"arrearsAmount" > 0`)} AS "arrearsCooperatives",
             ${cooperativesWith(`status = 'ARREARS'`)} AS "cooperativesInArrears",
             sum("interceptedAmount")::bigint AS "interceptedAmount", ${cooperativesWith(`"interceptedAmount" > 0`)} AS "interceptedCooperatives",
             max("updatedAt") AS "asOf"
        FROM "Loan" WHERE ${where()} GROUP BY 1),
    p AS (
      SELECT "${column}" AS code, count(*)::int AS profiles,
             count(*) FILTER (WHERE "businessProposal" AND "villageHeadApproval")::int AS "preconditionsMet", max("updatedAt") AS "asOf"
        FROM "FinancingProfile" WHERE ${where()} GROUP BY 1)
    SELECT coalesce(l.code, p.code) AS code, coalesce(l.loans, 0) AS loans, coalesce(l."cooperativesFinanced", 0) AS "cooperativesFinanced",
           coalesce(l."amountDisbursed", 0) AS "amountDisbursed", coalesce(l.outstanding, 0) AS outstanding,
           coalesce(l."arrearsAmount", 0) AS "arrearsAmount", coalesce(l."cooperativesInArrears", 0) AS "cooperativesInArrears",
           coalesce(l."interceptedAmount", 0) AS "interceptedAmount", coalesce(p."preconditionsMet", 0) AS "preconditionsMet",
           greatest(l."asOf", p."asOf") AS "asOf", coalesce(p.profiles, 0) AS profiles, coalesce(l."loanCooperatives", 0) AS "loanCooperatives",
           coalesce(l."disbursedCooperatives", 0) AS "disbursedCooperatives", coalesce(l."outstandingCooperatives", 0) AS "outstandingCooperatives",
           coalesce(l."arrearsCooperatives", 0) AS "arrearsCooperatives", coalesce(l."interceptedCooperatives", 0) AS "interceptedCooperatives"
      FROM l FULL JOIN p ON p.code = l.code`;
}

/** Province and regency figures kept summarised, current with every loan and profile write. */
export const FINANCING_SUMMARY: RegionSummary = { name: 'financing', tables: ['Loan', 'FinancingProfile'], select: financingSql };

/** Province, regency and village figures with their disclosure decisions: one statement per batch. */
export function createRegionFinancingLoaders(db: FinancingDb) {
  return {
    regionFinancing: disclosedAggregateLoader<FinancingAggregateRow>({
      spec: FINANCING_DISCLOSURE,
      ...summarisedAggregate<FinancingAggregateRow>(db, FINANCING_SUMMARY),
    }),
  };
}
