import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, officerOf, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { energy } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(energy);
});
afterAll(async () => {
  await sg?.stop();
});

const officer = { caller: officerOf('energy') };
let keys = 0;
const key = () => `test-key-${Date.now()}-${keys++}`;
const sql = <R = Record<string, unknown>>(text: string, params?: unknown[]) => sg.server.db.sql.query<R>(text, params);

const PLANT = 'id capacityKwp storageKwh status plannedOn commissionedOn cooperative { id }';
const REGISTER = `mutation ($input: RegisterSolarPlantInput!, $key: String!) { registerSolarPlant(input: $input, idempotencyKey: $key) { ${PLANT} } }`;
const STATUS = `mutation ($input: SetSolarPlantStatusInput!, $key: String!) { setSolarPlantStatus(input: $input, idempotencyKey: $key) { ${PLANT} } }`;
const ELECTRIFY = `mutation ($input: RecordVillageElectrificationInput!, $key: String!) {
  recordVillageElectrification(input: $input, idempotencyKey: $key) { code electrification { electrified ratio supply supplyHoursPerDay reliableSupply } } }`;

interface Plant {
  id: string;
  capacityKwp: number;
  storageKwh: number;
  status: string;
  plannedOn: string;
  commissionedOn: string | null;
  cooperative: { id: string };
}

async function auditCount(entityId: string): Promise<number> {
  const [row] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "_kopdes_audit" WHERE entity_id = $1', [entityId]);
  return row!.n;
}

/** Rows in every table a write could touch: equal before and after means nothing was written. */
async function footprint() {
  return sql(`SELECT (SELECT count(*) FROM "SolarPlant")::int AS plants, (SELECT max("updatedAt") FROM "SolarPlant") AS "plantsUpdated",
    (SELECT max("updatedAt") FROM "VillageElectrification") AS "villagesUpdated",
    (SELECT count(*) FROM "_kopdes_audit")::int AS audit, (SELECT count(*) FROM "_kopdes_idempotency")::int AS keys`);
}

async function cooperativeWithoutPlant(offset = 0): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `SELECT "cooperativeId" AS id FROM "CooperativeSite" s
    WHERE NOT EXISTS (SELECT 1 FROM "SolarPlant" p WHERE p."cooperativeId" = s."cooperativeId") ORDER BY 1 OFFSET $1 LIMIT 1`,
    [offset],
  );
  return row!.id;
}

let testSite: string;
/** A fresh plant at the test site, moved to `status` (by an admin). */
async function plantAt(status: 'PLANNED' | 'UNDER_CONSTRUCTION' | 'COMMISSIONED'): Promise<string> {
  testSite ??= await cooperativeWithoutPlant(5);
  const { body } = await sg.query<{ registerSolarPlant: Plant }>(REGISTER, {
    input: { cooperativeId: testSite, capacityKwp: 1000, storageKwh: 1000, plannedOn: '2025-06-01' },
    key: key(),
  });
  const id = body.data!.registerSolarPlant.id;
  if (status !== 'PLANNED') {
    const commissionedOn = status === 'COMMISSIONED' ? '2025-10-01' : undefined;
    const moved = await sg.query(STATUS, { input: { plantId: id, status, commissionedOn }, key: key() });
    expect(moved.body.errors).toBeUndefined();
  }
  return id;
}

describe('solar plant writes', () => {
  it('registers a plant, audited, applied once under retry', async () => {
    const cooperativeId = await cooperativeWithoutPlant();
    const input = { cooperativeId, capacityKwp: 1200, storageKwh: 2400, plannedOn: '2025-09-15' };
    const k = key();
    const first = await sg.query<{ registerSolarPlant: Plant }>(REGISTER, { input, key: k }, officer);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.registerSolarPlant).toEqual({
      id: `PLTS-${cooperativeId}-1`,
      capacityKwp: 1200,
      storageKwh: 2400,
      status: 'PLANNED',
      plannedOn: '2025-09-15T00:00:00.000Z',
      commissionedOn: null,
      cooperative: { id: cooperativeId },
    });
    const retry = await sg.query(REGISTER, { input, key: k }, officer);
    expect(retry.body).toEqual(first.body);
    const [count] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "SolarPlant" WHERE "cooperativeId" = $1', [cooperativeId]);
    expect(count!.n).toBe(1);
    expect(await auditCount(`PLTS-${cooperativeId}-1`)).toBe(1);
    const [audit] = await sql<{
      actor: string;
      ministry: string;
      operation: string;
      entity: string;
      before: unknown;
      after: { capacityKwp: number; status: string };
    }>('SELECT actor, ministry, operation, entity, before, after FROM "_kopdes_audit" WHERE entity_id = $1', [`PLTS-${cooperativeId}-1`]);
    expect(audit).toMatchObject({
      actor: 'test-officer-energy',
      ministry: 'energy',
      operation: 'registerSolarPlant',
      entity: 'SolarPlant',
      before: null,
      after: { capacityKwp: 1200, status: 'PLANNED' },
    });
    // The cooperative's energy slice shows it.
    const { body } = await sg.query<{ _entities: { energy: { solarPlants: { id: string }[] } }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { energy { solarPlants { id } } } } }',
      { r: [{ __typename: 'Cooperative', id: cooperativeId }] },
    );
    expect(body.data!._entities[0]!.energy.solarPlants).toEqual([{ id: `PLTS-${cooperativeId}-1` }]);
  });

  it("numbers a second plant after the cooperative's first and accepts the upper limits (2,000 kWp, 4 × storage)", async () => {
    const [seeded] = await sql<{ cooperativeId: string }>('SELECT "cooperativeId" FROM "SolarPlant" GROUP BY 1 HAVING count(*) = 1 ORDER BY 1 LIMIT 1');
    const { body } = await sg.query<{ registerSolarPlant: Plant }>(
      REGISTER,
      { input: { cooperativeId: seeded!.cooperativeId, capacityKwp: 2000, storageKwh: 8000, plannedOn: '2025-10-01' }, key: key() },
      officer,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.registerSolarPlant).toMatchObject({ id: `PLTS-${seeded!.cooperativeId}-2`, capacityKwp: 2000, storageKwh: 8000 });
  });

  it('refuses a key reused for a different request', async () => {
    const k = key();
    const cooperativeId = await cooperativeWithoutPlant(1);
    const input = { cooperativeId, capacityKwp: 1000, storageKwh: 1000, plannedOn: '2025-09-01' };
    await sg.query(REGISTER, { input, key: k }, officer);
    const reuse = await sg.query(REGISTER, { input: { ...input, capacityKwp: 1100 }, key: k }, officer);
    expect(reuse.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(reuse.body.errors?.[0]?.message).toMatch(/already used for a different request/);
    const [count] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "SolarPlant" WHERE "cooperativeId" = $1', [cooperativeId]);
    expect(count!.n).toBe(1);
  });

  const valid = { capacityKwp: 1000, storageKwh: 1500, plannedOn: '2025-09-01' };
  it.each([
    ['unknown_cooperative', { cooperativeId: 'KDMP-11.01.01.2001' }],
    ['capacity_range', { capacityKwp: 0 }],
    ['capacity_range', { capacityKwp: 2000.5 }],
    ['storage_range', { storageKwh: -1 }],
    ['storage_range', { capacityKwp: 400, storageKwh: 1601 }],
    ['plannedOn_format', { plannedOn: '2025-02-31' }],
    ['plannedOn_format', { plannedOn: '1 Sep 2025' }],
    ['date_not_in_future', { plannedOn: '2099-01-01' }],
  ])('refuses registration breaking %s and writes nothing', async (rule, change) => {
    const cooperativeId = await cooperativeWithoutPlant(2);
    const before = await footprint();
    const { body } = await sg.query(REGISTER, { input: { cooperativeId, ...valid, ...change }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });

  it('moves a plant forward to OPERATING, keeping its commissioning date, and audits before and after', async () => {
    const id = await plantAt('PLANNED');
    const built = await sg.query<{ setSolarPlantStatus: Plant }>(STATUS, { input: { plantId: id, status: 'UNDER_CONSTRUCTION' }, key: key() }, officer);
    expect(built.body.data!.setSolarPlantStatus).toMatchObject({ status: 'UNDER_CONSTRUCTION', commissionedOn: null });
    const commissioned = await sg.query<{ setSolarPlantStatus: Plant }>(
      STATUS,
      { input: { plantId: id, status: 'COMMISSIONED', commissionedOn: '2025-11-03' }, key: key() },
      officer,
    );
    expect(commissioned.body.data!.setSolarPlantStatus).toMatchObject({ status: 'COMMISSIONED', commissionedOn: '2025-11-03T00:00:00.000Z' });
    const k = key();
    const operating = await sg.query<{ setSolarPlantStatus: Plant }>(STATUS, { input: { plantId: id, status: 'OPERATING' }, key: k }, officer);
    expect(operating.body.data!.setSolarPlantStatus).toMatchObject({ status: 'OPERATING', commissionedOn: '2025-11-03T00:00:00.000Z' });
    const retry = await sg.query(STATUS, { input: { plantId: id, status: 'OPERATING' }, key: k }, officer);
    expect(retry.body).toEqual(operating.body);
    expect(await auditCount(id)).toBe(4); // registration + three moves; the retry wrote nothing
    const [audit] = await sql<{ before: { status: string }; after: { status: string; commissionedOn: string } }>(
      'SELECT before, after FROM "_kopdes_audit" WHERE entity_id = $1 ORDER BY id DESC LIMIT 1',
      [id],
    );
    expect(audit!.before.status).toBe('COMMISSIONED');
    expect(audit!.after).toMatchObject({ status: 'OPERATING', commissionedOn: '2025-11-03T00:00:00.000Z' });
  });

  it.each([
    ['status_order', 'UNDER_CONSTRUCTION', { status: 'PLANNED' }],
    ['status_order', 'COMMISSIONED', { status: 'UNDER_CONSTRUCTION' }],
    ['commissionedOn_required', 'UNDER_CONSTRUCTION', { status: 'COMMISSIONED' }],
    ['commissionedOn_required', 'PLANNED', { status: 'OPERATING' }],
    ['commissionedOn_only_when_commissioned', 'PLANNED', { status: 'UNDER_CONSTRUCTION', commissionedOn: '2025-10-01' }],
    ['commissionedOn_format', 'UNDER_CONSTRUCTION', { status: 'COMMISSIONED', commissionedOn: '2025/10/01' }],
    ['dates_in_order', 'UNDER_CONSTRUCTION', { status: 'COMMISSIONED', commissionedOn: '2025-05-31' }],
    ['date_not_in_future', 'UNDER_CONSTRUCTION', { status: 'COMMISSIONED', commissionedOn: '2099-01-01' }],
  ] as const)('refuses a status change breaking %s (from %s) and leaves the plant as it was', async (rule, from, change) => {
    const id = await plantAt(from);
    const [before] = await sql('SELECT * FROM "SolarPlant" WHERE id = $1', [id]);
    const audits = await auditCount(id);
    const { body } = await sg.query(STATUS, { input: { plantId: id, ...change }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    const [after] = await sql('SELECT * FROM "SolarPlant" WHERE id = $1', [id]);
    expect(after).toEqual(before);
    expect(await auditCount(id)).toBe(audits);
  });

  it('answers NOT_FOUND for a plant id ESDM does not hold', async () => {
    const { body } = await sg.query(
      STATUS,
      { input: { plantId: 'PLTS-KDMP-35.14.01.2001-99', status: 'OPERATING', commissionedOn: '2025-10-01' }, key: key() },
      officer,
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('village electrification writes', () => {
  const village = async (offset: number) =>
    (await sql<{ code: string }>('SELECT "villageCode" AS code FROM "VillageElectrification" ORDER BY 1 OFFSET $1 LIMIT 1', [offset]))[0]!.code;

  it('records an assessment with reliability derived from the hours, applied once under retry, audited before and after', async () => {
    const code = await village(0);
    const [previous] = await sql<{ supply: string }>('SELECT supply FROM "VillageElectrification" WHERE "villageCode" = $1', [code]);
    const input = { villageCode: code.replaceAll('.', ''), electrified: true, ratio: 0.82, supply: 'OFF_GRID', supplyHoursPerDay: 12 };
    const k = key();
    const first = await sg.query(ELECTRIFY, { input, key: k }, officer);
    expect(first.body).toEqual({
      data: {
        recordVillageElectrification: {
          code,
          electrification: { electrified: true, ratio: 0.82, supply: 'OFF_GRID', supplyHoursPerDay: 12, reliableSupply: false },
        },
      },
    });
    const retry = await sg.query(ELECTRIFY, { input, key: k }, officer);
    expect(retry.body).toEqual(first.body);
    expect(await auditCount(code)).toBe(1);
    const [audit] = await sql<{ entity: string; before: { supply: string }; after: { supply: string; reliableSupply: boolean } }>(
      'SELECT entity, before, after FROM "_kopdes_audit" WHERE entity_id = $1',
      [code],
    );
    expect(audit).toMatchObject({
      entity: 'VillageElectrification',
      before: { supply: previous!.supply },
      after: { supply: 'OFF_GRID', reliableSupply: false },
    });

    const dark = await sg.query(
      ELECTRIFY,
      { input: { villageCode: code, electrified: false, ratio: 0, supply: 'NONE', supplyHoursPerDay: 0 }, key: key() },
      officer,
    );
    expect(dark.body.data).toEqual({
      recordVillageElectrification: { code, electrification: { electrified: false, ratio: 0, supply: 'NONE', supplyHoursPerDay: 0, reliableSupply: false } },
    });
  });

  const valid = { electrified: true, ratio: 0.9, supply: 'PLN_GRID', supplyHoursPerDay: 24 };
  it.each([
    ['unknown_village', { villageCode: '35.14.14.1999' }],
    ['unknown_village', { villageCode: '11.01.01.2001' }],
    ['ratio_range', { ratio: 1.2 }],
    ['ratio_range', { ratio: -0.1 }],
    ['supply_hours_range', { supplyHoursPerDay: 25 }],
    ['electrification_consistent', { electrified: false, ratio: 0.4, supply: 'NONE', supplyHoursPerDay: 0 }],
    ['electrification_consistent', { electrified: false, ratio: 0, supply: 'OFF_GRID', supplyHoursPerDay: 0 }],
    ['electrification_consistent', { electrified: true, supply: 'NONE' }],
    ['electrification_consistent', { electrified: true, supplyHoursPerDay: 0 }],
  ])('refuses an assessment breaking %s and writes nothing', async (rule, change) => {
    const villageCode = await village(1);
    const before = await footprint();
    const { body } = await sg.query(ELECTRIFY, { input: { villageCode, ...valid, ...change }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });

  it.each(['35.14.14', 'desa-1', '35.14.14.20011'])('refuses the malformed village code %s with the code format', async (villageCode) => {
    const before = await footprint();
    const { body } = await sg.query(ELECTRIFY, { input: { villageCode, ...valid }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'villageCode' });
    expect(body.errors?.[0]?.message).toMatch(/"35.14.14.2001"/);
    expect(await footprint()).toEqual(before);
  });
});

describe('who may write', () => {
  it('lets only ESDM officers and admins write', async () => {
    const plantId = await plantAt('PLANNED');
    const cooperativeId = await cooperativeWithoutPlant(3);
    const [village] = await sql<{ code: string }>('SELECT "villageCode" AS code FROM "VillageElectrification" ORDER BY 1 OFFSET 2 LIMIT 1');
    const before = await footprint();
    for (const caller of [ANALYST, officerOf('cooperatives'), officerOf('digital')]) {
      for (const [document, input] of [
        [REGISTER, { cooperativeId, capacityKwp: 1000, storageKwh: 0, plannedOn: '2025-09-01' }],
        [STATUS, { plantId, status: 'UNDER_CONSTRUCTION' }],
        [ELECTRIFY, { villageCode: village!.code, electrified: true, ratio: 1, supply: 'PLN_GRID', supplyHoursPerDay: 24 }],
      ] as const) {
        const { body } = await sg.query(document, { input, key: key() }, { caller });
        expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect(await footprint()).toEqual(before);
  });
});
