import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFederatedSchema } from '@kopdes/kit';
import { ANALYST, PUBLIC, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { loadRegions, stageAtLeast, syntheticCooperative } from '@kopdes/kit/synthetic';
import { digital } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(digital);
});
afterAll(async () => {
  await sg?.stop();
});

const sql = <R = Record<string, unknown>>(text: string, params?: unknown[]) => sg.server.db.sql.query<R>(text, params);
const one = async <R = Record<string, unknown>>(text: string, params?: unknown[]) => (await sql<R>(text, params))[0]!;
const LATEST = `SELECT DISTINCT ON ("villageCode") * FROM "ConnectivitySurvey" ORDER BY "villageCode", "surveyedOn" DESC`;
const ENTITIES =
  'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Cooperative { id digital { asOf source onboarded digitalPayments onboardedOn } } ... on Village { code connectivity { asOf source signal fiber downloadMbps surveyedOn } } } }';

describe('digital subgraph contract', () => {
  it('publishes the digital namespace on Cooperative, Village, Province and Regency by their keys', async () => {
    const sdl = await printFederatedSchema(digital);
    expect(sdl).toMatch(/type Cooperative\s+@key\(fields: "id"\)\s*\{\s*id: ID!\s+"""[^"]*"""\s+digital: CooperativeDigital\b/);
    expect(sdl).toMatch(/type Village\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/connectivity: VillageConnectivity\n/);
    expect(sdl).toMatch(/type Province\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type Regency\s+@key\(fields: "code"\)/);
    expect(sdl).toContain('digital: DigitalAggregate @tag(name: "public")\n'); // nullable: null when this subgraph is down, not the province
    expect(sdl).toMatch(/enum SignalLevel \{[\s\S]*NONE[\s\S]*G2[\s\S]*G3[\s\S]*G4[\s\S]*G5[\s\S]*\}/);
    const { body } = await sg.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(body.data?._service.sdl).toContain('digitalVillages(');
  });

  it('resolves 300 cooperatives and 300 villages through _entities in a constant number of statements', async () => {
    const villages = loadRegions('35.14').villages.slice(0, 300);
    const reps = [
      ...villages.map((v) => ({ __typename: 'Cooperative', id: syntheticCooperative(v).id })),
      { __typename: 'Cooperative', id: 'KDMP-99.99.99.9999' },
      ...villages.map((v) => ({ __typename: 'Village', code: v.code })),
      { __typename: 'Village', code: '99.99.99.9999' },
    ];
    const result = await sg.query<{ _entities: Record<string, any>[] }>(ENTITIES, { r: reps });
    expect(result.body.errors).toBeUndefined();
    const entities = result.body.data!._entities;
    expect(entities).toHaveLength(602);
    // onboarding for cooperatives, latest survey for villages: one statement each.
    expect(result.statements).toBe(2);
    villages.forEach((v, i) => expect(entities[i]!.digital.onboarded).toBe(stageAtLeast(syntheticCooperative(v).stage, 'SIMKOPDES')));
    expect(entities[300]).toEqual({
      __typename: 'Cooperative',
      id: 'KDMP-99.99.99.9999',
      digital: { asOf: '2025-11-28T00:00:00.000Z', source: expect.stringContaining('synthetic'), onboarded: false, digitalPayments: false, onboardedOn: null },
    });
    expect(entities[601]).toEqual({ __typename: 'Village', code: '99.99.99.9999', connectivity: null });

    const latest = new Map((await sql<{ villageCode: string; signal: string; fiber: boolean; surveyedOn: Date }>(LATEST)).map((s) => [s.villageCode, s]));
    for (const village of entities.slice(301, 601)) {
      const survey = latest.get(village.code);
      if (!survey) {
        expect(village.connectivity).toBeNull();
        continue;
      }
      expect(village.connectivity).toMatchObject({ signal: survey.signal, fiber: survey.fiber, surveyedOn: new Date(survey.surveyedOn).toISOString() });
    }
  });
});

describe('synthetic digital data', () => {
  it('keeps survey history consistent: the latest survey is the best, most of Java has 4G', async () => {
    const counts = await one<{ surveys: number; villages: number; g4: number; blank: number; onboarding: number }>(`SELECT
      (SELECT count(*)::int FROM "ConnectivitySurvey") AS surveys, (SELECT count(DISTINCT "villageCode")::int FROM "ConnectivitySurvey") AS villages,
      (SELECT count(*)::int FROM (${LATEST}) l WHERE signal >= 'G4') AS g4, (SELECT count(*)::int FROM (${LATEST}) l WHERE signal = 'NONE') AS blank,
      (SELECT count(*)::int FROM "PlatformOnboarding") AS onboarding`);
    expect(counts.onboarding).toBe(365);
    expect(counts.villages).toBeGreaterThan(330);
    expect(counts.surveys).toBeGreaterThan(counts.villages);
    expect(counts.g4 / counts.villages).toBeGreaterThan(0.8);
    expect(counts.blank).toBeLessThan(5);
    const { regressions } = await one<{ regressions: number }>(`SELECT count(*)::int AS regressions FROM "ConnectivitySurvey" a JOIN "ConnectivitySurvey" b
      ON a."villageCode" = b."villageCode" AND a."surveyedOn" < b."surveyedOn" WHERE a.signal > b.signal`);
    expect(regressions).toBe(0);
    const { orphanPayments } = await one<{ orphanPayments: number }>(`SELECT count(*)::int AS "orphanPayments" FROM "PlatformOnboarding"
      WHERE ("digitalPaymentsEnabled" AND NOT "simkopdesOnboarded") OR ("simkopdesOnboarded" <> ("onboardedOn" IS NOT NULL))`);
    expect(orphanPayments).toBe(0);
  });
});

describe('digitalVillages', () => {
  const codes = async (args: string) => {
    const { body, statements } = await sg.query<{ digitalVillages: { code: string }[] }>(`{ digitalVillages(${args}) { code } }`);
    expect(body.errors).toBeUndefined();
    expect(statements).toBe(1);
    return body.data!.digitalVillages.map((v) => v.code);
  };
  const expected = async (where: string) =>
    (await sql<{ code: string }>(`SELECT "villageCode" AS code FROM (${LATEST}) l WHERE ${where} ORDER BY 1`)).map((r) => r.code);

  it('selects by the latest survey only, matching the database', async () => {
    const no4g = await codes('regionCode: "35.14", maxSignal: G3');
    expect(no4g).toEqual(await expected(`"regencyCode" = '35.14' AND signal <= 'G3'`));
    expect(no4g.length).toBeGreaterThan(0);
    expect(await codes('regionCode: "3514", minSignal: G4, first: 5000')).toEqual(await expected(`"regencyCode" = '35.14' AND signal >= 'G4'`));
    expect(await codes('regionCode: "35.14", minSignal: G2, maxSignal: G3, fiber: true')).toEqual(
      await expected(`"regencyCode" = '35.14' AND signal BETWEEN 'G2' AND 'G3' AND fiber`),
    );
    expect(await codes('regionCode: "35.14", fiber: false, first: 5000')).toEqual(await expected(`"regencyCode" = '35.14' AND NOT fiber`));
    expect(await codes('regionCode: "35.14", maxSignal: NONE')).toEqual(await expected(`"regencyCode" = '35.14' AND signal = 'NONE'`));
    // A village upgraded since an earlier survey is judged by its latest one.
    const upgraded = await sql<{ code: string; latest: string }>(`SELECT l."villageCode" AS code, l.signal AS latest FROM (${LATEST}) l
      WHERE EXISTS (SELECT 1 FROM "ConnectivitySurvey" o WHERE o."villageCode" = l."villageCode" AND o.signal < l.signal) AND l.signal >= 'G4' LIMIT 1`);
    expect(upgraded).toHaveLength(1);
    expect(no4g).not.toContain(upgraded[0]!.code);
  });

  it('narrows by district and village prefixes and honours first', async () => {
    const district = await codes('regionCode: "35.14.14", first: 5000');
    expect(district).toEqual(await expected(`"districtCode" = '35.14.14'`));
    const village = district[0]!;
    expect(await codes(`regionCode: "${village.replace(/\./g, '')}"`)).toEqual([village]);
    expect(await codes('regionCode: "35.14", first: 5')).toHaveLength(5);
  });

  it('rejects bad input with BAD_USER_INPUT', async () => {
    for (const args of ['regionCode: "35.1"', 'regionCode: "35", first: 5001', 'regionCode: "35", minSignal: G4, maxSignal: G2']) {
      const { body } = await sg.query(`{ digitalVillages(${args}) { code } }`);
      expect(body.errors?.[0]?.extensions?.code, args).toBe('BAD_USER_INPUT');
    }
    const { body } = await sg.query('{ digitalVillages(regionCode: "35", minSignal: G5, maxSignal: G3) { code } }');
    expect(body.errors?.[0]?.message).toContain('NONE < G2 < G3 < G4 < G5');
  });
});

describe('region digital aggregates', () => {
  it('computes province and regency figures in one statement for both levels, matching direct SQL', async () => {
    const { body, statements } = await sg.query<{ _entities: { code: string; digital: Record<string, unknown> }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Province { code digital { asOf source villagesSurveyed blankSpotVillages share4gOrBetter fiberVillages onboardedCooperatives digitalPaymentCooperatives } } ... on Regency { code digital { villagesSurveyed share4gOrBetter onboardedCooperatives } } } }',
      {
        r: [
          { __typename: 'Province', code: '35' },
          { __typename: 'Province', code: '95' },
          { __typename: 'Regency', code: '35.14' },
          { __typename: 'Regency', code: '35.15' },
        ],
      },
    );
    expect(body.errors).toBeUndefined();
    expect(statements).toBe(1); // every province, and the regencies of province 35, grouped in one statement
    const villages = await one<{ surveyed: number; blank: number; share: number; fiber: number }>(`SELECT count(*)::int AS surveyed,
      count(*) FILTER (WHERE signal = 'NONE')::int AS blank, avg((signal >= 'G4')::int)::float8 AS share, count(*) FILTER (WHERE fiber)::int AS fiber
      FROM (${LATEST}) l WHERE "provinceCode" = '35'`);
    const coops = await one<{ onboarded: number; payments: number }>(`SELECT count(*) FILTER (WHERE "simkopdesOnboarded")::int AS onboarded,
      count(*) FILTER (WHERE "digitalPaymentsEnabled")::int AS payments FROM "PlatformOnboarding" WHERE "provinceCode" = '35'`);
    const { asOf } = await one<{ asOf: Date }>(
      `SELECT greatest((SELECT max("surveyedOn")::timestamp FROM "ConnectivitySurvey"), (SELECT max("updatedAt") FROM "PlatformOnboarding")) AS "asOf"`,
    );
    const [jatim, pegunungan, pasuruan, empty] = body.data!._entities;
    expect(jatim).toEqual({
      code: '35',
      digital: {
        asOf: new Date(asOf).toISOString(),
        source: expect.stringContaining('synthetic'),
        villagesSurveyed: villages.surveyed,
        blankSpotVillages: villages.blank,
        share4gOrBetter: expect.closeTo(villages.share, 12),
        fiberVillages: villages.fiber,
        onboardedCooperatives: coops.onboarded,
        digitalPaymentCooperatives: coops.payments,
      },
    });
    expect(coops.payments).toBeGreaterThan(0);
    expect(pegunungan!.digital).toMatchObject({ villagesSurveyed: 0, share4gOrBetter: null, onboardedCooperatives: 0 });
    expect(pasuruan).toEqual({
      code: '35.14',
      digital: { villagesSurveyed: villages.surveyed, share4gOrBetter: expect.closeTo(villages.share, 12), onboardedCooperatives: coops.onboarded },
    });
    expect(empty).toEqual({ code: '35.15', digital: { villagesSurveyed: 0, share4gOrBetter: null, onboardedCooperatives: 0 } });
  });
});

describe('access', () => {
  it('serves region figures to everyone and selections only to signed-in callers', async () => {
    const aggregate = await sg.query<{ _entities: unknown[] }>(
      '{ _entities(representations: [{ __typename: "Province", code: "35" }]) { ... on Province { digital { villagesSurveyed } } } }',
      undefined,
      { caller: PUBLIC },
    );
    expect(aggregate.body.errors).toBeUndefined();
    expect(aggregate.body.data!._entities).toHaveLength(1);
    const denied = await sg.query('{ digitalVillages(regionCode: "35.14") { code } }', undefined, { caller: PUBLIC });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const allowed = await sg.query('{ digitalVillages(regionCode: "35.14") { code } }', undefined, { caller: ANALYST });
    expect(allowed.body.errors).toBeUndefined();
  });
});
