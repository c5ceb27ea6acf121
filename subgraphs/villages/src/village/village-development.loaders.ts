import { listLoader } from '@kopdes/kit';
import type { VillagesDb } from '../db';

export function createVillageDevelopmentLoaders(db: VillagesDb) {
  return {
    // Development status and Dana Desa read the same rows: one statement per batch of villages.
    yearsOfVillage: listLoader(
      (codes: readonly string[]) => db.villageYear.findMany({ where: { villageCode: { in: [...codes] } }, orderBy: [{ villageCode: 'asc' }, { year: 'asc' }] }),
      (row) => row.villageCode,
    ),
  };
}
