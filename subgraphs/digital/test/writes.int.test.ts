import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, officerOf, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { digital } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(digital);
});
afterAll(async () => {
  await sg?.stop();
});

const officer = { caller: officerOf('digital') };
let keys = 0;
const key = () => `test-key-${Date.now()}-${keys++}`;
const sql = <R = Record<string, unknown>>(text: string, params?: unknown[]) => sg.server.db.sql.query<R>(text, params);

const SURVEY = `mutation ($input: RecordConnectivitySurveyInput!, $key: String!) {
  recordConnectivitySurvey(input: $input, idempotencyKey: $key) { code connectivity { signal fiber downloadMbps surveyedOn } } }`;
const ONBOARD = `mutation ($input: SetPlatformOnboardingInput!, $key: String!) {
  setPlatformOnboarding(input: $input, idempotencyKey: $key) { id digital { onboarded digitalPayments onboardedOn } } }`;

async function auditCount(entityId: string): Promise<number> {
  const [row] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "_kopdes_audit" WHERE entity_id = $1', [entityId]);
  return row!.n;
}

/** Rows in every table a write could touch: equal before and after means nothing was written. */
async function footprint() {
  return sql(`SELECT (SELECT count(*) FROM "ConnectivitySurvey")::int AS surveys, (SELECT md5(string_agg(s::text, ',' ORDER BY "villageCode", "surveyedOn")) FROM "ConnectivitySurvey" s) AS "surveysHash",
    (SELECT max("updatedAt") FROM "PlatformOnboarding") AS "onboardingUpdated",
    (SELECT count(*) FROM "_kopdes_audit")::int AS audit, (SELECT count(*) FROM "_kopdes_idempotency")::int AS keys`);
}

/** A surveyed village (skipping `offset`) and the date of its latest survey. */
async function surveyedVillage(offset: number): Promise<{ code: string; latest: string }> {
  const [row] = await sql<{ code: string; latest: string }>(
    `SELECT "villageCode" AS code, max("surveyedOn")::text AS latest
    FROM "ConnectivitySurvey" GROUP BY 1 ORDER BY 1 OFFSET $1 LIMIT 1`,
    [offset],
  );
  return row!;
}

const dayAfter = (iso: string, days = 1) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('connectivity survey writes', () => {
  it("records a newer survey as the village's connectivity, audited before and after, applied once under retry", async () => {
    const { code, latest } = await surveyedVillage(0);
    const [previous] = await sql<{ signal: string }>('SELECT signal FROM "ConnectivitySurvey" WHERE "villageCode" = $1 AND "surveyedOn" = $2', [code, latest]);
    const surveyedOn = dayAfter(latest, 30);
    const input = { villageCode: code.replaceAll('.', ''), surveyedOn, signal: 'G5', fiber: true, downloadMbps: 150.5 };
    const k = key();
    const first = await sg.query(SURVEY, { input, key: k }, officer);
    expect(first.body).toEqual({
      data: { recordConnectivitySurvey: { code, connectivity: { signal: 'G5', fiber: true, downloadMbps: 150.5, surveyedOn: `${surveyedOn}T00:00:00.000Z` } } },
    });
    const retry = await sg.query(SURVEY, { input, key: k }, officer);
    expect(retry.body).toEqual(first.body);
    const [count] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "ConnectivitySurvey" WHERE "villageCode" = $1 AND "surveyedOn" = $2', [
      code,
      surveyedOn,
    ]);
    expect(count!.n).toBe(1);
    expect(await auditCount(code)).toBe(1);
    const [audit] = await sql<{ actor: string; ministry: string; operation: string; entity: string; before: { signal: string }; after: { signal: string } }>(
      'SELECT actor, ministry, operation, entity, before, after FROM "_kopdes_audit" WHERE entity_id = $1',
      [code],
    );
    expect(audit).toMatchObject({
      actor: 'test-officer-digital',
      ministry: 'digital',
      operation: 'recordConnectivitySurvey',
      entity: 'VillageConnectivity',
      before: { signal: previous!.signal, surveyedOn: `${latest}T00:00:00.000Z` },
      after: { signal: 'G5', surveyedOn: `${surveyedOn}T00:00:00.000Z` },
    });
  });

  it('replaces a survey recorded again on the same day (a correction)', async () => {
    const { code, latest } = await surveyedVillage(1);
    const [{ n: surveys }] = (await sql<{ n: number }>('SELECT count(*)::int AS n FROM "ConnectivitySurvey" WHERE "villageCode" = $1', [code])) as [
      { n: number },
    ];
    const { body } = await sg.query(
      SURVEY,
      { input: { villageCode: code, surveyedOn: latest, signal: 'NONE', fiber: true, downloadMbps: 50 }, key: key() },
      officer,
    );
    expect(body.data).toEqual({
      recordConnectivitySurvey: { code, connectivity: { signal: 'NONE', fiber: true, downloadMbps: 50, surveyedOn: `${latest}T00:00:00.000Z` } },
    });
    const [after] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "ConnectivitySurvey" WHERE "villageCode" = $1', [code]);
    expect(after!.n).toBe(surveys);
  });

  it('records the first survey of a village Komdigi knows through its cooperative', async () => {
    const [row] = await sql<{ code: string }>(`SELECT "villageCode" AS code FROM "PlatformOnboarding" p
      WHERE NOT EXISTS (SELECT 1 FROM "ConnectivitySurvey" s WHERE s."villageCode" = p."villageCode") ORDER BY 1 LIMIT 1`);
    const { body } = await sg.query(SURVEY, { input: { villageCode: row!.code, surveyedOn: '2025-11-01', signal: 'NONE', fiber: false }, key: key() }, officer);
    expect(body.data).toEqual({
      recordConnectivitySurvey: { code: row!.code, connectivity: { signal: 'NONE', fiber: false, downloadMbps: null, surveyedOn: '2025-11-01T00:00:00.000Z' } },
    });
    const [survey] = await sql('SELECT "districtCode", "regencyCode", "provinceCode" FROM "ConnectivitySurvey" WHERE "villageCode" = $1', [row!.code]);
    expect(survey).toEqual({ districtCode: row!.code.slice(0, 8), regencyCode: '35.14', provinceCode: '35' });
    const [audit] = await sql<{ before: unknown }>('SELECT before FROM "_kopdes_audit" WHERE entity_id = $1', [row!.code]);
    expect(audit!.before).toBeNull();
  });

  it('refuses a key reused for a different request', async () => {
    const { code, latest } = await surveyedVillage(2);
    const k = key();
    const input = { villageCode: code, surveyedOn: dayAfter(latest), signal: 'G4', fiber: false, downloadMbps: 20 };
    await sg.query(SURVEY, { input, key: k }, officer);
    const reuse = await sg.query(SURVEY, { input: { ...input, signal: 'G3' }, key: k }, officer);
    expect(reuse.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(reuse.body.errors?.[0]?.message).toMatch(/already used for a different request/);
  });

  const valid = { signal: 'G4', fiber: false, downloadMbps: 12.5 };
  it.each([
    ['unknown_village', { villageCode: '35.14.14.1999' }],
    ['unknown_village', { villageCode: '11.01.01.2001' }],
    ['surveyedOn_format', { surveyedOn: '2025-11-31' }],
    ['date_not_in_future', { surveyedOn: '2099-01-01' }],
    ['survey_order', { surveyedOn: 'BEFORE_LATEST' }],
    ['download_speed_range', { downloadMbps: -1 }],
    ['download_speed_without_service', { signal: 'NONE', fiber: false, downloadMbps: 0.5 }],
  ])('refuses a survey breaking %s and writes nothing', async (rule, change) => {
    const { code, latest } = await surveyedVillage(3);
    const input = { villageCode: code, surveyedOn: dayAfter(latest), ...valid, ...change };
    if (input.surveyedOn === 'BEFORE_LATEST') input.surveyedOn = dayAfter(latest, -1);
    const before = await footprint();
    const { body } = await sg.query(SURVEY, { input, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });

  it.each(['35.14', '3514xx2001', '35.14.14.20011'])('refuses the malformed village code %s with the code format', async (villageCode) => {
    const before = await footprint();
    const { body } = await sg.query(SURVEY, { input: { villageCode, surveyedOn: '2025-11-01', ...valid }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'villageCode' });
    expect(body.errors?.[0]?.message).toMatch(/"35.14.14.2001"/);
    expect(await footprint()).toEqual(before);
  });
});

describe('platform onboarding writes', () => {
  const cooperative = async (onboarded: boolean, offset = 0) =>
    (
      await sql<{ id: string }>('SELECT "cooperativeId" AS id FROM "PlatformOnboarding" WHERE "simkopdesOnboarded" = $1 ORDER BY 1 OFFSET $2 LIMIT 1', [
        onboarded,
        offset,
      ])
    )[0]!.id;

  it('onboards a cooperative with digital payments, audited before and after, applied once under retry', async () => {
    const id = await cooperative(false);
    const input = { cooperativeId: id, onboarded: true, digitalPayments: true, onboardedOn: '2025-11-20' };
    const k = key();
    const first = await sg.query(ONBOARD, { input, key: k }, officer);
    expect(first.body).toEqual({
      data: { setPlatformOnboarding: { id, digital: { onboarded: true, digitalPayments: true, onboardedOn: '2025-11-20T00:00:00.000Z' } } },
    });
    const retry = await sg.query(ONBOARD, { input, key: k }, officer);
    expect(retry.body).toEqual(first.body);
    expect(await auditCount(id)).toBe(1);
    const [audit] = await sql<{ entity: string; before: unknown; after: unknown }>('SELECT entity, before, after FROM "_kopdes_audit" WHERE entity_id = $1', [
      id,
    ]);
    expect(audit).toMatchObject({
      entity: 'PlatformOnboarding',
      before: { simkopdesOnboarded: false, digitalPaymentsEnabled: false, onboardedOn: null },
      after: { simkopdesOnboarded: true, digitalPaymentsEnabled: true, onboardedOn: '2025-11-20T00:00:00.000Z' },
    });

    // Omitting onboardedOn keeps the recorded date; leaving the platform clears it.
    const payments = await sg.query(ONBOARD, { input: { cooperativeId: id, onboarded: true, digitalPayments: false }, key: key() }, officer);
    expect(payments.body.data).toEqual({
      setPlatformOnboarding: { id, digital: { onboarded: true, digitalPayments: false, onboardedOn: '2025-11-20T00:00:00.000Z' } },
    });
    const left = await sg.query(ONBOARD, { input: { cooperativeId: id, onboarded: false, digitalPayments: false }, key: key() }, officer);
    expect(left.body.data).toEqual({ setPlatformOnboarding: { id, digital: { onboarded: false, digitalPayments: false, onboardedOn: null } } });
  });

  it('refuses a key reused for a different request', async () => {
    const id = await cooperative(false, 1);
    const k = key();
    await sg.query(ONBOARD, { input: { cooperativeId: id, onboarded: true, digitalPayments: false, onboardedOn: '2025-11-01' }, key: k }, officer);
    const reuse = await sg.query(ONBOARD, { input: { cooperativeId: id, onboarded: true, digitalPayments: true, onboardedOn: '2025-11-01' }, key: k }, officer);
    expect(reuse.body.errors?.[0]?.message).toMatch(/already used for a different request/);
    const [row] = await sql<{ digitalPaymentsEnabled: boolean }>('SELECT "digitalPaymentsEnabled" FROM "PlatformOnboarding" WHERE "cooperativeId" = $1', [id]);
    expect(row!.digitalPaymentsEnabled).toBe(false);
  });

  it.each([
    ['unknown_cooperative', false, { cooperativeId: 'KDMP-11.01.01.2001', onboarded: true, digitalPayments: false, onboardedOn: '2025-11-01' }],
    ['payments_need_onboarding', false, { onboarded: false, digitalPayments: true }],
    ['payments_need_onboarding', true, { onboarded: false, digitalPayments: true }],
    ['onboardedOn_required', false, { onboarded: true, digitalPayments: false }],
    ['onboardedOn_only_when_onboarded', true, { onboarded: false, digitalPayments: false, onboardedOn: '2025-11-01' }],
    ['onboardedOn_format', false, { onboarded: true, digitalPayments: false, onboardedOn: '20251101' }],
    ['date_not_in_future', false, { onboarded: true, digitalPayments: false, onboardedOn: '2099-01-01' }],
  ] as const)('refuses onboarding breaking %s and leaves the record as it was', async (rule, onboarded, change) => {
    const id = await cooperative(onboarded, 5);
    const [before] = await sql('SELECT * FROM "PlatformOnboarding" WHERE "cooperativeId" = $1', [id]);
    const footprintBefore = await footprint();
    const { body } = await sg.query(ONBOARD, { input: { cooperativeId: id, ...change }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    const [after] = await sql('SELECT * FROM "PlatformOnboarding" WHERE "cooperativeId" = $1', [id]);
    expect(after).toEqual(before);
    expect(await footprint()).toEqual(footprintBefore);
  });
});

describe('who may write', () => {
  it('lets only Komdigi officers and admins write', async () => {
    const { code, latest } = await surveyedVillage(4);
    const [coop] = await sql<{ id: string }>('SELECT "cooperativeId" AS id FROM "PlatformOnboarding" ORDER BY 1 OFFSET 7 LIMIT 1');
    const before = await footprint();
    for (const caller of [ANALYST, officerOf('energy'), officerOf('cooperatives')]) {
      const survey = await sg.query(SURVEY, { input: { villageCode: code, surveyedOn: dayAfter(latest), signal: 'G4', fiber: false }, key: key() }, { caller });
      expect(survey.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const onboard = await sg.query(
        ONBOARD,
        { input: { cooperativeId: coop!.id, onboarded: true, digitalPayments: true, onboardedOn: '2025-11-01' }, key: key() },
        { caller },
      );
      expect(onboard.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await footprint()).toEqual(before);
  });
});
