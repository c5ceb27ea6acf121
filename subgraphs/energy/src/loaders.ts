import type { Database } from '@kopdes/kit';
import type { EnergyDb } from './db';
import { createCooperativeLoaders } from './cooperative/cooperative.loaders';
import { createRegionLoaders } from './region/region.loaders';
import { createVillageLoaders } from './village/village.loaders';

/** Per-request DataLoaders: every per-cooperative, per-village and per-region field batches. */
export function createEnergyLoaders(db: EnergyDb, database: Pick<Database<unknown>, 'read'>) {
  return { ...createCooperativeLoaders(database), ...createVillageLoaders(database), ...createRegionLoaders(db) };
}

export type EnergyLoaders = ReturnType<typeof createEnergyLoaders>;
