import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config';
import { applyCors } from '../src/cors';
import { MemoryStore, RateLimiter } from '../src/rate-limit';
import { subgraphsOf } from '../src/supergraph';

describe('configuration', () => {
  it('reads limits, CORS and rate limiting from the environment, with safe defaults', () => {
    const defaults = configFromEnv({});
    expect(defaults.limits).toEqual({
      maxDepth: 12,
      maxCost: 250_000,
      maxAliases: 50,
      maxTokens: 10_000,
      maxPageSize: 5_000,
      maxBodyBytes: 1_048_576,
      maxBatchSize: 10,
    });
    expect(defaults.rateLimit).toEqual({ max: 600, windowMs: 60_000, redisUrl: undefined, trustProxy: false });
    expect(defaults.introspection).toBe(true);
    expect(defaults.watchSupergraph).toBe(true);
    const production = configFromEnv({
      NODE_ENV: 'production',
      MAX_DEPTH: '8',
      CORS_ORIGINS: 'https://a.go.id, https://b.go.id/',
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_MAX: '0',
    });
    expect(production).toMatchObject({
      introspection: false,
      production: true,
      corsOrigins: ['https://a.go.id', 'https://b.go.id'],
      limits: { maxDepth: 8 },
      rateLimit: { max: 0, redisUrl: 'redis://127.0.0.1:6379' },
    });
    expect(configFromEnv({ NODE_ENV: 'production', INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(() => configFromEnv({ MAX_COST: 'lots' })).toThrow('MAX_COST must be a non-negative number; got "lots".');
  });
});

describe('rate limiter', () => {
  it('counts per client in clock-aligned windows, batches by their operations', async () => {
    const limiter = new RateLimiter({ max: 3, windowMs: 24 * 3600 * 1000, trustProxy: false }, new MemoryStore());
    expect((await limiter.take('a', 2)).allowed).toBe(true);
    const last = await limiter.take('a');
    expect(last).toMatchObject({ allowed: true, remaining: 0, limit: 3 });
    expect(await limiter.take('a')).toMatchObject({ allowed: false, remaining: 0 });
    expect((await limiter.take('b', 3)).allowed).toBe(true);
    expect(RateLimiter.fromConfig({ max: 0, windowMs: 1000, trustProxy: false })).toBeUndefined();
  });

  it('starts a fresh count in each window and forgets the last one', async () => {
    const store = new MemoryStore();
    expect(await store.hit('a', 1, 5)).toBe(5);
    expect(await store.hit('a', 1, 1)).toBe(6);
    expect(await store.hit('a', 2, 1)).toBe(1);
  });

  it('lets requests through when the shared store fails', async () => {
    const failing = { hit: () => Promise.reject(new Error('down')), close: async () => {} };
    const limiter = new RateLimiter({ max: 1, windowMs: 1000, trustProxy: false }, failing);
    expect((await limiter.take('a', 5)).allowed).toBe(true);
  });
});

describe('CORS', () => {
  it('answers preflights only for allowed origins', async () => {
    const server = http.createServer((req, res) => {
      if (!applyCors(req, res, new Set(['https://ok.go.id']))) res.end('served');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const ok = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://ok.go.id' } });
    expect([ok.status, ok.headers.get('access-control-allow-origin')]).toEqual([204, 'https://ok.go.id']);
    const bad = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://bad.example' } });
    expect(bad.status).toBe(403);
    const get = await fetch(url, { headers: { origin: 'https://bad.example' } });
    expect([await get.text(), get.headers.get('access-control-allow-origin')]).toEqual(['served', null]);
    await new Promise((r) => server.close(r));
  });
});

describe('supergraph', () => {
  it('lists subgraphs with deployment URL overrides', () => {
    const sdl = `enum join__Graph {
  COOPERATIVES @join__graph(name: "cooperatives", url: "http://127.0.0.1:4102/graphql")
  REGIONS @join__graph(name: "regions", url: "http://127.0.0.1:4101/graphql")
}`;
    expect(subgraphsOf(sdl, { regions: 'http://regions.internal/graphql' })).toEqual([
      { name: 'cooperatives', url: 'http://127.0.0.1:4102/graphql' },
      { name: 'regions', url: 'http://regions.internal/graphql' },
    ]);
  });
});
