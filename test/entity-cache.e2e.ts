/**
 * The gateway's entity cache over the real platform: a repeated entity fetch is answered from the
 * cache, never across roles, and a write through the gateway is seen at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startPlatform, type TestPlatform } from './helpers';

const COOPERATIVE = '{ cooperative(id: "KDMP-35.14.01.2001") { id name energy { solarPlants { capacityKwp } } } }';

let platform: TestPlatform;
let analyst: Record<string, string>;
let energyOfficer: Record<string, string>;

beforeAll(async () => {
  platform = await startPlatform({ gateway: { entityCache: { enabled: true, maxBytes: 8 << 20, ttlMs: 60_000 } } });
  analyst = { authorization: await bearer({ subject: 'entity-analyst', role: 'analyst' }) };
  energyOfficer = { authorization: await bearer({ subject: 'entity-esdm', role: 'officer', ministry: 'energy' }) };
});

afterAll(() => platform?.stop());

/** Entities of the energy subgraph answered from the entity cache (hit) or asked of it (miss), from /metrics. */
async function energyEntities(): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${platform.url}/metrics`)).text();
  const count = (outcome: string) =>
    Number(new RegExp(`^kopdes_gateway_entity_cache_total\\{subgraph="energy",outcome="${outcome}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

async function post(query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) {
  const res = await fetch(`${platform.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

describe('entity cache', () => {
  it('answers a repeated entity fetch from the cache, per caller class, and sees a write through the gateway at once', async () => {
    const start = await energyEntities();
    const first = await post(COOPERATIVE, analyst);
    expect(first.errors).toBeUndefined();
    const afterFirst = await energyEntities();
    expect(afterFirst.miss).toBe(start.miss + 1);

    const second = await post(COOPERATIVE, analyst);
    expect(second).toEqual(first);
    const afterSecond = await energyEntities();
    expect(afterSecond).toEqual({ hit: afterFirst.hit + 1, miss: afterFirst.miss });

    // Another class of caller (an officer) never gets the analyst's entity: the subgraph is asked.
    await post(COOPERATIVE, energyOfficer);
    expect((await energyEntities()).miss).toBe(afterSecond.miss + 1);

    const { errors } = await post(
      'mutation ($key: String!) { registerSolarPlant(input: { cooperativeId: "KDMP-35.14.01.2001", capacityKwp: 42.5, storageKwh: 0, plannedOn: "2025-08-01" }, idempotencyKey: $key) { id } }',
      energyOfficer,
      { key: `entity-cache-${Date.now()}-${Math.random()}` },
    );
    expect(errors).toBeUndefined();
    const after = await post(COOPERATIVE, analyst);
    expect(after.data!.cooperative.energy.solarPlants).toHaveLength(first.data!.cooperative.energy.solarPlants.length + 1);
    expect(after.data!.cooperative.energy.solarPlants).toContainEqual({ capacityKwp: 42.5 });
  });
});
