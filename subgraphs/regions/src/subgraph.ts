import path from 'node:path';
import type { SubgraphDefinition } from '@kopdes/kit';
import { createRegionsClient, type RegionsDb } from './db';
import { createRegionLoaders, type RegionLoaders } from './region/region.loaders';
import { DistrictResolver, ProvinceResolver, RegencyResolver, RegionQueryResolver, VillageResolver } from './region/region.resolver';
import { seedRegions } from './seed';

export const regions: SubgraphDefinition<RegionsDb, RegionLoaders> = {
  name: 'regions',
  owner: 'Kemendagri',
  // Region codes and names are public information.
  access: { default: 'public' },
  resolvers: [RegionQueryResolver, ProvinceResolver, RegencyResolver, DistrictResolver, VillageResolver],
  references: {
    Province: (ref, { loaders }) => loaders.province.load(String(ref.code)),
    Regency: (ref, { loaders }) => loaders.regency.load(String(ref.code)),
    District: (ref, { loaders }) => loaders.district.load(String(ref.code)),
    Village: (ref, { loaders }) => loaders.village.load(String(ref.code)),
  },
  migrationsDir: path.join(import.meta.dirname, '../prisma/migrations'),
  createClient: createRegionsClient,
  createLoaders: createRegionLoaders,
  seed: seedRegions,
  // The Kemendagri codes and names are real, not synthetic.
  syntheticSeed: false,
};
