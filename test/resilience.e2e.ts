import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleValue } from '@kopdes/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayServer } from '../gateway/src/server';
import type { FaultProxy } from './fault-proxy';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * A subgraph killed, slowed, failing or cutting connections during queries: every other
 * subgraph's data still arrives, null for exactly the missing subgraph's fields with an error
 * naming it, and full answers resume when it is back. Also hot reload under concurrent
 * requests, shutdown under load, and what the gateway tells operators (probes, metrics, logs).
 */
let platform: TestPlatform;
let analyst: Record<string, string>;
let financing: FaultProxy;
let cooperatives: FaultProxy;

beforeAll(async () => {
  platform = await startPlatform({ faults: true });
  analyst = { authorization: await bearer({ subject: 'resilience-analyst', role: 'analyst' }) };
  financing = platform.proxies.get('financing')!;
  cooperatives = platform.proxies.get('cooperatives')!;
});
afterAll(async () => {
  await platform?.stop();
});
afterEach(async () => {
  // Every test leaves the subgraphs healthy for the next one.
  for (const proxy of platform.proxies.values()) {
    proxy.mode = { kind: 'pass' };
    if (!(proxy as unknown as { server: { listening: boolean } }).server.listening) await proxy.revive();
  }
});

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

const CROSS = `query Cross { cooperative(id: "KDMP-35.14.01.2001") { id name village { name regency { name } } financing { source inArrears } } }`;
const FULL = {
  cooperative: {
    id: 'KDMP-35.14.01.2001',
    name: expect.any(String),
    village: { name: 'Gerbo', regency: { name: 'Kabupaten Pasuruan' } },
    financing: { source: expect.any(String), inArrears: expect.any(Boolean) },
  },
};
const WITHOUT_FINANCING = { cooperative: { ...FULL.cooperative, financing: null } };

async function post(url: string, query: string, headers: Record<string, string> = analyst): Promise<{ status: number; headers: Headers; body: Body }> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Body };
}

/** The one error a missing subgraph causes: names it, says what happened, at the fields it owns. */
function subgraphError(serviceName: string, code: string, message: RegExp) {
  return expect.objectContaining({ message: expect.stringMatching(message), extensions: expect.objectContaining({ code, serviceName }) });
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a subgraph that is down', () => {
  it("yields every other subgraph's data, null for its fields, an error naming it; full answers resume when it is back", async () => {
    expect(await post(platform.url, CROSS)).toMatchObject({ status: 200, body: { data: FULL } });
    await financing.kill();
    const partial = await post(platform.url, CROSS);
    expect(partial.status).toBe(200);
    expect(partial.body.data).toEqual(WITHOUT_FINANCING);
    expect(partial.body.errors).toEqual([
      subgraphError(
        'financing',
        'SUBGRAPH_UNAVAILABLE',
        /^The financing subgraph is unavailable \(ECONNREFUSED\), so its fields are null in this response; the other subgraphs answered\.$/,
      ),
    ]);
    const health = await fetch(`${platform.url}/health`);
    expect(health.status).toBe(200);
    await financing.revive();
    expect(await post(platform.url, CROSS)).toMatchObject({ status: 200, body: { data: FULL } });
    expect((await post(platform.url, CROSS)).body.errors).toBeUndefined();
  });

  it("nulls only its aggregate on each province, never the provinces: a province list keeps every other ministry's figures", async () => {
    const energy = platform.proxies.get('energy')!;
    const query = '{ provinces { code name energy { kwpCommissioned } financing { loans } } }';
    type Province = { code: string; name: string; energy: { kwpCommissioned: number } | null; financing: { loans: number } | null };
    const provincesOf = (body: Body) => body.data!.provinces as Province[];
    const full = await post(platform.url, query);
    expect(full.body.errors).toBeUndefined();
    // The test platform seeds one regency (35.14), so the list is its province; nationally it is 38.
    const codes = provincesOf(full.body).map((p) => p.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(provincesOf(full.body).every((p) => p.energy !== null && p.financing !== null)).toBe(true);

    await energy.kill();
    const partial = await post(platform.url, query);
    expect(partial.status).toBe(200);
    expect(provincesOf(partial.body).map((p) => p.code)).toEqual(codes);
    for (const p of provincesOf(partial.body))
      expect(p).toEqual({ code: expect.any(String), name: expect.any(String), energy: null, financing: { loans: expect.any(Number) } });
    expect(partial.body.errors).toEqual([subgraphError('energy', 'SUBGRAPH_UNAVAILABLE', /^The energy subgraph is unavailable/)]);

    await energy.revive();
    expect((await post(platform.url, query)).body).toEqual({ data: full.body.data });
  });

  it('keeps region data when the registry itself is down', async () => {
    await cooperatives.kill();
    const { status, body } = await post(platform.url, '{ village(code: "35.14.01.2001") { name kind cooperatives { id } } province(code: "35") { name } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ village: { name: 'Gerbo', kind: 'DESA', cooperatives: null }, province: { name: 'Jawa Timur' } });
    expect(body.errors).toEqual([subgraphError('cooperatives', 'SUBGRAPH_UNAVAILABLE', /^The cooperatives subgraph is unavailable/)]);
  });

  it('is reported by GET /ready (200, degraded, per-subgraph status) while GET /health stays up', async () => {
    const ready = async () => ({
      status: (await fetch(`${platform.url}/ready`)).status,
      body: (await (await fetch(`${platform.url}/ready`)).json()) as Record<string, any>,
    });
    const before = await ready();
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: 'ready', supergraph: { hash: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    expect(Object.keys(before.body.subgraphs).sort()).toEqual([...platform.subgraphs.keys()].sort());
    for (const status of Object.values(before.body.subgraphs) as { status: string }[]) expect(status.status).toBe('up');
    await financing.kill();
    const during = await ready();
    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({
      status: 'degraded',
      subgraphs: { financing: { status: 'down', error: 'ECONNREFUSED', url: financing.url }, regions: { status: 'up' }, cooperatives: { status: 'up' } },
      message: 'Serving partial data: financing is down; their fields come back null with an error naming them.',
    });
    await financing.revive();
    expect((await ready()).body.status).toBe('ready');
  });
});

describe('a slow, failing or flaky subgraph', () => {
  let quick: GatewayServer;
  beforeAll(async () => {
    quick = await platform.startGateway({ subgraphTimeoutMs: 400 });
  });

  it('is cut at SUBGRAPH_TIMEOUT_MS: partial answer, never a hung request', async () => {
    financing.mode = { kind: 'hang' };
    const hung = await post(quick.url(), CROSS);
    expect(hung.status).toBe(200);
    expect(hung.body.data).toEqual(WITHOUT_FINANCING);
    expect(hung.body.errors).toEqual([
      subgraphError(
        'financing',
        'SUBGRAPH_TIMEOUT',
        /^The financing subgraph did not answer within 400 ms \(SUBGRAPH_TIMEOUT_MS\), so its fields are null in this response/,
      ),
    ]);
    financing.mode = { kind: 'delay', ms: 2_000 };
    expect((await post(quick.url(), CROSS)).body.errors).toEqual([subgraphError('financing', 'SUBGRAPH_TIMEOUT', /did not answer within 400 ms/)]);
    // Slower than usual but within the timeout: a full answer.
    financing.mode = { kind: 'delay', ms: 50 };
    expect(await post(quick.url(), CROSS)).toMatchObject({ status: 200, body: { data: FULL } });
    financing.mode = { kind: 'pass' };
    expect((await post(quick.url(), CROSS)).body).toEqual({ data: FULL });
  });

  it('killed while a query waits on it: the query ends at once with the partial answer', async () => {
    financing.mode = { kind: 'delay', ms: 5_000 };
    const seen = financing.received;
    const pending = post(platform.url, CROSS);
    await until(() => financing.received > seen, 'the financing fetch to arrive');
    await financing.kill();
    const { status, body } = await pending;
    expect(status).toBe(200);
    expect(body.data).toEqual(WITHOUT_FINANCING);
    expect(body.errors).toEqual([subgraphError('financing', 'SUBGRAPH_UNAVAILABLE', /^The financing subgraph is unavailable/)]);
  });

  it('answering HTTP 500, or cutting the connection: an error naming it, the rest of the data', async () => {
    financing.mode = { kind: 'error' };
    const failed = await post(platform.url, CROSS);
    expect(failed.body.data).toEqual(WITHOUT_FINANCING);
    expect(failed.body.errors).toEqual([subgraphError('financing', 'SUBGRAPH_ERROR', /^The financing subgraph failed with HTTP 500, so its fields are null/)]);
    financing.mode = { kind: 'drop' };
    const before = financing.received;
    const dropped = await post(platform.url, CROSS);
    expect(dropped.body.data).toEqual(WITHOUT_FINANCING);
    expect(dropped.body.errors).toEqual([subgraphError('financing', 'SUBGRAPH_UNAVAILABLE', /^The financing subgraph is unavailable/)]);
    expect(financing.received - before).toBe(2); // a read is retried once on a cut connection
  });
});

describe('hot reload', () => {
  it('swaps a changed supergraph file under concurrent requests without failing one; keeps the old one when the new is invalid', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kopdes-hot-'));
    const file = path.join(dir, 'supergraph.graphql');
    // Two equivalent supergraphs: the regions subgraph through its proxy, or directly.
    const viaProxy = platform.supergraphSdl;
    const direct = viaProxy.replace(platform.proxies.get('regions')!.url, platform.subgraphs.get('regions')!.url);
    expect(direct).not.toBe(viaProxy);
    writeFileSync(file, viaProxy);
    const gateway = await platform.startGateway({ supergraphPath: file });
    const first = gateway.supergraph()!.hash;

    let running = true;
    const outcomes: { status: number; ok: boolean }[] = [];
    const workers = Array.from({ length: 8 }, async () => {
      while (running) {
        const { status, body } = await post(gateway.url(), CROSS);
        outcomes.push({ status, ok: body.errors === undefined && JSON.stringify(body.data) !== 'null' });
      }
    });
    const hashes = [first];
    for (let swap = 0; swap < 6; swap++) {
      const next = swap % 2 === 0 ? direct : viaProxy;
      // Written as editors and `compose` do: a new file renamed over the old one.
      writeFileSync(`${file}.tmp`, next);
      renameSync(`${file}.tmp`, file);
      const previous = gateway.supergraph()!.hash;
      await until(() => gateway.supergraph()!.hash !== previous, `reload ${swap + 1}`);
      hashes.push(gateway.supergraph()!.hash);
      const served = outcomes.length;
      await until(() => outcomes.length >= served + 8, 'requests on the new supergraph');
    }
    // An invalid file is refused; the gateway keeps serving the last good one.
    const good = gateway.supergraph()!.hash;
    const rejectedBefore = await gateway.metrics.reloads.get({ outcome: 'rejected' });
    writeFileSync(file, 'this is not a supergraph');
    await until(async () => (await gateway.metrics.reloads.get({ outcome: 'rejected' })) > rejectedBefore, 'the invalid file to be refused');
    const served = outcomes.length;
    await until(() => outcomes.length >= served + 8, 'requests after the refused reload');
    running = false;
    await Promise.all(workers);

    expect(gateway.supergraph()!.hash).toBe(good);
    expect(new Set(hashes).size).toBe(2);
    expect(await gateway.metrics.reloads.get({ outcome: 'applied' })).toBe(6);
    expect(outcomes.length).toBeGreaterThan(60);
    expect(outcomes.filter((o) => o.status !== 200 || !o.ok)).toEqual([]);
    const ready = (await (await fetch(`${gateway.url()}/ready`)).json()) as { subgraphs: Record<string, { url: string }> };
    expect(ready.subgraphs.regions!.url).toBe(platform.proxies.get('regions')!.url);
  });
});

describe('graceful shutdown', () => {
  it('finishes every in-flight request under load, then refuses new connections', async () => {
    const gateway = await platform.startGateway();
    const url = gateway.url();
    expect((await post(url, CROSS)).status).toBe(200);
    financing.mode = { kind: 'hold' };
    const seen = financing.received;
    const inFlight = Array.from({ length: 24 }, () => post(url, CROSS));
    // Every request is inside the gateway, waiting on financing (identical fetches in flight are merged into one).
    await until(async () => financing.received > seen && (await gateway.metrics.inFlight.get()) === 24, '24 requests in flight');
    expect(financing.received - seen).toBeLessThanOrEqual(24);
    const stopped = gateway.stop();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    financing.release();
    const answers = await Promise.all(inFlight);
    await stopped;
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(200));
    for (const answer of answers) expect(answer.body).toEqual({ data: FULL });
  });
});

describe('observability', () => {
  const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('returns the request id and W3C traceparent, and passes both to subgraphs (new span per hop)', async () => {
    const { headers } = await post(platform.url, CROSS, { ...analyst, 'x-request-id': 'req-trace-1', traceparent: incoming });
    expect(headers.get('x-request-id')).toBe('req-trace-1');
    const returned = headers.get('traceparent')!;
    expect(returned).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(returned).not.toBe(incoming);
    const forwarded = financing.lastHeaders;
    expect(forwarded['x-request-id']).toBe('req-trace-1');
    expect(forwarded.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(forwarded.traceparent).not.toBe(returned);
    expect(forwarded['x-kopdes-caller']).toMatch(/^ey/);
    expect(forwarded.authorization).toBeUndefined(); // the bearer token stays at the gateway

    // Without either header, the gateway mints both.
    const fresh = await post(platform.url, CROSS);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(financing.lastHeaders['x-request-id']).toBe(fresh.headers.get('x-request-id'));
  });

  it('serves Prometheus metrics on the gateway and each subgraph', async () => {
    await post(platform.url, CROSS);
    await financing.kill();
    await post(platform.url, CROSS);
    await financing.revive();
    const gateway = await (await fetch(`${platform.url}/metrics`)).text();
    expect(sampleValue(gateway, 'kopdes_gateway_requests_total', { operation: 'Cross', status: '200' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(gateway, 'kopdes_gateway_request_duration_seconds_count', { operation: 'Cross' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(gateway, 'kopdes_gateway_request_duration_seconds_bucket', { operation: 'Cross', le: '0.1' })).toBeGreaterThanOrEqual(0); // buckets as before (label order is prom-client's)
    expect(sampleValue(gateway, 'kopdes_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'regions', outcome: 'ok' })).toBeGreaterThan(0);
    expect(sampleValue(gateway, 'kopdes_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'financing', outcome: 'error' })).toBeGreaterThan(0);
    expect(sampleValue(gateway, 'kopdes_gateway_subgraph_errors_total', { subgraph: 'financing', code: 'SUBGRAPH_UNAVAILABLE' })).toBeGreaterThan(0);
    expect(sampleValue(gateway, 'kopdes_gateway_errors_total', { code: 'SUBGRAPH_UNAVAILABLE' })).toBeGreaterThan(0);
    expect(sampleValue(gateway, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);

    const subgraph = await (await fetch(new URL('/metrics', platform.subgraphs.get('cooperatives')!.url))).text();
    const operation = /kopdes_subgraph_requests_total\{subgraph="cooperatives",operation="(Cross__cooperatives__\d+)",status="200"\}/.exec(subgraph)?.[1];
    expect(operation).toBeDefined();
    expect(sampleValue(subgraph, 'kopdes_subgraph_request_duration_seconds_count', { subgraph: 'cooperatives', operation: operation! })).toBeGreaterThan(0);
    expect(sampleValue(subgraph, 'kopdes_subgraph_sql_statements_per_request_count', { subgraph: 'cooperatives', operation: operation! })).toBeGreaterThan(0);
    expect(sampleValue(subgraph, 'kopdes_subgraph_sql_statements_total', { subgraph: 'cooperatives' })).toBeGreaterThan(0);
  });

  it('logs one JSON line per request: ids, operation, status, duration, role; never tokens or personal data', async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const level = process.env.KOPDES_LOG;
    delete process.env.KOPDES_LOG;
    const admin = await bearer({ subject: 'admin@kemenkop.go.id', role: 'admin', purpose: 'data-protection-oversight' });
    try {
      await post(platform.url, 'query Board { cooperative(id: "KDMP-35.14.01.2001") { board { name nik } } }', {
        authorization: admin,
        'x-request-id': 'req-log-1',
      });
    } finally {
      process.env.KOPDES_LOG = level;
      write.mockRestore();
    }
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request' && l.requestId === 'req-log-1');
    expect(line).toMatchObject({
      level: 'info',
      requestId: 'req-log-1',
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      operation: 'Board',
      status: 200,
      role: 'admin',
      durationMs: expect.any(Number),
    });
    const text = lines.join('');
    expect(text).not.toContain(admin.slice('Bearer '.length));
    expect(text).not.toMatch(/"nik"|admin@kemenkop/);
  });
});
