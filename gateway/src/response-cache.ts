import { createHash } from 'node:crypto';
import { log } from '@kopdes/kit';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** A whole GraphQL HTTP answer as the gateway sends it. */
export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Operation names, for the request log and metrics of a hit. */
  operations: string[];
}

export interface ResponseCacheConfig {
  /** Off: every request executes. */
  enabled: boolean;
  /** Longest life of an answer; bounds staleness for writes that bypass the gateway (bulk imports). */
  ttlMs: number;
  /** Total size of the bodies kept. */
  maxBytes: number;
  /** Larger answers are not kept. */
  maxEntryBytes: number;
  /** Replicas sharing invalidations (pub/sub); this replica only when absent. */
  redisUrl?: string;
}

interface Entry {
  answer: CachedAnswer;
  bytes: number;
  expires: number;
  /** The subgraphs the answer was read from, with their generation when the request started. */
  reads: [subgraph: string, generation: number][];
}

/** Generations of every subgraph when a request started: a later write makes its answer unusable. */
export interface Snapshot {
  version: number;
  generations: ReadonlyMap<string, number>;
}

const CHANNEL = 'kopdes:response-cache:invalidate';

/**
 * For writers outside the gateway (bulk imports): tells every gateway replica listening on
 * `redisUrl` that `subgraph` changed. Without Redis, gateways see such writes within
 * RESPONSE_CACHE_TTL_MS (embedded imports need the stack stopped, which empties the cache).
 */
export async function announceWrite(redisUrl: string, subgraph: string): Promise<number> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  try {
    await client.connect();
    return await client.publish(CHANNEL, subgraph);
  } finally {
    client.disconnect();
  }
}

/**
 * Whole answers to read-only operations, per caller class (role and ministry decide what a
 * caller may see, so they are part of the key). Correct after writes without a TTL guess: each
 * subgraph has a generation, bumped when a mutation goes to it through this gateway (or, with
 * REDIS_URL, through any replica); an answer records the generation of each subgraph it read,
 * as of the start of its request, and is only served while all of them are unchanged.
 * Identical requests in flight at the same time share one execution.
 */
export class ResponseCache {
  /** Least recently used answers go first once the bodies exceed maxBytes. */
  private readonly entries: LRUCache<string, Entry>;
  private readonly inFlight = new Map<string, { version: number; answer: Promise<CachedAnswer | undefined> }>();
  private readonly generations = new Map<string, number>();
  /** Bumped by every invalidation: requests that started before it may not share a newer request's answer. */
  private version = 0;
  /** False while invalidations from other replicas could go unseen (Redis not subscribed). */
  private accepting = true;
  private publisher?: Redis;
  private subscriber?: Redis;
  readonly stats = { hits: 0, misses: 0, shared: 0, stored: 0, invalidations: 0 };
  /** Others told of every invalidation, local or announced (the entity cache). */
  private readonly listeners: ((subgraph: string | undefined) => void)[] = [];

  /** `listen`: subscribe to other replicas' announcements even with the cache off (another cache relies on them). */
  constructor(
    private readonly config: ResponseCacheConfig,
    listen = false,
  ) {
    this.entries = new LRUCache({ maxSize: Math.max(1, config.maxBytes), sizeCalculation: (entry) => Math.max(1, entry.bytes) });
    if ((config.enabled || listen) && config.redisUrl) this.connect(config.redisUrl);
  }

  /** `listener(subgraph)` on each write, `listener(undefined)` when everything is dropped. */
  onInvalidate(listener: (subgraph: string | undefined) => void): void {
    this.listeners.push(listener);
  }

  /** False while another replica's writes could go unseen (Redis configured but not subscribed). */
  get trusted(): boolean {
    return this.accepting;
  }

  get enabled(): boolean {
    return this.config.enabled;
  }

  /** The cache key of one operation for one class of caller. */
  static key(parts: {
    role: string;
    ministry?: string;
    accept?: string;
    query?: unknown;
    operationName?: unknown;
    variables?: unknown;
    extensions?: unknown;
  }): string {
    const hash = createHash('sha256');
    for (const part of [parts.role, parts.ministry ?? '', parts.accept ?? '', parts.query ?? '', parts.operationName ?? ''])
      hash.update(`${String(part)}\u0000`);
    hash.update(JSON.stringify(parts.variables ?? null));
    hash.update(JSON.stringify(parts.extensions ?? null));
    return hash.digest('base64url');
  }

  snapshot(): Snapshot {
    return { version: this.version, generations: new Map(this.generations) };
  }

  get(key: string, now = Date.now()): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expires > now && entry.reads.every(([subgraph, generation]) => (this.generations.get(subgraph) ?? 0) === generation)) {
      this.stats.hits += 1;
      return entry.answer;
    }
    if (entry) this.entries.delete(key);
    this.stats.misses += 1;
    return undefined;
  }

  /** Keeps an answer read from `subgraphs`, unless one of them was written since `snapshot`. */
  set(key: string, answer: CachedAnswer, subgraphs: Iterable<string>, snapshot: Snapshot): boolean {
    const bytes = Buffer.byteLength(answer.body);
    if (!this.accepting || bytes > this.config.maxEntryBytes) return false;
    const reads: [string, number][] = [];
    for (const subgraph of subgraphs) {
      const generation = snapshot.generations.get(subgraph) ?? 0;
      if ((this.generations.get(subgraph) ?? 0) !== generation) return false; // written meanwhile: already stale
      reads.push([subgraph, generation]);
    }
    this.entries.set(key, { answer, bytes, expires: Date.now() + this.config.ttlMs, reads });
    if (!this.entries.has(key)) return false; // larger than the whole cache
    this.stats.stored += 1;
    return true;
  }

  /**
   * Runs `execute` once for concurrent identical requests: a request joins one already running
   * for the same key if no write happened in between, and takes its answer if it was cacheable.
   */
  async shared(
    key: string,
    snapshot: Snapshot,
    execute: () => Promise<{ answer: CachedAnswer; cacheable: boolean }>,
  ): Promise<{ answer: CachedAnswer; from: 'shared' | 'executed' }> {
    const running = this.inFlight.get(key);
    if (running && running.version === snapshot.version) {
      const answer = await running.answer;
      if (answer) {
        this.stats.shared += 1;
        return { answer, from: 'shared' };
      }
    }
    let settle!: (answer: CachedAnswer | undefined) => void;
    const mine = {
      version: snapshot.version,
      answer: new Promise<CachedAnswer | undefined>((resolve) => {
        settle = resolve;
      }),
    };
    this.inFlight.set(key, mine);
    try {
      const { answer, cacheable } = await execute();
      settle(cacheable ? answer : undefined);
      return { answer, from: 'executed' };
    } catch (error) {
      settle(undefined);
      throw error;
    } finally {
      if (this.inFlight.get(key) === mine) this.inFlight.delete(key);
    }
  }

  /** A write reached `subgraph`: every answer read from it is dropped, here and (with Redis) on every replica. */
  invalidate(subgraph: string, broadcast = true): void {
    this.generations.set(subgraph, (this.generations.get(subgraph) ?? 0) + 1);
    this.version += 1;
    this.stats.invalidations += 1;
    for (const listener of this.listeners) listener(subgraph);
    if (broadcast && this.publisher) {
      this.publisher
        .publish(CHANNEL, subgraph)
        .catch((error: unknown) => log.warn('response cache: invalidation not shared', { subgraph, error: (error as Error).message }));
    }
  }

  /** Drops everything (a new supergraph). */
  clear(): void {
    this.entries.clear();
    this.version += 1;
    for (const listener of this.listeners) listener(undefined);
  }

  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }

  async close(): Promise<void> {
    const clients = [this.publisher, this.subscriber].filter((client) => client !== undefined);
    await Promise.all(clients.map((client) => client.quit().catch(() => undefined)));
  }

  private connect(url: string): void {
    const options = { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => log.warn('response cache: Redis unavailable', { error: error.message }));
    }
    // Until the subscription is confirmed, another replica's writes could go unseen: keep nothing.
    this.accepting = false;
    this.subscriber.on('ready', () => {
      this.subscriber!.subscribe(CHANNEL).then(
        () => {
          this.clear();
          this.accepting = true;
        },
        () => {
          this.accepting = false;
        },
      );
    });
    this.subscriber.on('close', () => {
      this.accepting = false;
      this.clear();
    });
    this.subscriber.on('message', (_channel: string, subgraph: string) => this.invalidate(subgraph, false));
  }
}
