import path from 'node:path';
import type { SubgraphDefinition } from '@kopdes/kit';
import { createEnergyClient, type EnergyDb } from './db';
import { createEnergyLoaders, type EnergyLoaders } from './loaders';
import { CooperativeEnergyFieldsResolver, CooperativeEnergyResolver } from './cooperative/cooperative-energy.resolver';
import { Cooperative } from './cooperative/cooperative.type';
import { ProvinceEnergyResolver, RegencyEnergyResolver } from './region/region-energy.resolver';
import { Province, Regency } from './region/region.type';
import { SolarPlantMutationResolver } from './solar-plant/solar-plant.mutation';
import { SolarPlantResolver } from './solar-plant/solar-plant.resolver';
import { VillageElectrificationMutationResolver } from './village/village-electrification.mutation';
import { VillageElectrificationResolver } from './village/village-electrification.resolver';
import { Village } from './village/village.type';
import { seedEnergy } from './seed';
import { ENERGY_SUMMARY } from './region/region.loaders';

export const energy: SubgraphDefinition<EnergyDb, EnergyLoaders> = {
  name: 'energy',
  owner: 'ESDM',
  // Region figures are public like the registry's; cooperative and village data needs a signed-in caller.
  access: { public: ['Province', 'Regency', 'EnergyAggregate'] },
  resolvers: [
    CooperativeEnergyResolver,
    CooperativeEnergyFieldsResolver,
    SolarPlantResolver,
    SolarPlantMutationResolver,
    VillageElectrificationResolver,
    VillageElectrificationMutationResolver,
    ProvinceEnergyResolver,
    RegencyEnergyResolver,
  ],
  orphanedTypes: [Cooperative, Village, Province, Regency],
  // References need no lookup: every energy field loads through a per-request DataLoader.
  references: {
    Cooperative: (ref) => ({ id: String(ref.id) }),
    Village: (ref) => ({ code: String(ref.code) }),
    Province: (ref) => ({ code: String(ref.code) }),
    Regency: (ref) => ({ code: String(ref.code) }),
  },
  migrationsDir: path.join(import.meta.dirname, '../prisma/migrations'),
  createClient: createEnergyClient,
  createLoaders: createEnergyLoaders,
  seed: seedEnergy,
  summaries: [ENERGY_SUMMARY],
};
