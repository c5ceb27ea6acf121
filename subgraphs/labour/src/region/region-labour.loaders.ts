import { aggregateLoader } from '@kopdes/kit';
import type { LabourDb } from '../db';
import { TARGET_EMPLOYEES } from '../target';

export interface LabourAggregateRow {
  code: string;
  cooperativesReporting: number;
  employees: number;
  cooperativesAtTarget: number;
  trainedBoardMembers: number;
  certifiedStaff: number;
  asOf: Date;
}

/** One GROUP BY for every region of a batch (all 38 provinces at once). */
function loaderFor(db: LabourDb, column: 'provinceCode' | 'regencyCode') {
  return aggregateLoader((codes) => db.$queryRawUnsafe<LabourAggregateRow[]>(
      `SELECT "${column}" AS code, count(*)::int AS "cooperativesReporting", sum(employees)::int AS employees,
              (count(*) FILTER (WHERE employees >= ${TARGET_EMPLOYEES}))::int AS "cooperativesAtTarget",
              sum("trainedBoardMembers")::int AS "trainedBoardMembers", sum("certifiedStaff")::int AS "certifiedStaff", max("updatedAt") AS "asOf"
         FROM "Workforce" WHERE "${column}" = ANY($1) GROUP BY 1`,
      codes,
    ), (code) => ({
    code, cooperativesReporting: 0, employees: 0, cooperativesAtTarget: 0, trainedBoardMembers: 0, certifiedStaff: 0, asOf: new Date(0),
  }));
}

export function createRegionLabourLoaders(db: LabourDb) {
  return {
    provinceAggregate: loaderFor(db, 'provinceCode'),
    regencyAggregate: loaderFor(db, 'regencyCode'),
  };
}
