import { disclosedAggregateLoader, type DisclosureSpec, type RegionColumn, type RegionSummary, summarisedAggregate, total } from '@kopdes/kit';
import type { LabourDb } from '../db';
import { TARGET_EMPLOYEES } from '../cooperative/cooperative-labour.rules';

export interface LabourAggregateRow {
  code: string;
  cooperativesReporting: number;
  employees: number;
  cooperativesAtTarget: number;
  trainedBoardMembers: number;
  certifiedStaff: number;
  asOf: Date;
  /** Reporting cooperatives behind each total: with any employee, trained board member, certified staff. */
  employingCooperatives: number;
  trainingCooperatives: number;
  certifyingCooperatives: number;
}

/**
 * Disclosure control. The average and the target are computed from employees and the reporting count,
 * so those four stand or fall together (one would give back another); training and certification totals
 * are made of the cooperatives with any.
 */
export const LABOUR_DISCLOSURE: DisclosureSpec<LabourAggregateRow> = [
  {
    fields: ['cooperativesReporting', 'cooperativesAtTarget', 'targetEmployees', 'employees', 'averagePerCooperative'],
    covers: [{ count: 'cooperativesReporting' }, { sum: 'employingCooperatives', of: 'cooperativesReporting' }],
  },
  total<LabourAggregateRow>('trainedBoardMembers', 'trainingCooperatives', 'cooperativesReporting'),
  total<LabourAggregateRow>('certifiedStaff', 'certifyingCooperatives', 'cooperativesReporting'),
];

export const emptyLabourRow = (code: string): LabourAggregateRow => ({
  code,
  cooperativesReporting: 0,
  employees: 0,
  cooperativesAtTarget: 0,
  trainedBoardMembers: 0,
  certifiedStaff: 0,
  asOf: new Date(0),
  employingCooperatives: 0,
  trainingCooperatives: 0,
  certifyingCooperatives: 0,
});

/** Workforce figures per region of one group, with the cooperatives behind each total. */
function labourSql(column: RegionColumn, where: () => string): string {
  return `SELECT "${column}" AS code, count(*)::int AS "cooperativesReporting", sum(employees)::int AS employees,
                 (count(*) FILTER (WHERE employees >= ${TARGET_EMPLOYEES}))::int AS "cooperativesAtTarget",
                 sum("trainedBoardMembers")::int AS "trainedBoardMembers", sum("certifiedStaff")::int AS "certifiedStaff", max("updatedAt") AS "asOf",
                 (count(*) FILTER (WHERE employees > 0))::int AS "employingCooperatives",
                 (count(*) FILTER (WHERE "trainedBoardMembers" > 0))::int AS "trainingCooperatives",
                 (count(*) FILTER (WHERE "certifiedStaff" > 0))::int AS "certifyingCooperatives"
            FROM "Workforce" WHERE ${where()} GROUP BY 1`;
}

/** Province and regency figures kept summarised, current with every workforce write. */
export const LABOUR_SUMMARY: RegionSummary = { name: 'labour', tables: ['Workforce'], select: labourSql };

/** Province and regency figures with their disclosure decisions: one statement per batch. */
export function createRegionLabourLoaders(db: LabourDb) {
  return {
    regionLabour: disclosedAggregateLoader<LabourAggregateRow>({ spec: LABOUR_DISCLOSURE, ...summarisedAggregate<LabourAggregateRow>(db, LABOUR_SUMMARY) }),
  };
}
