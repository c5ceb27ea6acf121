import path from 'node:path';
import type { SubgraphDefinition } from '@kopdes/kit';
import { createFinancingClient, type FinancingDb } from './db';
import { createFinancingLoaders, type FinancingLoaders } from './loaders';
import { CooperativeFinancingMutationResolver } from './cooperative/cooperative-financing.mutation';
import { CooperativeFinancingFieldsResolver, CooperativeFinancingResolver } from './cooperative/cooperative-financing.resolver';
import { LoanMutationResolver } from './loan/loan.mutation';
import { LoanResolver } from './loan/loan.resolver';
import { Province, Regency, Village } from './region/region-financing.type';
import { FINANCING_SUMMARY } from './region/region-financing.loaders';
import { ProvinceFinancingResolver, RegencyFinancingResolver, VillageFinancingResolver } from './region/region-financing.resolver';
import { seedFinancing } from './seed';

export const financing: SubgraphDefinition<FinancingDb, FinancingLoaders> = {
  name: 'financing',
  owner: 'Kemenkeu / Himbara banks / LPDB',
  // Region aggregates are public; loans and a cooperative's finances need a signed-in caller; writes a financing officer.
  access: { public: ['Province', 'Regency', 'Village', 'FinancingAggregate'] },
  resolvers: [
    LoanResolver,
    LoanMutationResolver,
    CooperativeFinancingResolver,
    CooperativeFinancingFieldsResolver,
    CooperativeFinancingMutationResolver,
    ProvinceFinancingResolver,
    RegencyFinancingResolver,
    VillageFinancingResolver,
  ],
  orphanedTypes: [Province, Regency, Village],
  references: {
    Cooperative: (ref) => ({ id: String(ref.id) }),
    Province: (ref) => ({ code: String(ref.code) }),
    Regency: (ref) => ({ code: String(ref.code) }),
    Village: (ref) => ({ code: String(ref.code) }),
  },
  migrationsDir: path.join(import.meta.dirname, '../prisma/migrations'),
  createClient: createFinancingClient,
  createLoaders: createFinancingLoaders,
  seed: seedFinancing,
  summaries: [FINANCING_SUMMARY],
};
