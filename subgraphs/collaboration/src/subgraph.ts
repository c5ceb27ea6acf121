import path from 'node:path';
import type { SubgraphDefinition } from '@kopdes/kit';
import { createCollaborationClient, type CollaborationDb } from './db';
import { createCollaborationLoaders, type CollaborationLoaders } from './loaders';
import { AgencyResolver } from './agency/agency.resolver';
import {
  CommitmentFieldsResolver,
  CommitmentProgressFieldsResolver,
  CommitmentResolver,
  CommitmentRevisionAuthorResolver,
} from './commitment/commitment.resolver';
import { revisionAuthors } from './commitment/commitment.personal';
import { CommitmentMutationResolver } from './commitment/commitment.mutation';
import { toCommitment } from './commitment/commitment.type';
import { IndicatorResolver } from './indicator/indicator.resolver';
import { PilotSiteMutationResolver } from './pilot-site/pilot-site.mutation';
import { PilotSiteResolver } from './pilot-site/pilot-site.resolver';
import { Cooperative, Village } from './pilot-site/pilot-site.type';
import { AgencyProgressResolver, ProvinceTaskForceFieldsResolver, ProvinceTaskForceResolver } from './province/province-task-force.resolver';
import { Province } from './province/province.type';
import { TaskForceRegionResolver } from './task-force-region/task-force-region.resolver';
import { seedCollaboration } from './seed';

export const collaboration: SubgraphDefinition<CollaborationDb, CollaborationLoaders> = {
  name: 'collaboration',
  owner: 'LAN / Task Force',
  // The dashboard of collaborative work is public, and so are pilot sites: programme facts (which village
  // pilots which model). The cooperative behind a site stays analyst-only, as every registry record.
  // Writes are the Task Force secretariat's (officers whose ministry claim is "collaboration") and admins'.
  // Who revised a target (an official's identity, marked @Personal()) is theirs to read, on the access record.
  access: {
    public: [
      'Agency',
      'Commitment',
      'CommitmentProgress',
      'CommitmentRevision',
      'TaskForceRegion',
      'Province',
      'ProvinceTaskForce',
      'AgencyProgress',
      'IndicatorInfo',
      'Village',
      'Query.agencies',
      'Query.agency',
      'Query.taskForceRegions',
      'Query.taskForceRegion',
      'Query.commitments',
      'Query.commitment',
      'Query.indicators',
      'Query.pilotSites',
      ...['id', 'model', 'developmentStatus', 'area3T', 'outermostSmallIsland', 'categories', 'selectedOn', 'village', 'province', 'region'].map(
        (field) => `PilotSite.${field}`,
      ),
    ],
  },
  resolvers: [
    AgencyResolver,
    IndicatorResolver,
    TaskForceRegionResolver,
    CommitmentResolver,
    CommitmentFieldsResolver,
    CommitmentProgressFieldsResolver,
    CommitmentRevisionAuthorResolver,
    CommitmentMutationResolver,
    ProvinceTaskForceResolver,
    ProvinceTaskForceFieldsResolver,
    AgencyProgressResolver,
    PilotSiteResolver,
    PilotSiteMutationResolver,
  ],
  orphanedTypes: [Province, Cooperative, Village],
  references: {
    Agency: (ref, { loaders }) => loaders.agency.load(String(ref.code)),
    Commitment: async (ref, { loaders }) => {
      const row = await loaders.commitment.load(String(ref.id));
      return row && toCommitment(row);
    },
    // The representation itself: with `code` and, for taskForce, the figures the gateway fetched (@requires).
    Province: (ref) => ({ ...ref, code: String(ref.code) }),
  },
  personalData: [revisionAuthors],
  migrationsDir: path.join(import.meta.dirname, '../prisma/migrations'),
  createClient: createCollaborationClient,
  createLoaders: createCollaborationLoaders,
  seed: seedCollaboration,
};
