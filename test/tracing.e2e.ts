// Must come first: records every connection attempt, so the test also shows the SDK calls nowhere but the receiver.
import { attempts, outside } from './connection-recorder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@kopdes/kit/testing';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * Traces end to end: the gateway and every subgraph export over OTLP (http/protobuf, the default)
 * to a receiver this test starts on loopback, and one request shows as one trace: the gateway's
 * request → plan → fetch → the subgraph's request → its SQL statements. Every connection the
 * process attempts meanwhile goes to loopback: the OpenTelemetry SDK phones nowhere else.
 */
const CLIENT_TRACE = 'a3ce929d0e0e47364bf92f3577b34da6';
const CLIENT_SPAN = '00f067aa0ba902b7';
const QUERY = 'query CooperativeVillage { cooperative(id: "KKMP-35.14.14.1001") { id village { name } } }';

let receiver: OtlpReceiver;
let platform: TestPlatform;
const saved = { ...process.env };
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' });
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
  await receiver?.close();
  for (const key of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_BSP_SCHEDULE_DELAY']) if (saved[key] === undefined) delete process.env[key];
  delete process.env.APOLLO_KEY; // set by the connection recorder
  delete process.env.APOLLO_GRAPH_REF;
});

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('OpenTelemetry traces across the gateway and the subgraphs', () => {
  it("exports one trace: gateway request → plan → fetch → subgraph request → SQL, continuing the caller's traceparent", async () => {
    const res = await fetch(`${platform.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`,
        authorization: await bearer({ subject: 'e2e-tracing', role: 'analyst' }),
      },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(await res.json()).toEqual({ data: { cooperative: { id: 'KKMP-35.14.14.1001', village: { name: 'Kolursari' } } } });
    expect(res.headers.get('traceparent')).toMatch(new RegExp(`^00-${CLIENT_TRACE}-[0-9a-f]{16}-01$`));

    const inTrace = () => receiver.spans.filter((s) => s.traceId === CLIENT_TRACE);
    const sqlOf = (service: string) => inTrace().filter((s) => s.service === service && s.attributes['db.system.name'] === 'postgresql');
    // Spans arrive in batches as each ends; the gateway's own request span ends last.
    await until(
      () => sqlOf('kopdes-cooperatives').length > 0 && sqlOf('kopdes-regions').length > 0 && inTrace().some((s) => s.parentSpanId === CLIENT_SPAN),
      'the whole trace',
    );
    const spans = inTrace();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const one = (predicate: (s: ReceivedSpan) => boolean, what: string) => {
      const found = spans.filter(predicate);
      expect(found, what).toHaveLength(1);
      return found[0]!;
    };
    const childrenOf = (parent: ReceivedSpan) => spans.filter((s) => s.parentSpanId === parent.spanId);

    // The gateway's HTTP span continues the client's span; its GraphQL attributes name the operation.
    const root = one((s) => s.parentSpanId === CLIENT_SPAN, 'the gateway request span');
    expect(root).toMatchObject({ service: 'kopdes-gateway', name: 'POST /graphql', kind: 2 });
    expect(root.attributes).toMatchObject({
      'graphql.operation.name': 'CooperativeVillage',
      'graphql.operation.type': 'query',
      'http.response.status_code': 200,
    });
    expect(res.headers.get('traceparent')).toBe(`00-${CLIENT_TRACE}-${root.spanId}-01`);

    const request = one((s) => s.name === 'gateway.request', 'the execution span');
    expect(request.parentSpanId).toBe(root.spanId);
    expect(request.attributes).toMatchObject({ 'graphql.operation.name': 'CooperativeVillage', 'graphql.operation.type': 'query', 'graphql.document': QUERY });
    const plan = one((s) => s.name === 'gateway.plan', 'the planning span');
    expect(plan.parentSpanId).toBe(request.spanId);

    // One fetch per subgraph the plan visits, each under the execution; each subgraph's request under its fetch.
    const fetches = spans.filter((s) => s.name === 'gateway.fetch');
    expect(fetches.map((f) => f.attributes.service).sort()).toEqual(['cooperatives', 'regions']);
    for (const fetch of fetches) {
      let ancestor = byId.get(fetch.parentSpanId);
      while (ancestor && ancestor !== request) ancestor = byId.get(ancestor.parentSpanId);
      expect(ancestor, 'a fetch descends from the execution span').toBe(request);
      const service = `kopdes-${String(fetch.attributes.service)}`;
      const [subgraph, ...more] = childrenOf(fetch);
      expect(more).toEqual([]);
      expect(subgraph).toMatchObject({
        service,
        kind: 2,
        attributes: expect.objectContaining({ 'graphql.operation.type': 'query', 'http.response.status_code': 200 }),
      });
      expect(subgraph!.name).toMatch(/^query /);
      expect(String(subgraph!.attributes['graphql.document'])).toMatch(/^query/);
      // Every SQL statement the subgraph ran for this request is a client span under its request span.
      const sql = childrenOf(subgraph!);
      expect(sql.length).toBeGreaterThan(0);
      for (const statement of sql) {
        expect(statement).toMatchObject({
          service,
          kind: 3,
          attributes: expect.objectContaining({ 'db.system.name': 'postgresql', 'db.operation.name': statement.name }),
        });
        expect(String(statement.attributes['db.query.text'])).toMatch(/^\s*(SELECT|WITH)\b/i);
      }
      expect(sqlOf(service).every((s) => s.parentSpanId === subgraph!.spanId)).toBe(true);
    }
    expect(receiver.contentTypes.every((t) => t.startsWith('application/x-protobuf'))).toBe(true);
    expect(attempts.some((a) => a.target === new URL(receiver.url).host)).toBe(true);
    expect(outside()).toEqual([]);
  });
});
