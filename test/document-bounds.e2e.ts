/**
 * Document bounds through the real servers: every hostile request of the corpus, sent as the
 * public to the gateway (on /graphql, with the response cache on, and on /export) and straight
 * to a subgraph with a valid caller token, is refused with a 4xx and the code naming its bound;
 * both keep answering ordinary queries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_HEADER, sampleValue, signCaller } from '@kopdes/kit';
import { PUBLIC, testSigningKeys } from '@kopdes/kit/testing';
import { HOSTILE_REQUESTS } from '../scripts/lib/hostile-documents';
import { startPlatform, testGatewayConfig, type TestPlatform } from './helpers';

let platform: TestPlatform;
let cached: string;
beforeAll(async () => {
  platform = await startPlatform();
  cached = (await platform.startGateway({ responseCache: { ...testGatewayConfig().responseCache, enabled: true } })).url();
});
afterAll(async () => {
  await platform?.stop();
});

type Answer = { status: number; code: unknown; message: unknown };

async function send(url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as
    { errors?: { message?: string; extensions?: { code?: string } }[] } | { errors?: { message?: string; extensions?: { code?: string } }[] }[];
  const first = (Array.isArray(json) ? json[0] : json)?.errors?.[0];
  return { status: res.status, code: first?.extensions?.code, message: first?.message };
}

async function cacheOutcomes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return ['hit', 'shared', 'miss'].reduce((sum, outcome) => sum + (sampleValue(text, 'kopdes_gateway_response_cache_total', { outcome }) ?? 0), 0);
}

async function expectResponsive(url: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ province(code: "35") { name } }' }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ data: { province: { name: 'Jawa Timur' } } });
}

describe('document bounds', () => {
  it('refuse every hostile request at the gateway with a 4xx and the code of its bound', async () => {
    expect(HOSTILE_REQUESTS.length).toBeGreaterThanOrEqual(20);
    for (const hostile of HOSTILE_REQUESTS) {
      const answer = await send(`${platform.url}/graphql`, hostile.body());
      expect({ name: hostile.name, status: answer.status, code: answer.code }).toEqual({ name: hostile.name, status: 400, code: hostile.gateway });
      expect(answer.message).toEqual(expect.any(String));
    }
    await expectResponsive(`${platform.url}/graphql`);
  });

  it('refuse them before the response cache is consulted, every time', async () => {
    const before = await cacheOutcomes(cached);
    for (const hostile of HOSTILE_REQUESTS.slice(0, 4)) {
      for (let i = 0; i < 2; i++) expect((await send(`${cached}/graphql`, hostile.body())).code).toBe(hostile.gateway);
    }
    expect(await cacheOutcomes(cached)).toBe(before);
    await expectResponsive(`${cached}/graphql`);
    expect(await cacheOutcomes(cached)).toBe(before + 1);
  });

  it('refuse them on /export too, before the export reads the query', async () => {
    for (const hostile of HOSTILE_REQUESTS.filter((h) => !h.body().startsWith('['))) {
      // /export takes one operation
      const answer = await send(`${platform.url}/export?format=csv`, hostile.body());
      expect({ name: hostile.name, status: answer.status, code: answer.code }).toEqual({ name: hostile.name, status: 400, code: hostile.gateway });
    }
  });

  it('refuse every hostile request sent straight to a subgraph, with its own bounds', async () => {
    const regions = platform.subgraphs.get('regions')!;
    const caller = { [CALLER_HEADER]: await signCaller(PUBLIC, (await testSigningKeys()).privateKey) };
    for (const hostile of HOSTILE_REQUESTS) {
      const answer = await send(regions.url, hostile.body(), caller);
      expect({ name: hostile.name, status: answer.status, code: answer.code }).toEqual({ name: hostile.name, status: 400, code: hostile.subgraph });
    }
    await expectResponsive(regions.url, caller);
  });
});
