import { insertRows, type SqlExecutor } from '@kopdes/kit';
import { loadRegions, syntheticCooperative } from '@kopdes/kit/synthetic';
import { LABOUR_SHAPE, syntheticWorkforce } from './synthetic';

/** One SYNTHETIC workforce report per cooperative in scope, with its hires and trainings. */
export async function seedLabour(sql: SqlExecutor, scope: string | undefined): Promise<void> {
  const reports = loadRegions(scope).villages.map((village) => syntheticWorkforce(syntheticCooperative(village)));
  await insertRows(
    sql,
    'Workforce',
    ['cooperativeId', 'villageCode', 'districtCode', 'regencyCode', 'provinceCode', 'employees', 'trainedBoardMembers', 'certifiedStaff', 'updatedAt'],
    reports.map((r) => {
      const [p, g, d] = r.villageCode.split('.');
      const trainedBoard = r.trainings.filter((t) => t.role === 'BOARD').length;
      const certifiedStaff = r.trainings.filter((t) => t.role === 'STAFF' && t.certified).length;
      return [r.cooperativeId, r.villageCode, `${p}.${g}.${d}`, `${p}.${g}`, p, r.employees, trainedBoard, certifiedStaff, LABOUR_SHAPE.reportedAt];
    }),
  );
  await insertRows(
    sql,
    'Hire',
    ['cooperativeId', 'hiredOn', 'count'],
    reports.flatMap((r) => r.hires.map((h) => [r.cooperativeId, h.hiredOn, h.count])),
  );
  await insertRows(
    sql,
    'Training',
    ['cooperativeId', 'role', 'programme', 'provider', 'trainedOn', 'certified'],
    reports.flatMap((r) => r.trainings.map((t) => [r.cooperativeId, t.role, t.programme, t.provider, t.trainedOn, t.certified])),
  );
}
