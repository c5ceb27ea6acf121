/**
 * The realistic workload (`npm run bench -- --workload real`): what a front end and the dashboard
 * send, rather than one request repeated. Each request is drawn, from a seeded generator (the same
 * sequence for every gateway and round), as
 *   70% a cooperative's profile (Q1's document), the id drawn from all cooperatives with Zipf-like
 *       popularity (rank r asked in proportion to 1/r^s, ranks shuffled over the ids);
 *   15% a region list (Q2's document: 100 cooperatives) of a province or regency, Zipf over all of them;
 *   10% the national dashboard (Q3, no variables);
 *    5% a regency export (Q4's document: up to 500 cooperatives, every subgraph), any of the regencies.
 * The load runs at fixed concurrency with its own keep-alive client (autocannon sends one body or a
 * fixed rotation, and reports no latency per type); every answer must be data without errors.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { BENCH_QUERIES, requestBody } from './bench-queries';
import { percentile } from './bench-load';

export type RealType = 'profile' | 'regionList' | 'dashboard' | 'export';
export const REAL_TYPES: { type: RealType; share: number; query: 'Q1' | 'Q2' | 'Q3' | 'Q4'; label: string }[] = [
  { type: 'profile', share: 0.7, query: 'Q1', label: 'profile (Q1)' },
  { type: 'regionList', share: 0.15, query: 'Q2', label: 'region list (Q2)' },
  { type: 'dashboard', share: 0.1, query: 'Q3', label: 'dashboard (Q3)' },
  { type: 'export', share: 0.05, query: 'Q4', label: 'regency export (Q4)' },
];

export interface RealPools {
  cooperatives: string[];
  regions: string[];
  regencies: string[];
}

/** Every cooperative id, province and regency code, read from the bench databases (the national dataset). */
export async function loadPools(databaseUrlOf: (subgraph: string) => string): Promise<RealPools> {
  const read = async (subgraph: string, sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrlOf(subgraph) });
    await client.connect();
    try {
      return (await client.query<{ v: string }>(sql)).rows.map((r) => r.v);
    } finally {
      await client.end();
    }
  };
  const cooperatives = await read('cooperatives', 'SELECT id AS v FROM "Cooperative" ORDER BY id');
  const provinces = await read('regions', 'SELECT code AS v FROM "Province" ORDER BY code');
  const regencies = await read('regions', 'SELECT code AS v FROM "Regency" ORDER BY code');
  if (cooperatives.length < 80_000)
    throw new Error(
      `The realistic workload needs the national dataset; kopdes_bench_cooperatives holds ${cooperatives.length} cooperatives (run with --reseed).`,
    );
  return { cooperatives, regions: [...provinces, ...regencies], regencies };
}

/** mulberry32: a small seeded PRNG, so every run draws the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from `items` with Zipf-like popularity (exponent `s`) over a seeded shuffle of them. */
export function zipf<T>(items: readonly T[], s: number, random: () => number): () => T {
  const order = [...items];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cdf = new Float64Array(order.length);
  let total = 0;
  for (let r = 0; r < order.length; r += 1) cdf[r] = total += 1 / (r + 1) ** s;
  return () => {
    const u = random() * total;
    let low = 0;
    let high = cdf.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cdf[mid]! < u) low = mid + 1;
      else high = mid;
    }
    return order[low]!;
  };
}

export interface RealRequest {
  type: RealType;
  body: string;
}

/** Shares of the request types, summing to 1: the default mix, or one asked for with `--mix`. */
export type RealMix = Record<RealType, number>;
export const DEFAULT_MIX: RealMix = Object.fromEntries(REAL_TYPES.map((t) => [t.type, t.share])) as RealMix;

/**
 * `--mix profile` (one type alone) or `--mix profile=80,regionList=20` (weights, scaled to sum to 1;
 * types left out get none): to measure one kind of traffic with the workload's ids and regions.
 */
export function parseMix(text: string): RealMix {
  const mix = Object.fromEntries(REAL_TYPES.map((t) => [t.type, 0])) as RealMix;
  for (const part of text.split(',')) {
    const [type, weight = '1'] = part.split('=').map((x) => x.trim());
    const known = REAL_TYPES.some((t) => t.type === type);
    const n = Number(weight);
    if (!known || !Number.isFinite(n) || n < 0)
      throw new Error(`--mix takes type[=weight],… with types ${REAL_TYPES.map((t) => t.type).join(', ')} and weights ≥ 0; got "${part}".`);
    mix[type as RealType] = n;
  }
  const total = Object.values(mix).reduce((a, b) => a + b, 0);
  if (total <= 0) throw new Error(`--mix "${text}" gives every request type a weight of 0.`);
  for (const t of REAL_TYPES) mix[t.type] /= total;
  return mix;
}

/** The mix in words, for the report: "70% profiles, 15% region lists, …". */
export function describeMix(mix: RealMix): string {
  const words: Record<RealType, string> = { profile: 'profiles', regionList: 'region lists', dashboard: 'dashboard', export: 'regency exports' };
  return REAL_TYPES.filter((t) => mix[t.type] > 0)
    .map((t) => `${Math.round(mix[t.type] * 100)}% ${words[t.type]}`)
    .join(', ');
}

/** The workload's requests, one per call, in the order the seed decides (the same for every gateway). */
export function realSequence(pools: RealPools, options: { seed?: number; s?: number; mix?: RealMix } = {}): () => RealRequest {
  const random = prng(options.seed ?? 20_261_204);
  const s = options.s ?? 1;
  const mix = options.mix ?? DEFAULT_MIX;
  const cooperative = zipf(pools.cooperatives, s, random);
  const region = zipf(pools.regions, s, random);
  const regency = zipf(pools.regencies, s, random);
  const query = (id: string) => BENCH_QUERIES.find((q) => q.id === id)!;
  const draw: Record<RealType, () => RealRequest> = {
    profile: () => ({ type: 'profile', body: requestBody(query('Q1'), { id: cooperative() }) }),
    regionList: () => ({ type: 'regionList', body: requestBody(query('Q2'), { regionCode: region() }) }),
    dashboard: () => ({ type: 'dashboard', body: requestBody(query('Q3')) }),
    export: () => ({ type: 'export', body: requestBody(query('Q4'), { regionCode: regency() }) }),
  };
  const bounds = REAL_TYPES.filter((t) => mix[t.type] > 0).map((t) => ({ type: t.type, share: mix[t.type] }));
  return () => {
    let u = random();
    for (const { type, share } of bounds) {
      if (u < share) return draw[type]();
      u -= share;
    }
    return draw[bounds[bounds.length - 1]!.type]();
  };
}

export interface TypeFigures {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  cacheHits: number;
  /** Median latency of the answers that were executed (not from the response cache): what the guard watches. */
  executedP50Ms: number;
}
export interface RealLoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  errors: number;
  failures: string[];
  /** Answers served from the response cache (`x-cache: hit` or `shared`), over all requests. */
  cacheHitRate: number;
  byType: Record<RealType, TypeFigures>;
}

/**
 * Sends requests from `source` over `connections` keep-alive connections for `seconds`, each
 * connection taking the next request when its answer is in (at least `minRequests` in all).
 */
export async function runReal(
  url: string,
  headers: Record<string, string>,
  source: () => RealRequest,
  connections: number,
  seconds: number,
  minRequests = 0,
): Promise<RealLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies = new Map<RealType, number[]>(REAL_TYPES.map((t) => [t.type, []]));
  const errors = new Map<RealType, number>(REAL_TYPES.map((t) => [t.type, 0]));
  const hits = new Map<RealType, number>(REAL_TYPES.map((t) => [t.type, 0]));
  const executed = new Map<RealType, number[]>(REAL_TYPES.map((t) => [t.type, []]));
  const failures: string[] = [];
  let sent = 0;
  const one = (request: RealRequest) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const fail = (why: string) => {
        errors.set(request.type, errors.get(request.type)! + 1);
        if (failures.length < 3) failures.push(`${request.type}: ${why.slice(0, 200)}`);
        resolve();
      };
      const req = http.request(target, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(request.body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => fail(e.message));
        res.on('end', () => {
          const ms = performance.now() - started;
          latencies.get(request.type)!.push(ms);
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200 || !body.startsWith('{"data"') || body.includes('"errors"')) return fail(`HTTP ${res.statusCode}: ${body.slice(0, 200)}`);
          if (/^(hit|shared)$/.test(String(res.headers['x-cache'] ?? ''))) hits.set(request.type, hits.get(request.type)! + 1);
          else executed.get(request.type)!.push(ms);
          resolve();
        });
      });
      req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
      req.on('error', (e) => fail(e.message));
      req.end(request.body);
    });
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline || sent < minRequests) {
        sent += 1;
        await one(source());
      }
    }),
  );
  const took = (performance.now() - started) / 1000;
  agent.destroy();
  const byType = Object.fromEntries(
    REAL_TYPES.map(({ type }) => {
      const l = latencies.get(type)!;
      return [
        type,
        {
          requests: l.length,
          requestsPerSecond: l.length / took,
          p50Ms: percentile(l, 50),
          p99Ms: percentile(l, 99),
          errors: errors.get(type)!,
          cacheHits: hits.get(type)!,
          executedP50Ms: percentile(executed.get(type)!, 50),
        },
      ];
    }),
  ) as Record<RealType, TypeFigures>;
  const total = sent;
  return {
    requests: total,
    seconds: took,
    requestsPerSecond: total / took,
    failures,
    errors: [...errors.values()].reduce((a, b) => a + b, 0),
    cacheHitRate: [...hits.values()].reduce((a, b) => a + b, 0) / total,
    byType,
  };
}
