import { aggregateLoader } from '@kopdes/kit';
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
}

const DISBURSED = `status IN ('DISBURSED', 'REPAYING', 'ARREARS', 'SETTLED')`;

/**
 * One statement for every region of a batch (all 38 provinces, or a regency's villages, at once): a GROUP BY
 * over loans (sums kept on each loan at write time) joined to a GROUP BY over bank-side preconditions.
 */
function loaderFor(db: FinancingDb, column: 'provinceCode' | 'regencyCode' | 'villageCode') {
  return aggregateLoader((codes) => db.$queryRawUnsafe<FinancingAggregateRow[]>(
      `WITH l AS (
         SELECT "${column}" AS code, count(*)::int AS loans,
                count(DISTINCT "cooperativeId") FILTER (WHERE ${DISBURSED})::int AS "cooperativesFinanced",
                sum("disbursedAmount")::bigint AS "amountDisbursed", sum(outstanding)::bigint AS outstanding,
                sum("arrearsAmount")::bigint AS "arrearsAmount",
                count(DISTINCT "cooperativeId") FILTER (WHERE status = 'ARREARS')::int AS "cooperativesInArrears",
                sum("interceptedAmount")::bigint AS "interceptedAmount", max("updatedAt") AS "asOf"
           FROM "Loan" WHERE "${column}" = ANY($1) GROUP BY 1),
       p AS (
         SELECT "${column}" AS code, count(*) FILTER (WHERE "businessProposal" AND "villageHeadApproval")::int AS "preconditionsMet", max("updatedAt") AS "asOf"
           FROM "FinancingProfile" WHERE "${column}" = ANY($1) GROUP BY 1)
       SELECT coalesce(l.code, p.code) AS code, coalesce(l.loans, 0) AS loans, coalesce(l."cooperativesFinanced", 0) AS "cooperativesFinanced",
              coalesce(l."amountDisbursed", 0) AS "amountDisbursed", coalesce(l.outstanding, 0) AS outstanding,
              coalesce(l."arrearsAmount", 0) AS "arrearsAmount", coalesce(l."cooperativesInArrears", 0) AS "cooperativesInArrears",
              coalesce(l."interceptedAmount", 0) AS "interceptedAmount", coalesce(p."preconditionsMet", 0) AS "preconditionsMet",
              greatest(l."asOf", p."asOf") AS "asOf"
         FROM l FULL JOIN p ON p.code = l.code`,
      codes,
    ), (code) => ({
    code, loans: 0, cooperativesFinanced: 0, amountDisbursed: 0n, outstanding: 0n, arrearsAmount: 0n, cooperativesInArrears: 0, interceptedAmount: 0n, preconditionsMet: 0, asOf: new Date(0),
  }));
}

export function createRegionFinancingLoaders(db: FinancingDb) {
  return {
    provinceAggregate: loaderFor(db, 'provinceCode'),
    regencyAggregate: loaderFor(db, 'regencyCode'),
    villageAggregate: loaderFor(db, 'villageCode'),
  };
}
