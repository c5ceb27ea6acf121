import { LRUCache } from 'lru-cache';
import { callerClass, personal, shareable } from './fetch-merge';
import type { FetchStage, SubgraphFetch, SubgraphResponse } from './fetch-stages';

export interface EntityCacheConfig {
  /** Off: every `_entities` fetch goes to its subgraph. */
  enabled: boolean;
  /** Bound on the kept entities (keys and JSON), in bytes. */
  maxBytes: number;
  /** Longest life of an entity; bounds staleness for writes that bypass the gateway (bulk imports). */
  ttlMs: number;
}

export interface EntityCacheCounters {
  hit(subgraph: string, n: number): void;
  miss(subgraph: string, n: number): void;
  evicted(): void;
}

const SEP = '\u0000';
/** A query plan's entity fetch: `_entities(representations: $representations)`. */
const ENTITIES = /\b_entities\s*\(\s*representations\s*:\s*\$representations\s*\)/;

/**
 * Entities as subgraphs answered `_entities` fetches, each under its subgraph, the fetch's selection
 * (query and other variables), the caller class and its representation (type and key). Kept as JSON
 * (each use gets its own objects: the executor merges into what it receives), in an LRU bounded in
 * bytes. A write to a subgraph drops its entities: through this gateway, or announced by another
 * replica over Redis (the response cache's channel); `accepting` is false while such announcements
 * could be missed. A fetch that started before a write does not keep what it read.
 */
export class EntityCache {
  private readonly lru: LRUCache<string, string>;
  private readonly generations = new Map<string, number>();
  /**
   * A short id per selection (subgraph, caller class, query, other variables): entity keys carry it
   * instead of the query text, so each of a fetch's entities is looked up by a key of tens of
   * characters, not hundreds (hashed on every lookup, and kept with every entity). Bounded; a
   * selection forgotten and seen again gets a new id, never an old one.
   */
  private readonly selections = new LRUCache<string, string>({ max: 10_000 });
  private nextSelection = 0;
  readonly stats = { hits: 0, misses: 0, evictions: 0, stored: 0, invalidations: 0 };

  constructor(
    readonly config: EntityCacheConfig,
    private readonly counters?: EntityCacheCounters,
    private readonly accepting: () => boolean = () => true,
  ) {
    this.lru = new LRUCache<string, string>({
      maxSize: Math.max(1, config.maxBytes),
      // UTF-16 in V8 at worst is 2 bytes a character; ASCII keys and JSON take one, plus the entry's bookkeeping.
      sizeCalculation: (value, key) => key.length + value.length + 64,
      ttl: config.ttlMs > 0 ? config.ttlMs : undefined,
      dispose: (_value, _key, reason) => {
        if (reason !== 'evict') return;
        this.stats.evictions += 1;
        this.counters?.evicted();
      },
    });
  }

  get enabled(): boolean {
    return this.config.enabled && this.config.maxBytes > 0;
  }

  generation(subgraph: string): number {
    return this.generations.get(subgraph) ?? 0;
  }

  /** The prefix of the entity keys of one selection (`entitiesSelectionKey`): its subgraph and a short id. */
  selectionPrefix(subgraph: string, selection: string): string {
    let id = this.selections.get(selection);
    if (id === undefined) this.selections.set(selection, (id = (this.nextSelection++).toString(36)));
    return `${subgraph}${SEP}${id}${SEP}`;
  }

  get(key: string): string | undefined {
    return this.lru.get(key);
  }

  /** Entities of one fetch answered from the cache (hits) and asked of the subgraph (misses). */
  count(subgraph: string, hits: number, misses: number): void {
    this.stats.hits += hits;
    this.stats.misses += misses;
    if (hits > 0) this.counters?.hit(subgraph, hits);
    if (misses > 0) this.counters?.miss(subgraph, misses);
  }

  /** Keeps an entity read from `subgraph` at `generation`, unless that subgraph was written since. */
  set(subgraph: string, generation: number, key: string, json: string): boolean {
    if (!this.accepting() || this.generation(subgraph) !== generation) return false;
    this.lru.set(key, json);
    this.stats.stored += 1;
    return this.lru.has(key); // an entity larger than the whole cache is not kept
  }

  /** A write reached `subgraph`: its entities are dropped, and fetches already running keep nothing. */
  invalidate(subgraph: string): void {
    this.generations.set(subgraph, this.generation(subgraph) + 1);
    this.stats.invalidations += 1;
    const prefix = `${subgraph}${SEP}`;
    for (const key of [...this.lru.keys()]) if (key.startsWith(prefix)) this.lru.delete(key);
  }

  clear(): void {
    for (const subgraph of this.generations.keys()) this.generations.set(subgraph, this.generation(subgraph) + 1);
    this.lru.clear();
  }

  size(): { entries: number; bytes: number } {
    return { entries: this.lru.size, bytes: this.lru.calculatedSize };
  }
}

/** The key of an `_entities` fetch's selection for one caller class (undefined for any other fetch); each entity's key adds its representation. */
export function entitiesSelectionKey(fetch: SubgraphFetch): string | undefined {
  const { query, variables } = fetch.options.request;
  if (!query || !ENTITIES.test(query) || !Array.isArray(variables?.representations)) return undefined;
  const { representations: _, ...others } = variables;
  return `${fetch.subgraph}${SEP}${callerClass(fetch)}${SEP}${query}${SEP}${JSON.stringify(others)}`;
}

/** The same fetch asking only for the representations at `indexes`. */
function narrowed(fetch: SubgraphFetch, representations: unknown[], indexes: number[]): SubgraphFetch {
  if (indexes.length === representations.length) return fetch;
  const { request } = fetch.options;
  const variables = { ...request.variables, representations: indexes.map((i) => representations[i]) };
  return { ...fetch, options: { ...fetch.options, request: { ...request, variables } } };
}

/**
 * The entity cache as a fetch stage: an `_entities` fetch is answered from the cache for the
 * entities it holds, and the subgraph is asked only for the others; the answer is reassembled in
 * the fetch's order (error paths renumbered). Kept: the entities of a read with no error, by a
 * known caller, selecting no personal field, that the subgraph did not flag as personal. A write
 * to a subgraph drops its entities before it is sent and again once it is done.
 */
export function entityCacheStage(cache: EntityCache): FetchStage {
  return async (fetch, next) => {
    if (!cache.enabled) return next(fetch);
    if (fetch.write) {
      cache.invalidate(fetch.subgraph);
      try {
        return await next(fetch);
      } finally {
        cache.invalidate(fetch.subgraph);
      }
    }
    const selection = shareable(fetch) ? entitiesSelectionKey(fetch) : undefined;
    if (!selection) return next(fetch);
    const prefix = cache.selectionPrefix(fetch.subgraph, selection);
    const representations = fetch.options.request.variables!.representations as unknown[];
    const keys = representations.map((r) => prefix + JSON.stringify(r));
    const found = keys.map((key) => cache.get(key));
    const misses: number[] = [];
    found.forEach((json, i) => {
      if (json === undefined) misses.push(i);
    });
    cache.count(fetch.subgraph, representations.length - misses.length, misses.length);
    if (misses.length === 0) return { data: { _entities: found.map((json) => JSON.parse(json!) as unknown) } };

    const generation = cache.generation(fetch.subgraph);
    const response = await next(narrowed(fetch, representations, misses));
    const received = (response.data as { _entities?: unknown } | null | undefined)?._entities;
    const whole = Array.isArray(received) && received.length === misses.length;
    if (whole && !response.errors?.length && !personal(response)) {
      misses.forEach((index, j) => {
        if (received[j] != null) cache.set(fetch.subgraph, generation, keys[index]!, JSON.stringify(received[j]));
      });
    }
    if (misses.length === representations.length) return response;
    return reassembled(response, found, misses, whole ? received : undefined);
  };
}

/** The cached entities with the subgraph's answers for the misses in their places; error paths point at the fetch's own order. */
function reassembled(response: SubgraphResponse, found: (string | undefined)[], misses: number[], received: unknown[] | undefined): SubgraphResponse {
  const position = new Map(misses.map((index, j) => [index, j]));
  const entities = found.map((json, i) => (json !== undefined ? (JSON.parse(json) as unknown) : (received?.[position.get(i)!] ?? null)));
  const errors = response.errors?.map((error) => {
    const path = error.path;
    if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return error;
    return { ...error, path: ['_entities', misses[path[1]] ?? path[1], ...path.slice(2)] };
  });
  return { ...response, data: { ...(response.data ?? {}), _entities: entities }, ...(errors ? { errors } : {}) };
}
