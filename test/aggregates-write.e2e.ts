/**
 * Region figures are current in the same request cycle as the write that changes them: through the
 * gateway with its response cache on, the 38-province dashboard (the benchmark's Q3) is read, one
 * write per ministry is sent, and the very next read shows every new figure (the cached answer
 * dropped, the summaries refreshed in the writes' own transactions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VILLAGES_SHAPE } from '@kopdes/kit/synthetic';
import { BENCH_QUERIES } from '../scripts/lib/bench-queries';
import { bearer, startPlatform, type TestPlatform } from './helpers';

const Q3 = BENCH_QUERIES.find((q) => q.id === 'Q3')!;
const COOPERATIVE = 'KDMP-35.14.01.2001';
const VILLAGE = '35.14.01.2001';
/** The year Province.development shows without a year argument. */
const LATEST_YEAR = Math.max(...VILLAGES_SHAPE.years);

interface Province {
  code: string;
  registry: { cooperatives: number; operating: number };
  financing: { loans: number; outstanding: string };
  energy: { kwpPlanned: number; unelectrifiedVillages: number };
  digital: { blankSpotVillages: number; share4gOrBetter: number };
  labour: { employees: number; averagePerCooperative: number };
  development: { tertinggal: number; sangatTertinggal: number };
}

let platform: TestPlatform;
let admin: Record<string, string>;
let analyst: Record<string, string>;

beforeAll(async () => {
  platform = await startPlatform({
    gateway: { subgraphTimeoutMs: 120_000, responseCache: { enabled: true, warm: false, ttlMs: 600_000, maxBytes: 8 << 20, maxEntryBytes: 1 << 20 } },
  });
  admin = { authorization: await bearer({ subject: 'e2e-aggregates-admin', role: 'admin' }) };
  analyst = { authorization: await bearer({ subject: 'e2e-aggregates-analyst', role: 'analyst' }) };
});
afterAll(() => platform?.stop());

async function post(query: string, headers: Record<string, string>, variables?: Record<string, unknown>, operationName?: string) {
  const res = await fetch(`${platform.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { cache: res.headers.get('x-cache'), body: (await res.json()) as { data?: Record<string, any>; errors?: { message: string }[] } };
}

async function jawaTimur(headers: Record<string, string>): Promise<{ cache: string | null; province: Province }> {
  const { cache, body } = await post(Q3.document, headers, {}, Q3.operationName);
  expect(body.errors).toBeUndefined();
  const province = (body.data!.provinces as Province[]).find((p) => p.code === '35')!;
  return { cache, province };
}

let key = 0;
async function write(mutation: string, input: Record<string, unknown>): Promise<void> {
  const { body } = await post(
    `mutation ($input: ${mutation.split(':')[1]}!, $key: String!) { ${mutation.split(':')[0]}(input: $input, idempotencyKey: $key) { __typename } }`,
    admin,
    { input, key: `e2e-aggregates-${process.pid}-${Date.now()}-${key++}` },
  );
  expect(body.errors).toBeUndefined();
}

describe('executed aggregates after a write', () => {
  it("show every ministry's new figure on the next read, with the cached answer dropped", async () => {
    const { body: villageBefore } = await post(`{ village(code: "${VILLAGE}") { connectivity { signal } developmentStatus { status } } }`, analyst);
    expect(villageBefore.errors).toBeUndefined();
    const signal = villageBefore.data!.village.connectivity?.signal as string | undefined;
    const status = villageBefore.data!.village.developmentStatus?.status as string | undefined;

    const first = await jawaTimur(analyst);
    const cached = await jawaTimur(analyst);
    expect(cached.cache).toBe('hit');
    const before = first.province;

    await write('registerCooperative:RegisterCooperativeInput', {
      villageCode: VILLAGE,
      name: 'Koperasi Uji Ringkasan (synthetic, test)',
      kind: 'KDMP',
      formation: 'NEW',
      musdesusDate: '2025-06-01',
      members: 12,
    });
    await write('applyForLoan:ApplyForLoanInput', {
      cooperativeId: COOPERATIVE,
      scheme: 'HIMBARA_PMK49',
      lender: 'BRI',
      plafond: '1000000000',
      operatingPart: '100000000',
      contractRate: 6,
      effectiveRate: 2,
      tenorMonths: 60,
      graceMonths: 6,
      appliedOn: '2025-10-01',
    });
    await write('registerSolarPlant:RegisterSolarPlantInput', { cooperativeId: COOPERATIVE, capacityKwp: 123, storageKwh: 0, plannedOn: '2025-08-01' });
    await write('recordConnectivitySurvey:RecordConnectivitySurveyInput', { villageCode: VILLAGE, surveyedOn: '2026-11-30', signal: 'NONE', fiber: false });
    await write('recordHires:RecordHiresInput', { cooperativeId: COOPERATIVE, hiredOn: '2025-10-01', count: 5 });
    await write('setDevelopmentStatus:SetDevelopmentStatusInput', { villageCode: VILLAGE, year: LATEST_YEAR, status: 'SANGAT_TERTINGGAL', score: 0.1 });

    const after = await jawaTimur(analyst);
    expect(after.cache).toBe('miss');
    const p = after.province;
    expect(p.registry.cooperatives).toBe(before.registry.cooperatives + 1);
    expect(p.financing.loans).toBe(before.financing.loans + 1);
    expect(p.energy.kwpPlanned).toBeCloseTo(before.energy.kwpPlanned + 123, 6);
    expect(p.digital.blankSpotVillages).toBe(before.digital.blankSpotVillages + (signal === 'NONE' ? 0 : 1));
    expect(p.labour.employees).toBe(before.labour.employees + 5);
    expect(p.development.sangatTertinggal).toBe(before.development.sangatTertinggal + (status === 'SANGAT_TERTINGGAL' ? 0 : 1));
    expect(p.development.tertinggal).toBe(before.development.tertinggal - (status === 'TERTINGGAL' ? 1 : 0));
  });
});
