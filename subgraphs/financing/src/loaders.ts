import type { Database } from '@kopdes/kit';
import type { FinancingDb } from './db';
import { createCooperativeFinancingLoaders } from './cooperative/cooperative-financing.loaders';
import { createLoanLoaders } from './loan/loan.loaders';
import { createRegionFinancingLoaders } from './region/region-financing.loaders';

/** Per-request loaders: every per-cooperative, per-loan and per-region field batches into one statement. */
export function createFinancingLoaders(db: FinancingDb, database: Pick<Database<unknown>, 'read'>) {
  return { ...createLoanLoaders(database), ...createCooperativeFinancingLoaders(database), ...createRegionFinancingLoaders(db) };
}

export type FinancingLoaders = ReturnType<typeof createFinancingLoaders>;
