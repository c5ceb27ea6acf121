// Must come first: records every connection attempt from here on.
import { attempts, outside } from './connection-recorder';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * No calls out: the gateway and the subgraphs start and serve queries (cross-subgraph,
 * introspection, a failed subgraph, probes, metrics, a Redis-backed rate limit) while every
 * connection this process attempts is recorded; each one goes to a loopback address. The
 * recorder removed APOLLO_TELEMETRY_DISABLED and set an Apollo key first: the gateway must
 * turn Apollo's telemetry off by itself and ignore the key.
 */

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ faults: true });
});
afterAll(async () => {
  await platform?.stop();
  delete process.env.APOLLO_KEY;
  delete process.env.APOLLO_GRAPH_REF;
});

describe('no calls out', () => {
  it('opens no connection to any non-loopback address while starting and serving', async () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
    const admin = { authorization: await bearer({ subject: 'no-calls-out', role: 'admin', purpose: 'data-protection-oversight' }) };
    const gateway = await platform.startGateway({ rateLimit: { max: 1000, windowMs: 60_000, trustProxy: false, redisUrl: 'redis://127.0.0.1:6379' } });
    for (const url of [platform.url, gateway.url()]) {
      const post = (query: string) =>
        fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...admin }, body: JSON.stringify({ query }) });
      const cross = await post(
        '{ regency(code: "35.14") { name districts { name villages { name cooperatives { name board { name } financing { outstanding } } } } } }',
      );
      expect(cross.status).toBe(200);
      expect(((await cross.json()) as { errors?: unknown }).errors).toBeUndefined();
      expect((await post(getIntrospectionQuery())).status).toBe(200);
      for (const path of ['/health', '/ready', '/metrics', '/']) expect((await fetch(`${url}${path}`)).status).toBeLessThan(500);
    }
    // A subgraph that is down does not send the gateway looking elsewhere.
    await platform.proxies.get('financing')!.kill();
    const partial = await fetch(`${platform.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ query: '{ cooperative(id: "KDMP-35.14.01.2001") { name financing { outstanding } } }' }),
    });
    expect(partial.status).toBe(200);
    await platform.proxies.get('financing')!.revive();

    // The recorder saw the traffic (so an empty list would not be a false pass)…
    expect(attempts.filter((a) => a.kind === 'tcp').length).toBeGreaterThan(10);
    expect(attempts.some((a) => a.target === '127.0.0.1:6379')).toBe(true);
    // …and all of it stayed on this machine.
    expect(outside()).toEqual([]);
  });
});
