import path from 'node:path';
import type { SubgraphDefinition } from '@kopdes/kit';
import { createCooperativesClient, type CooperativesDb } from './db';
import { createCooperativeLoaders, type CooperativeLoaders } from './cooperative/cooperative.loaders';
import { Province, Regency } from './cooperative/cooperative.type';
import { CooperativeMutationResolver } from './cooperative/cooperative.mutation';
import { CooperativeResolver, ProvinceRegistryResolver, RegencyRegistryResolver, VillageCooperativesResolver } from './cooperative/cooperative.resolver';
import { boardMembers } from './cooperative/cooperative.personal';
import { seedCooperatives } from './seed';
import { REGISTRY_SUMMARY } from './cooperative/cooperative.loaders';

export const cooperatives: SubgraphDefinition<CooperativesDb, CooperativeLoaders> = {
  name: 'cooperatives',
  owner: 'Kemenkop',
  // Board members (marked @Personal() in cooperative.type.ts) are read through boardMembers only, on the access record.
  access: {
    public: ['Province', 'Regency', 'Village', 'RegistryAggregate', 'StageCount', 'Provenance'],
  },
  personalData: [boardMembers],
  resolvers: [CooperativeResolver, CooperativeMutationResolver, VillageCooperativesResolver, ProvinceRegistryResolver, RegencyRegistryResolver],
  orphanedTypes: [Province, Regency],
  references: {
    Cooperative: (ref, { loaders }) => loaders.cooperative.load(String(ref.id)),
    Village: (ref) => ({ code: String(ref.code) }),
    Province: (ref) => ({ code: String(ref.code) }),
    Regency: (ref) => ({ code: String(ref.code) }),
  },
  migrationsDir: path.join(import.meta.dirname, '../prisma/migrations'),
  createClient: createCooperativesClient,
  createLoaders: createCooperativeLoaders,
  seed: seedCooperatives,
  summaries: [REGISTRY_SUMMARY],
};

export { cooperativesImporters } from './import';
