import { listLoader, rowLoader } from '@kopdes/kit';
import type { EnergyDb } from '../db';

export function createCooperativeLoaders(db: EnergyDb) {
  return {
    site: rowLoader(
      (ids: readonly string[]) => db.cooperativeSite.findMany({ where: { cooperativeId: { in: [...ids] } } }),
      (s) => s.cooperativeId,
    ),
    plantsOfCooperative: listLoader(
      (ids: readonly string[]) => db.solarPlant.findMany({ where: { cooperativeId: { in: [...ids] } }, orderBy: { id: 'asc' } }),
      (p) => p.cooperativeId,
    ),
  };
}
