import type { Database } from '@kopdes/kit';
import type { DigitalDb } from './db';
import { createCooperativeLoaders } from './cooperative/cooperative.loaders';
import { createRegionLoaders } from './region/region.loaders';
import { createVillageLoaders } from './village/village.loaders';

/** Per-request DataLoaders: every per-cooperative, per-village and per-region field batches. */
export function createDigitalLoaders(db: DigitalDb, database: Pick<Database<unknown>, 'read'>) {
  return { ...createCooperativeLoaders(database), ...createVillageLoaders(database), ...createRegionLoaders(db) };
}

export type DigitalLoaders = ReturnType<typeof createDigitalLoaders>;
