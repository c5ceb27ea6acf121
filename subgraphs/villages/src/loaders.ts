import type { Database } from '@kopdes/kit';
import type { VillagesDb } from './db';
import { createRegionDevelopmentLoaders } from './region/region-development.loaders';
import { createVillageDevelopmentLoaders } from './village/village-development.loaders';

/** Per-request loaders: every per-village and per-region field batches into one statement. */
export function createVillagesLoaders(db: VillagesDb, database: Pick<Database<unknown>, 'read'>) {
  return { ...createVillageDevelopmentLoaders(database), ...createRegionDevelopmentLoaders(db) };
}

export type VillagesLoaders = ReturnType<typeof createVillagesLoaders>;
