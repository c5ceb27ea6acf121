import { Redis } from 'ioredis';
import { log } from '@kopdes/kit';
import type { RateLimitConfig } from './config';

/**
 * Per-client rate limiting in fixed windows aligned to the clock, so every replica agrees on
 * when a window starts. Memory store by default; with REDIS_URL the count lives in Redis and
 * replicas share one budget per client.
 */
export interface RateLimitStore {
  /** Adds `cost` to the client's count in `window` and returns the new count. */
  hit(key: string, window: number, cost: number, windowMs: number): Promise<number>;
  close(): Promise<void>;
}

export class MemoryStore implements RateLimitStore {
  private window = -1;
  private counts = new Map<string, number>();

  async hit(key: string, window: number, cost: number): Promise<number> {
    if (window !== this.window) {
      // A new window: every count of the last one is dropped at once, so memory stays bounded.
      this.window = window;
      this.counts = new Map();
    }
    const count = (this.counts.get(key) ?? 0) + cost;
    this.counts.set(key, count);
    return count;
  }

  async close(): Promise<void> {}
}

const HIT_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count`;

export class RedisStore implements RateLimitStore {
  private readonly redis: Redis;
  private warnedAt = 0;

  constructor(
    url: string,
    private readonly prefix = 'kopdes:ratelimit:',
  ) {
    // Fail fast: a slow or absent Redis must not hold requests.
    // No command retries: INCRBY is not idempotent, and a retried hit would spend the budget twice.
    this.redis = new Redis(url, { maxRetriesPerRequest: 0, connectTimeout: 2_000, commandTimeout: 2_000, enableOfflineQueue: true, lazyConnect: false });
    this.redis.on('error', (error: Error) => this.warn(error));
    this.redis.defineCommand('kopdesHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  /** Logs a store failure, at most every 10 s. */
  warn(error: Error): void {
    if (Date.now() - this.warnedAt < 10_000) return;
    this.warnedAt = Date.now();
    log.warn('rate limit store unavailable; requests are let through', { store: 'redis', error: error.message });
  }

  async hit(key: string, window: number, cost: number, windowMs: number): Promise<number> {
    const hit = (this.redis as unknown as { kopdesHit(key: string, cost: number, ttl: number): Promise<number> }).kopdesHit;
    return Number(await hit.call(this.redis, `${this.prefix}${window}:${key}`, cost, windowMs + 1_000));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export class RateLimiter {
  constructor(
    private readonly config: RateLimitConfig,
    private readonly store: RateLimitStore,
  ) {}

  static fromConfig(config: RateLimitConfig): RateLimiter | undefined {
    if (config.max <= 0) return undefined;
    return new RateLimiter(config, config.redisUrl ? new RedisStore(config.redisUrl) : new MemoryStore());
  }

  get kind(): string {
    return this.store instanceof RedisStore ? 'redis' : 'memory';
  }

  /** Counts `cost` operations for the client; a store failure lets the request through. */
  async take(client: string, cost = 1): Promise<RateLimitDecision> {
    const { max, windowMs } = this.config;
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    let count: number;
    try {
      count = await this.store.hit(client, window, cost, windowMs);
    } catch (error) {
      if (this.store instanceof RedisStore) this.store.warn(error as Error);
      return { allowed: true, limit: max, remaining: max, resetSeconds };
    }
    return { allowed: count <= max, limit: max, remaining: Math.max(0, max - count), resetSeconds };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
