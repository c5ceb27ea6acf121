import path from 'node:path';
import type { SubgraphDefinition } from '@kopdes/kit';
import { createVillagesClient, type VillagesDb } from './db';
import { createVillagesLoaders, type VillagesLoaders } from './loaders';
import { Province, Regency } from './region/region-development.type';
import { ProvinceDevelopmentResolver, RegencyDevelopmentResolver } from './region/region-development.resolver';
import { VillageDevelopmentMutationResolver } from './village/village-development.mutation';
import { VillageDevelopmentResolver } from './village/village-development.resolver';
import { seedVillages } from './seed';
import { DEVELOPMENT_SUMMARY } from './region/region-development.loaders';

export const villages: SubgraphDefinition<VillagesDb, VillagesLoaders> = {
  name: 'villages',
  owner: 'Kemendes PDT',
  // Indeks Desa categories and Dana Desa ceilings are published per village: public, like region data.
  access: { default: 'public' },
  resolvers: [VillageDevelopmentResolver, VillageDevelopmentMutationResolver, ProvinceDevelopmentResolver, RegencyDevelopmentResolver],
  orphanedTypes: [Province, Regency],
  references: {
    Village: (ref) => ({ code: String(ref.code) }),
    Province: (ref) => ({ code: String(ref.code) }),
    Regency: (ref) => ({ code: String(ref.code) }),
  },
  migrationsDir: path.join(import.meta.dirname, '../prisma/migrations'),
  createClient: createVillagesClient,
  createLoaders: createVillagesLoaders,
  seed: seedVillages,
  summaries: [DEVELOPMENT_SUMMARY],
};
