/**
 * The gateway's response cache: identical answers from the cache, per role, never stale
 * after a write through the graph (on this replica and, through Redis, on another one), no
 * partial answer kept, identical requests in flight executed once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadOperations } from '../gateway/src/operations';
import { announceWrite } from '../gateway/src/response-cache';
import { bearer, startPlatform, type TestPlatform } from './helpers';

const PROVINCE = '{ province(code: "35") { code name energy { plants kwpPlanned } } }';
const COOPERATIVE = '{ cooperative(id: "KDMP-35.14.01.2001") { id name energy { solarPlants { capacityKwp } } } }';
const REDIS_URL = 'redis://127.0.0.1:6379';

let platform: TestPlatform;
let analyst: Record<string, string>;
let energyOfficer: Record<string, string>;

beforeAll(async () => {
  platform = await startPlatform({
    faults: true,
    gateway: { responseCache: { enabled: true, warm: false, ttlMs: 60_000, maxBytes: 8 << 20, maxEntryBytes: 1 << 20 } },
  });
  analyst = { authorization: await bearer({ subject: 'cache-analyst', role: 'analyst' }) };
  energyOfficer = { authorization: await bearer({ subject: 'cache-esdm', role: 'officer', ministry: 'energy' }) };
});

afterAll(() => platform?.stop());

/** Subgraph fetches the gateway at `url` has made so far (from its /metrics). */
async function fetches(url = platform.url): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('kopdes_gateway_subgraph_fetch_duration_seconds_count'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

async function post(url: string, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { cache: res.headers.get('x-cache'), body: (await res.json()) as { data?: Record<string, any>; errors?: { extensions?: Record<string, unknown> }[] } };
}

async function registerPlant(url: string, kwp: number): Promise<void> {
  const { body } = await post(
    url,
    'mutation ($key: String!, $kwp: Float!) { registerSolarPlant(input: { cooperativeId: "KDMP-35.14.01.2001", capacityKwp: $kwp, storageKwh: 0, plannedOn: "2025-08-01" }, idempotencyKey: $key) { id } }',
    energyOfficer,
    { key: `cache-test-${kwp}-${Date.now()}-${Math.random()}`, kwp },
  );
  expect(body.errors).toBeUndefined();
}

describe('response cache', () => {
  it('answers a repeated query from the cache, byte for byte, without calling the subgraphs', async () => {
    const first = await post(platform.url, COOPERATIVE, analyst);
    expect(first.cache).toBe('miss');
    expect(first.body.errors).toBeUndefined();
    const before = await fetches();
    const second = await post(platform.url, COOPERATIVE, analyst);
    expect(second.cache).toBe('hit');
    expect(second.body).toEqual(first.body);
    expect(await fetches()).toBe(before);
    // A client asking for a fresh answer gets one.
    expect((await post(platform.url, COOPERATIVE, { ...analyst, 'cache-control': 'no-cache' })).cache).toBe('miss');
  });

  it('keeps answers apart by role: the public never gets an analyst answer', async () => {
    const asAnalyst = await post(platform.url, COOPERATIVE, analyst);
    expect(asAnalyst.body.data?.cooperative?.name).toEqual(expect.any(String));
    const asPublic = await post(platform.url, COOPERATIVE);
    expect(asPublic.cache).toBe('miss');
    expect(asPublic.body.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    // A refusal is not kept either.
    expect((await post(platform.url, COOPERATIVE)).cache).toBe('miss');
  });

  it('is never stale after a write through the gateway', async () => {
    const before = await post(platform.url, PROVINCE);
    expect((await post(platform.url, PROVINCE)).cache).toBe('hit');
    await registerPlant(platform.url, 123.5);
    const after = await post(platform.url, PROVINCE);
    expect(after.cache).toBe('miss');
    expect(after.body.data!.province.energy.plants).toBe(before.body.data!.province.energy.plants + 1);
    expect(after.body.data!.province.energy.kwpPlanned).toBeCloseTo(before.body.data!.province.energy.kwpPlanned + 123.5, 6);
    // Answers that never read the energy subgraph survive the write.
    const regions = '{ province(code: "35") { name } }';
    await post(platform.url, regions);
    await registerPlant(platform.url, 7);
    expect((await post(platform.url, regions)).cache).toBe('hit');
  });

  it('keeps no partial answer: with energy down the answer names it, and full answers resume', async () => {
    const query = '{ province(code: "35") { name energy { plants } } }';
    const proxy = platform.proxies.get('energy')!;
    await proxy.kill();
    try {
      const down = await post(platform.url, query, { 'cache-control': 'no-cache' });
      expect(down.body.errors?.[0]?.extensions?.serviceName).toBe('energy');
      expect((await post(platform.url, query)).body.errors).toBeDefined();
    } finally {
      await proxy.revive();
    }
    const back = await post(platform.url, query);
    expect(back.cache).toBe('miss');
    expect(back.body.errors).toBeUndefined();
    expect((await post(platform.url, query)).cache).toBe('hit');
  });

  it('executes identical requests in flight once', async () => {
    const query = '{ provinces { code energy { kwpCommissioned } } }';
    const before = await fetches();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(platform.url, query, analyst)));
    expect(answers.filter((a) => a.cache === 'miss')).toHaveLength(1);
    expect(answers.every((a) => JSON.stringify(a.body) === JSON.stringify(answers[0]!.body))).toBe(true);
    expect(await fetches()).toBe(before + 2); // provinces from regions, energy for all of them: one execution
    // Cache-Control: no-cache executes each request, in flight together or not.
    const fresh = await Promise.all(Array.from({ length: 3 }, () => post(platform.url, query, { ...analyst, 'cache-control': 'no-cache' })));
    expect(fresh.map((a) => a.cache)).toEqual(['miss', 'miss', 'miss']);
    expect(await fetches()).toBe(before + 2 + 3 * 2);
  });
});

describe('response cache warm-up', () => {
  it('runs the registered operations at start: the public dashboard is answered from the cache on the first visit', async () => {
    // As under npm start, a subgraph still booting: the warm-up waits for it instead of caching nothing.
    const energy = platform.proxies.get('energy')!;
    await energy.kill();
    const warmed = await platform.startGateway({ responseCache: { enabled: true, warm: true, ttlMs: 60_000, maxBytes: 8 << 20, maxEntryBytes: 1 << 20 } });
    const ready = async () => (await (await fetch(`${warmed.url()}/ready`)).json()) as { warmUp: { status: string; operations: number; cached: number } };
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await ready()).warmUp).toMatchObject({ status: 'running', operations: 0 });
    await energy.revive();
    await expect.poll(async () => (await ready()).warmUp.status, { timeout: 60_000 }).toBe('done');
    const { warmUp } = await ready();
    const registered = loadOperations(path.join(import.meta.dirname, '../schema/operations'));
    expect(warmUp.operations).toBeGreaterThan(0);
    expect(warmUp.operations).toBeLessThanOrEqual(registered.length);
    expect(warmUp.cached).toBeGreaterThan(0);
    // Sent the way the dashboard sends it (gateway/ui/dashboard.tsx).
    const dashboard = registered.find((o) => o.name === 'dashboard-energy')!;
    const res = await fetch(`${warmed.url()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: dashboard.document, operationName: /query\s+(\w+)/.exec(dashboard.document)?.[1] }),
    });
    expect(res.headers.get('x-cache')).toBe('hit');
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
  });
});

describe('response cache across replicas (Redis)', () => {
  it('drops an answer on every replica when a write goes through another one', async () => {
    const config = { responseCache: { enabled: true, warm: false, ttlMs: 60_000, maxBytes: 8 << 20, maxEntryBytes: 1 << 20, redisUrl: REDIS_URL } };
    const [a, b] = await Promise.all([platform.startGateway(config), platform.startGateway(config)]);
    // Each replica keeps answers only once it listens to the others' writes.
    await expect
      .poll(
        async () => {
          await post(a.url(), PROVINCE);
          return (await post(a.url(), PROVINCE)).cache;
        },
        { timeout: 10_000 },
      )
      .toBe('hit');
    await expect
      .poll(
        async () => {
          await post(b.url(), PROVINCE);
          return (await post(b.url(), PROVINCE)).cache;
        },
        { timeout: 10_000 },
      )
      .toBe('hit');
    const before = (await post(a.url(), PROVINCE)).body.data!.province.energy.plants as number;
    await registerPlant(b.url(), 55);
    await expect.poll(async () => (await post(a.url(), PROVINCE)).body.data!.province.energy.plants, { timeout: 5_000 }).toBe(before + 1);
    // A writer outside the gateways (npm run import with REDIS_URL) announces its subgraph the same way.
    expect((await post(a.url(), PROVINCE)).cache).toBe('hit');
    expect(await announceWrite(REDIS_URL, 'energy')).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => (await post(a.url(), PROVINCE)).cache, { timeout: 5_000 }).toBe('miss');
  });
});
