import { rowLoader } from '@kopdes/kit';
import type { EnergyDb } from '../db';

export function createVillageLoaders(db: EnergyDb) {
  return {
    electrification: rowLoader(
      (codes: readonly string[]) => db.villageElectrification.findMany({ where: { villageCode: { in: [...codes] } } }),
      (v) => v.villageCode,
    ),
  };
}
