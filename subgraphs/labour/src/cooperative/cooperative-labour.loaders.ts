import { listLoader, rowLoader } from '@kopdes/kit';
import type { LabourDb } from '../db';

/** A workforce report with the hires of the 12 months before it, as one row. */
export interface WorkforceRow {
  cooperativeId: string;
  employees: number;
  trainedBoardMembers: number;
  certifiedStaff: number;
  hires: number;
  updatedAt: Date;
}

export function createCooperativeLabourLoaders(db: LabourDb) {
  return {
    // Hires are summed in the same statement: one query per batch of cooperatives.
    workforce: rowLoader(
      (ids: readonly string[]) =>
        db.$queryRawUnsafe<WorkforceRow[]>(
          `SELECT w."cooperativeId", w.employees, w."trainedBoardMembers", w."certifiedStaff", w."updatedAt",
                coalesce((SELECT sum(h.count) FROM "Hire" h
                           WHERE h."cooperativeId" = w."cooperativeId" AND h."hiredOn" > w."updatedAt" - interval '12 months'), 0)::int AS hires
           FROM "Workforce" w WHERE w."cooperativeId" = ANY($1)`,
          [...ids],
        ),
      (w) => w.cooperativeId,
    ),
    trainingsOfCooperative: listLoader(
      (ids: readonly string[]) => db.training.findMany({ where: { cooperativeId: { in: [...ids] } }, orderBy: [{ trainedOn: 'asc' }, { id: 'asc' }] }),
      (t) => t.cooperativeId,
    ),
    hiresOfCooperative: listLoader(
      (ids: readonly string[]) => db.hire.findMany({ where: { cooperativeId: { in: [...ids] } }, orderBy: [{ hiredOn: 'desc' }, { id: 'asc' }] }),
      (h) => h.cooperativeId,
    ),
  };
}
