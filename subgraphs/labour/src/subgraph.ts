import path from 'node:path';
import type { SubgraphDefinition } from '@kopdes/kit';
import { createLabourClient, type LabourDb } from './db';
import { createLabourLoaders, type LabourLoaders } from './loaders';
import { CooperativeLabourMutationResolver } from './cooperative/cooperative-labour.mutation';
import { CooperativeLabourFieldsResolver, CooperativeLabourResolver } from './cooperative/cooperative-labour.resolver';
import { Province, Regency } from './region/region-labour.type';
import { ProvinceLabourResolver, RegencyLabourResolver } from './region/region-labour.resolver';
import { seedLabour } from './seed';
import { LABOUR_SUMMARY } from './region/region-labour.loaders';

export const labour: SubgraphDefinition<LabourDb, LabourLoaders> = {
  name: 'labour',
  owner: 'Kemnaker',
  // Region aggregates are public; a cooperative's workforce needs a signed-in caller. No personal data here.
  access: { public: ['Province', 'Regency', 'LabourAggregate'] },
  resolvers: [CooperativeLabourResolver, CooperativeLabourFieldsResolver, CooperativeLabourMutationResolver, ProvinceLabourResolver, RegencyLabourResolver],
  orphanedTypes: [Province, Regency],
  references: {
    Cooperative: (ref) => ({ id: String(ref.id) }),
    Province: (ref) => ({ code: String(ref.code) }),
    Regency: (ref) => ({ code: String(ref.code) }),
  },
  migrationsDir: path.join(import.meta.dirname, '../prisma/migrations'),
  createClient: createLabourClient,
  createLoaders: createLabourLoaders,
  seed: seedLabour,
  summaries: [LABOUR_SUMMARY],
};
