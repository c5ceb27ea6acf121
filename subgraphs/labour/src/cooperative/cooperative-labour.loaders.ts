import { type Database, groupLoader, listLookup, rowLoader } from '@kopdes/kit';
import { type Hire, Prisma, type Training } from '../generated/prisma/client';

/** A workforce report with the hires of the 12 months before it, as one row. */
export interface WorkforceRow {
  cooperativeId: string;
  employees: number;
  trainedBoardMembers: number;
  certifiedStaff: number;
  hires: number;
  updatedAt: Date;
}

const TRAININGS_OF_COOPERATIVE = listLookup<Training>('Training', 'cooperativeId', Object.values(Prisma.TrainingScalarFieldEnum), [
  ['trainedOn', 'asc'],
  ['id', 'asc'],
]);
const HIRES_OF_COOPERATIVE = listLookup<Hire>('Hire', 'cooperativeId', Object.values(Prisma.HireScalarFieldEnum), [
  ['hiredOn', 'desc'],
  ['id', 'asc'],
]);

export function createCooperativeLabourLoaders(database: Pick<Database<unknown>, 'read'>) {
  return {
    // Hires are summed in the same statement: one query per batch of cooperatives.
    workforce: rowLoader(
      (ids: readonly string[]) =>
        database.read<WorkforceRow>(
          `SELECT w."cooperativeId", w.employees, w."trainedBoardMembers", w."certifiedStaff", w."updatedAt",
                coalesce((SELECT sum(h.count) FROM "Hire" h
                           WHERE h."cooperativeId" = w."cooperativeId" AND h."hiredOn" > w."updatedAt" - interval '12 months'), 0)::int AS hires
           FROM "Workforce" w WHERE w."cooperativeId" = ANY($1)`,
          [[...ids]],
        ),
      (w) => w.cooperativeId,
    ),
    /** A cooperative's trainings and hires: one counted statement each per batch (groupLoader). */
    trainingsOfCooperative: groupLoader(database, TRAININGS_OF_COOPERATIVE),
    hiresOfCooperative: groupLoader(database, HIRES_OF_COOPERATIVE),
  };
}
