import { ANALYST } from '@kopdes/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * `x-query-plan: true` shows a signed-in analyst the plan of their query, the subgraphs it touches and
 * each fetch's time (in `extensions.queryPlan`); the public never gets one. Durations are only checked
 * to be numbers: their size depends on the machine.
 */
let platform: TestPlatform;
let analyst: Record<string, string>;
const PLAN = { 'x-query-plan': 'true' };
// Regions, cooperatives and financing: a plan with a Sequence of fetches from three subgraphs.
const QUERY = '{ province(code: "35") { name registry { cooperatives } financing { loans } } }';

type Report = { subgraphs: string[]; plan: string; fetches: { subgraph: string; durationMs: number; errors: number }[] };
const reportOf = (body: unknown) => (body as { extensions?: { queryPlan?: Report } }).extensions?.queryPlan;

beforeAll(async () => {
  // With the response cache on: a plan's timings must come from this execution, never from a kept answer.
  platform = await startPlatform({ gateway: { responseCache: { enabled: true, warm: false, ttlMs: 60_000, maxBytes: 8 << 20, maxEntryBytes: 1 << 20 } } });
  analyst = { authorization: await bearer(ANALYST) };
});
afterAll(async () => {
  await platform?.stop();
});

describe('query plans for analysts', () => {
  it('an analyst who asks gets the subgraphs, the plan and each fetch with its time', async () => {
    const { body } = await platform.query(QUERY, undefined, { ...analyst, ...PLAN });
    expect(body.errors).toBeUndefined();
    const report = reportOf(body)!;
    expect(report.subgraphs).toEqual(['cooperatives', 'financing', 'regions']);
    expect(report.plan).toMatch(/^QueryPlan \{/);
    for (const subgraph of report.subgraphs) expect(report.plan).toContain(`Fetch(service: "${subgraph}")`);
    expect(report.fetches.map((f) => f.subgraph).sort()).toEqual(['cooperatives', 'financing', 'regions']);
    for (const fetch of report.fetches) expect(fetch).toEqual({ subgraph: expect.any(String), durationMs: expect.any(Number), errors: 0 });
    expect(report.fetches.every((f) => f.durationMs >= 0)).toBe(true);
  });

  it('each request with the header is executed afresh, so its timings are its own', async () => {
    const first = await platform.query(QUERY, undefined, { ...analyst, ...PLAN });
    const second = await platform.query(QUERY, undefined, { ...analyst, ...PLAN });
    expect(second.headers.get('x-cache')).not.toBe('hit');
    expect(reportOf(first.body)?.fetches).toHaveLength(3);
    expect(reportOf(second.body)?.fetches).toHaveLength(3);
    // Without the header the same analyst's answers are cached as usual, and carry no plan.
    await platform.query(QUERY, undefined, analyst);
    const cached = await platform.query(QUERY, undefined, analyst);
    expect(cached.headers.get('x-cache')).toBe('hit');
    expect(reportOf(cached.body)).toBeUndefined();
  });

  it('the public never gets a plan, header or not', async () => {
    const query = '{ province(code: "35") { name registry { cooperatives } } }';
    const { body } = await platform.query(query, undefined, PLAN);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ province: { name: 'Jawa Timur', registry: { cooperatives: expect.any(Number) } } });
    expect(reportOf(body)).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('Fetch(service');
  });

  it('an analyst who does not ask gets none', async () => {
    const { body } = await platform.query('{ provinces { code } }', undefined, analyst);
    expect(reportOf(body)).toBeUndefined();
  });
});
