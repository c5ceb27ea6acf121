import path from 'node:path';
import type { SubgraphDefinition } from '@kopdes/kit';
import { createDigitalClient, type DigitalDb } from './db';
import { createDigitalLoaders, type DigitalLoaders } from './loaders';
import { CooperativeDigitalMutationResolver } from './cooperative/cooperative-digital.mutation';
import { CooperativeDigitalResolver } from './cooperative/cooperative-digital.resolver';
import { Cooperative } from './cooperative/cooperative.type';
import { ProvinceDigitalResolver, RegencyDigitalResolver } from './region/region-digital.resolver';
import { Province, Regency } from './region/region.type';
import { VillageConnectivityMutationResolver } from './village/village-connectivity.mutation';
import { VillageConnectivityResolver } from './village/village-connectivity.resolver';
import { Village } from './village/village.type';
import { seedDigital } from './seed';
import { DIGITAL_SUMMARY } from './region/region.loaders';

export const digital: SubgraphDefinition<DigitalDb, DigitalLoaders> = {
  name: 'digital',
  owner: 'Komdigi / Telkom',
  // Region figures are public like the registry's; cooperative and village data needs a signed-in caller.
  access: { public: ['Province', 'Regency', 'DigitalAggregate'] },
  resolvers: [
    VillageConnectivityResolver,
    VillageConnectivityMutationResolver,
    CooperativeDigitalResolver,
    CooperativeDigitalMutationResolver,
    ProvinceDigitalResolver,
    RegencyDigitalResolver,
  ],
  orphanedTypes: [Cooperative, Village, Province, Regency],
  // References need no lookup: every digital field loads through a per-request DataLoader.
  references: {
    Cooperative: (ref) => ({ id: String(ref.id) }),
    Village: (ref) => ({ code: String(ref.code) }),
    Province: (ref) => ({ code: String(ref.code) }),
    Regency: (ref) => ({ code: String(ref.code) }),
  },
  migrationsDir: path.join(import.meta.dirname, '../prisma/migrations'),
  createClient: createDigitalClient,
  createLoaders: createDigitalLoaders,
  seed: seedDigital,
  summaries: [DIGITAL_SUMMARY],
};
