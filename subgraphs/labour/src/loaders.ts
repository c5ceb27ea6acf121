import type { Database } from '@kopdes/kit';
import type { LabourDb } from './db';
import { createCooperativeLabourLoaders } from './cooperative/cooperative-labour.loaders';
import { createRegionLabourLoaders } from './region/region-labour.loaders';

/** Per-request loaders: every per-cooperative and per-region field batches into one statement. */
export function createLabourLoaders(db: LabourDb, database: Pick<Database<unknown>, 'read'>) {
  return { ...createCooperativeLabourLoaders(database), ...createRegionLabourLoaders(db) };
}

export type LabourLoaders = ReturnType<typeof createLabourLoaders>;
