import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentBoundsFromEnv, type DocumentBounds } from '@kopdes/kit';
import type { EntityCacheConfig } from './entity-cache';
import type { ResponseCacheConfig } from './response-cache';

const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Abuse limits; each refusal is a 4xx with a code and a message naming the limit. */
export interface Limits {
  /** Deepest field nesting (introspection may go to 20 so GraphiQL keeps working). */
  maxDepth: number;
  /** Estimated fields resolved, list sizes multiplied in (see limits.ts). */
  maxCost: number;
  /** Aliased fields in one document. */
  maxAliases: number;
  /** Lexical tokens in one document (parsing stops beyond). */
  maxTokens: number;
  /** Largest `first` argument, anywhere in the graph; subgraphs enforce their own tighter caps. */
  maxPageSize: number;
  /** Request body size in bytes (413 beyond). */
  maxBodyBytes: number;
  /** Operations in one batched HTTP request (a JSON array). */
  maxBatchSize: number;
}

export interface RateLimitConfig {
  /** Operations per client per window; 0 turns rate limiting off. */
  max: number;
  windowMs: number;
  /** Shared store for several gateway replicas; memory when absent. */
  redisUrl?: string;
  /** Use the first X-Forwarded-For hop as the client address (behind a trusted load balancer). */
  trustProxy: boolean;
}

export interface GatewayConfig {
  /** A Federation 2 supergraph file (ours or anyone's). */
  supergraphPath: string;
  /** Reload the supergraph when its file changes. */
  watchSupergraph: boolean;
  /** Subgraph URL overrides by subgraph name, for deployment. */
  subgraphUrls: Record<string, string>;
  /** Where registered client operations live (saved questions, persisted queries). */
  operationsDir: string;
  /** Safelist mode: only the registered operations run, sent by id or as their exact document. */
  persistedOperationsOnly: boolean;
  introspection: boolean;
  production: boolean;
  /** Per-subgraph fetch timeout. */
  subgraphTimeoutMs: number;
  /** Per-subgraph /health probe timeout for GET /ready. */
  readyTimeoutMs: number;
  /** How long shutdown waits for in-flight requests before cutting them. */
  shutdownTimeoutMs: number;
  /** Browser origins allowed to call the gateway (CORS); empty: same-origin only. */
  corsOrigins: string[];
  limits: Limits;
  /** Checked before parsing and validation, and before the response cache (document-bounds.ts). */
  documentBounds: DocumentBounds;
  rateLimit: RateLimitConfig;
  responseCache: ResponseCacheConfig & {
    /** Run the registered operations once at start as the public role: plans built, public answers cached. */
    warm: boolean;
  };
  /** Entities of `_entities` fetches, per subgraph, selection and caller class (entity-cache.ts). */
  entityCache: EntityCacheConfig;
  /** Merge identical subgraph reads in flight, per caller class (fetch-merge.ts). */
  mergeFetches: boolean;
  /** Batch `_entities` reads of different requests issued in the same turn into one subgraph request, per caller class (entity-batch.ts). */
  batchEntities: boolean;
  /** Total estimated cost executing at once, and the cost from which an operation counts (execution-budget.ts); 0 turns it off. */
  executionBudget: { budget: number; minCost: number; maxWaiting: number; maxWaitMs: number };
}

const number = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative number; got "${value}".`);
  return parsed;
};

/**
 * Reads configuration from the environment:
 * - SUPERGRAPH_PATH (default schema/supergraph.graphql), SUPERGRAPH_WATCH (default true: hot reload on change),
 *   SUBGRAPH_<NAME>_URL, OPERATIONS_DIR;
 * - PERSISTED_OPERATIONS_ONLY (false): true runs only the registered operations in OPERATIONS_DIR, sent by
 *   id (`extensions.persistedQuery.sha256Hash`, listed in /operations.json) or as their exact document;
 *   anything else is refused with PERSISTED_QUERY_NOT_IN_LIST, and introspection is off unless INTROSPECTION=true;
 * - NODE_ENV (production: introspection and stack traces off), INTROSPECTION (true/false, overrides NODE_ENV);
 * - SUBGRAPH_TIMEOUT_MS (10000), READY_TIMEOUT_MS (1000), SHUTDOWN_TIMEOUT_MS (15000);
 * - CORS_ORIGINS: comma-separated allowed browser origins, e.g. "https://dashboard.example.go.id";
 * - limits: MAX_DEPTH (12), MAX_COST (250000: twice the costliest registered operation), MAX_ALIASES (50), MAX_TOKENS (10000), MAX_PAGE_SIZE (5000),
 *   MAX_BODY_BYTES (1048576), MAX_BATCH_SIZE (10);
 * - document bounds, checked before parsing and validation (kit/src/document-bounds.ts): DOCUMENT_BOUNDS (true),
 *   MAX_DOCUMENT_LENGTH (65536), MAX_NESTING (32), MAX_LITERAL_LENGTH (4096), MAX_OPERATIONS (16), MAX_FRAGMENTS (64),
 *   MAX_VARIABLES (64), MAX_SELECTION_FIELDS (128), MAX_FIELDS (1500), MAX_ARGUMENTS (24), MAX_NODE_DIRECTIVES (8),
 *   MAX_DIRECTIVES (128), MAX_VARIABLES_DEPTH (12), MAX_VARIABLE_VALUES (20000), DOCUMENT_BOUNDS_CACHE (2000 documents);
 *   MAX_TOKENS is shared with the parser;
 * - rate limiting per client (token subject, else address): RATE_LIMIT_MAX operations (600; 0 = off) per
 *   RATE_LIMIT_WINDOW_MS (60000); REDIS_URL shares the budget between replicas; TRUST_PROXY=true reads
 *   the client address from X-Forwarded-For;
 * - response cache (whole answers to read-only operations, per role; invalidated by every mutation that
 *   goes through the gateway, on every replica when REDIS_URL is set): RESPONSE_CACHE (true),
 *   RESPONSE_CACHE_TTL_MS (30000: the staleness bound for writes that bypass the gateway, e.g. bulk
 *   imports), RESPONSE_CACHE_MAX_MB (64), RESPONSE_CACHE_MAX_ENTRY_MB (4), RESPONSE_CACHE_WARM (true).
 *   A client gets a fresh answer with `Cache-Control: no-cache`.
 * - subgraph fetches: MERGE_FETCHES (true) merges identical reads in flight (same subgraph, query, variables,
 *   role, ministry and purpose; never writes or personal reads); ENTITY_CACHE (false) keeps the entities of
 *   `_entities` answers per subgraph, selection and caller class, dropped by writes like the response cache,
 *   within ENTITY_CACHE_MAX_MB (16) and ENTITY_CACHE_TTL_MS (30000); BATCH_ENTITIES (true) sends the
 *   `_entities` reads of different requests issued in the same turn as one subgraph request (same subgraph,
 *   selection and caller class; never writes or personal reads).
 * - memory: EXECUTION_COST_BUDGET (40000; 0 = off) bounds the estimated cost (MAX_COST's measure) of the operations
 *   executing at once, e.g. two regency exports of 500 cooperatives (20,000 each); operations under
 *   EXECUTION_COST_MIN (1000) never wait (a profile costs 40, the national dashboard 761); at most
 *   EXECUTION_QUEUE_MAX (200) wait, each at most EXECUTION_QUEUE_WAIT_MS (30000), else 503 with Retry-After.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match && value) subgraphUrls[match[1]!.toLowerCase().replace(/_/g, '-')] = value;
  }
  const production = env.NODE_ENV === 'production';
  const persistedOperationsOnly = env.PERSISTED_OPERATIONS_ONLY === 'true';
  return {
    supergraphPath: path.resolve(env.SUPERGRAPH_PATH ?? path.join(repoRoot, 'schema/supergraph.graphql')),
    watchSupergraph: env.SUPERGRAPH_WATCH !== 'false',
    subgraphUrls,
    operationsDir: path.resolve(env.OPERATIONS_DIR ?? path.join(repoRoot, 'schema/operations')),
    persistedOperationsOnly,
    introspection: env.INTROSPECTION ? env.INTROSPECTION === 'true' : !production && !persistedOperationsOnly,
    production,
    subgraphTimeoutMs: number(env.SUBGRAPH_TIMEOUT_MS, 10_000, 'SUBGRAPH_TIMEOUT_MS'),
    readyTimeoutMs: number(env.READY_TIMEOUT_MS, 1_000, 'READY_TIMEOUT_MS'),
    shutdownTimeoutMs: number(env.SHUTDOWN_TIMEOUT_MS, 15_000, 'SHUTDOWN_TIMEOUT_MS'),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean),
    limits: {
      maxDepth: number(env.MAX_DEPTH, 12, 'MAX_DEPTH'),
      maxCost: number(env.MAX_COST, 250_000, 'MAX_COST'),
      maxAliases: number(env.MAX_ALIASES, 50, 'MAX_ALIASES'),
      maxTokens: number(env.MAX_TOKENS, 10_000, 'MAX_TOKENS'),
      maxPageSize: number(env.MAX_PAGE_SIZE, 5_000, 'MAX_PAGE_SIZE'),
      maxBodyBytes: number(env.MAX_BODY_BYTES, 1_048_576, 'MAX_BODY_BYTES'),
      maxBatchSize: number(env.MAX_BATCH_SIZE, 10, 'MAX_BATCH_SIZE'),
    },
    documentBounds: documentBoundsFromEnv(env), // reads MAX_TOKENS too: the same bound as the parser's
    rateLimit: {
      max: number(env.RATE_LIMIT_MAX, 600, 'RATE_LIMIT_MAX'),
      windowMs: number(env.RATE_LIMIT_WINDOW_MS, 60_000, 'RATE_LIMIT_WINDOW_MS'),
      redisUrl: env.REDIS_URL || undefined,
      trustProxy: env.TRUST_PROXY === 'true',
    },
    responseCache: {
      enabled: env.RESPONSE_CACHE !== 'false',
      ttlMs: number(env.RESPONSE_CACHE_TTL_MS, 30_000, 'RESPONSE_CACHE_TTL_MS'),
      maxBytes: number(env.RESPONSE_CACHE_MAX_MB, 64, 'RESPONSE_CACHE_MAX_MB') * 1024 * 1024,
      maxEntryBytes: number(env.RESPONSE_CACHE_MAX_ENTRY_MB, 4, 'RESPONSE_CACHE_MAX_ENTRY_MB') * 1024 * 1024,
      redisUrl: env.REDIS_URL || undefined,
      warm: env.RESPONSE_CACHE_WARM !== 'false',
    },
    entityCache: {
      // Off unless asked for: with batching, on the realistic workload it saved no subgraph request and cost CPU and memory (README).
      enabled: env.ENTITY_CACHE === 'true',
      maxBytes: number(env.ENTITY_CACHE_MAX_MB, 16, 'ENTITY_CACHE_MAX_MB') * 1024 * 1024,
      ttlMs: number(env.ENTITY_CACHE_TTL_MS, 30_000, 'ENTITY_CACHE_TTL_MS'),
    },
    mergeFetches: env.MERGE_FETCHES !== 'false',
    batchEntities: env.BATCH_ENTITIES !== 'false',
    executionBudget: {
      budget: number(env.EXECUTION_COST_BUDGET, 40_000, 'EXECUTION_COST_BUDGET'),
      minCost: number(env.EXECUTION_COST_MIN, 1_000, 'EXECUTION_COST_MIN'),
      maxWaiting: number(env.EXECUTION_QUEUE_MAX, 200, 'EXECUTION_QUEUE_MAX'),
      maxWaitMs: number(env.EXECUTION_QUEUE_WAIT_MS, 30_000, 'EXECUTION_QUEUE_WAIT_MS'),
    },
  };
}
