import type { GraphQLSchema } from 'graphql';
import type { NonEmptyArray } from 'type-graphql';
import type { Database } from './database';
import type { StatementScope } from './statements';

/** Who is asking, as the gateway vouched for them. */
export interface Caller {
  subject: string;
  role: 'public' | 'analyst' | 'officer' | 'admin';
  /** For officers: the ministry (subgraph owner) they act for. */
  ministry?: string;
  /** The registered purpose of use the caller reads personal data for (purposes.ts). */
  purpose?: string;
}

/** What every resolver gets: the subgraph's database, this request's loaders, ids for logs. */
export interface SubgraphContext<C = unknown, L = unknown> {
  caller: Caller;
  db: Database<C>;
  prisma: C;
  loaders: L;
  requestId: string;
  statements: StatementScope;
  /** This request's personal reads: checked against the purpose, served with their access record. */
  personal: import('./personal-read').PersonalReads;
}

type ReferenceResolver<C, L> = (reference: Record<string, unknown>, context: SubgraphContext<C, L>) => unknown;

/**
 * A ministry subgraph, as its own package declares it: its domain and nothing else.
 * The kit turns this into a federated schema, a database and a server.
 */
export interface SubgraphDefinition<C extends { $disconnect(): Promise<void> } = { $disconnect(): Promise<void> }, L = unknown> {
  /** Lower-case name: the composition name, the data folder, the env prefix. */
  name: string;
  /** The ministry or agency that owns this slice of the graph. */
  owner: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** Who may read which types and fields (see access.ts); reads default to analysts. */
  access?: import('./access').AccessPolicy;
  /**
   * Where the fields marked `@Personal()` are read from (personal-read.ts); every personal field
   * must be one of these sources' fields or a field of their person type, or the subgraph refuses
   * to start. With any, the subgraph also serves its access record (access-record.resolver.ts).
   */
  personalData?: import('./personal-read').PersonalSource<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** `__resolveReference` per entity type; go through loaders so `_entities` batches. */
  references?: Record<string, ReferenceResolver<C, L>>;
  /** Directory of `prisma/migrations`. */
  migrationsDir: string;
  createClient(adapter: import('./database').DriverAdapter): C;
  /** Per-request DataLoaders; `db` for loaders that read by plain SQL (keyLoader). */
  createLoaders(prisma: C, db: Database<C>): L;
  /** Loads this ministry's synthetic slice into an empty database (scope: region prefix or national). */
  seed?(sql: import('./migrate').SqlExecutor, scope: string | undefined): Promise<void>;
  /** False when the seed loads real reference data (regions' Kemendagri codes); default true: synthetic. */
  syntheticSeed?: boolean;
  /** Region aggregates kept summarised per province and regency, current with every write (summary.ts). */
  summaries?: readonly import('./summary').RegionSummary[];
}

export type AnySubgraph = SubgraphDefinition<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type { GraphQLSchema };
