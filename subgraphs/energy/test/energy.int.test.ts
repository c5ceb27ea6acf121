import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFederatedSchema } from '@kopdes/kit';
import { ANALYST, PUBLIC, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { loadRegions, syntheticCooperative } from '@kopdes/kit/synthetic';
import { energy } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(energy);
});
afterAll(async () => {
  await sg?.stop();
});

const sql = <R = Record<string, unknown>>(text: string, params?: unknown[]) => sg.server.db.sql.query<R>(text, params);
const one = async <R = Record<string, unknown>>(text: string, params?: unknown[]) => (await sql<R>(text, params))[0]!;
const ENTITIES =
  'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Cooperative { id energy { asOf source solarPlants { id capacityKwp storageKwh status plannedOn commissionedOn cooperative { id } } } } ... on Village { code electrification { asOf source electrified ratio reliableSupply supply supplyHoursPerDay } } } }';

describe('energy subgraph contract', () => {
  it('publishes the energy namespace on Cooperative, Village, Province and Regency by their keys', async () => {
    const sdl = await printFederatedSchema(energy);
    expect(sdl).toMatch(/type Cooperative\s+@key\(fields: "id"\)\s*\{\s*id: ID!\s+"""[^"]*"""\s+energy: CooperativeEnergy\b/);
    expect(sdl).toMatch(/type Village\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/electrification: VillageElectrification\n/);
    expect(sdl).toMatch(/type Province\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type Regency\s+@key\(fields: "code"\)/);
    expect(sdl).toContain('energy: EnergyAggregate @tag(name: "public")\n'); // nullable: null when this subgraph is down, not the province
    expect(sdl).toMatch(/enum SolarPlantStatus \{\s+PLANNED\s+UNDER_CONSTRUCTION\s+COMMISSIONED\s+OPERATING\s+\}/);
    const { body } = await sg.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(body.data?._service.sdl).toContain('energyCooperatives(');
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
    // site + plants for cooperatives, electrification for villages: one statement each.
    expect(result.statements).toBe(3);
    const plants = entities.slice(0, 300).flatMap((c) => c.energy.solarPlants);
    const coopIds = villages.map((v) => syntheticCooperative(v).id);
    const { n } = await one<{ n: number }>('SELECT count(*)::int AS n FROM "SolarPlant" WHERE "cooperativeId" = ANY($1)', [coopIds]);
    expect(plants).toHaveLength(n);
    for (const plant of plants) expect(plant.id).toBe(`PLTS-${plant.cooperative.id}-1`);
    expect(entities[300]).toEqual({
      __typename: 'Cooperative',
      id: 'KDMP-99.99.99.9999',
      energy: { asOf: '2025-11-28T00:00:00.000Z', source: expect.stringContaining('synthetic'), solarPlants: [] },
    });
    expect(entities[301]!.electrification.source).toContain('synthetic');
    expect(entities[601]).toEqual({ __typename: 'Village', code: '99.99.99.9999', electrification: null });
  });
});

describe('synthetic energy data', () => {
  it('covers every village and cooperative in scope, with plants mostly planned at 1-1.5 MWp', async () => {
    const [counts] = await sql<{ villages: number; sites: number; plants: number; planned: number; outOfRange: number }>(`SELECT
      (SELECT count(*)::int FROM "VillageElectrification") AS villages, (SELECT count(*)::int FROM "CooperativeSite") AS sites,
      (SELECT count(*)::int FROM "SolarPlant") AS plants,
      (SELECT count(*)::int FROM "SolarPlant" WHERE status = 'PLANNED') AS planned,
      (SELECT count(*)::int FROM "SolarPlant" WHERE status = 'PLANNED' AND "capacityKwp" NOT BETWEEN 1000 AND 1500) AS "outOfRange"`);
    expect(counts).toMatchObject({ villages: 365, sites: 365, outOfRange: 0 });
    expect(counts!.plants).toBeGreaterThan(0);
    expect(counts!.plants).toBeLessThan(365 * 0.1);
    expect(counts!.planned / counts!.plants).toBeGreaterThan(0.8);
    const { bad } = await one<{ bad: number }>(`SELECT count(*)::int AS bad FROM "VillageElectrification"
      WHERE "reliableSupply" <> ("supplyHoursPerDay" >= 20) OR (NOT electrified AND (supply <> 'NONE' OR "electrificationRatio" <> 0))
         OR "electrificationRatio" NOT BETWEEN 0 AND 1`);
    expect(bad).toBe(0);
  });
});

describe('energyCooperatives', () => {
  const ids = async (args: string) => {
    const { body, statements } = await sg.query<{ energyCooperatives: { id: string }[] }>(`{ energyCooperatives(${args}) { id } }`);
    expect(body.errors).toBeUndefined();
    return { ids: body.data!.energyCooperatives.map((c) => c.id), statements };
  };

  it('selects cooperatives with and without plants, by status and village supply, in one statement', async () => {
    const withPlant = await ids('regionCode: "35.14", hasPlant: true');
    const expected = await sql<{ id: string }>('SELECT DISTINCT "cooperativeId" AS id FROM "SolarPlant" WHERE "regencyCode" = $1 ORDER BY 1', ['35.14']);
    expect(withPlant.ids).toEqual(expected.map((r) => r.id));
    expect(withPlant.statements).toBe(1);

    const without = await ids('regionCode: "3514", hasPlant: false, first: 5000');
    expect(without.ids).toHaveLength(365 - expected.length);
    expect(without.ids.some((id) => withPlant.ids.includes(id))).toBe(false);
    expect([...without.ids].sort()).toEqual(without.ids);

    const planned = await ids('regionCode: "35.14", plantStatuses: [PLANNED]');
    const plannedSql = await sql<{ id: string }>(
      `SELECT "cooperativeId" AS id FROM "SolarPlant" WHERE "regencyCode" = '35.14' AND status = 'PLANNED' ORDER BY 1`,
    );
    expect(planned.ids).toEqual(plannedSql.map((r) => r.id));
    const notBuilt = await ids('regionCode: "35.14", hasPlant: false, plantStatuses: [UNDER_CONSTRUCTION, COMMISSIONED, OPERATING], first: 5000');
    const built = await sql<{ n: number }>(
      `SELECT count(DISTINCT "cooperativeId")::int AS n FROM "SolarPlant" WHERE "regencyCode" = '35.14' AND status <> 'PLANNED'`,
    );
    expect(notBuilt.ids).toHaveLength(365 - built[0]!.n);

    const unreliable = await ids('regionCode: "35.14", villageReliableSupply: false');
    const unreliableSql = await sql<{
      id: string;
    }>(`SELECT s."cooperativeId" AS id FROM "CooperativeSite" s JOIN "VillageElectrification" v USING ("villageCode")
      WHERE s."regencyCode" = '35.14' AND NOT v."reliableSupply" ORDER BY 1`);
    expect(unreliable.ids).toEqual(unreliableSql.map((r) => r.id));
    expect(unreliable.ids.length).toBeGreaterThan(0);
  });

  it('narrows by district and village prefixes and honours first', async () => {
    const district = await ids('regionCode: "35.14.14"');
    expect(district.ids.length).toBeGreaterThan(0);
    expect(district.ids.every((id) => id.includes('-35.14.14.'))).toBe(true);
    expect((await ids('regionCode: "3514012001"')).ids).toEqual(['KDMP-35.14.01.2001']);
    expect((await ids('regionCode: "35.14.14.1001"')).ids).toEqual(['KKMP-35.14.14.1001']);
    expect((await ids('regionCode: "35.14", first: 7')).ids).toHaveLength(7);
    expect((await ids('regionCode: "35.14", first: 1000')).ids).toHaveLength(365);
  });

  it('rejects bad input with BAD_USER_INPUT', async () => {
    for (const args of ['regionCode: "35-14"', 'regionCode: "35", first: 5001', 'regionCode: "35", first: -1', 'regionCode: "35", plantStatuses: []']) {
      const { body } = await sg.query(`{ energyCooperatives(${args}) { id } }`);
      expect(body.errors?.[0]?.extensions?.code, args).toBe('BAD_USER_INPUT');
    }
    const { body } = await sg.query('{ energyCooperatives(regionCode: "35", first: 9000) { id } }');
    expect(body.errors?.[0]?.message).toContain('between 0 and 5000');
  });
});

describe('energyVillages', () => {
  it('selects villages by electrification and supply, matching the database', async () => {
    const run = async (args: string) => {
      const { body, statements } = await sg.query<{ energyVillages: { code: string }[] }>(`{ energyVillages(${args}) { code } }`);
      expect(body.errors).toBeUndefined();
      expect(statements).toBe(1);
      return body.data!.energyVillages.map((v) => v.code);
    };
    const unreliable = await sql<{ code: string }>(
      `SELECT "villageCode" AS code FROM "VillageElectrification" WHERE "regencyCode" = '35.14' AND NOT "reliableSupply" ORDER BY 1`,
    );
    expect(await run('regionCode: "35.14", reliableSupply: false')).toEqual(unreliable.map((r) => r.code));
    const unelectrified = await sql<{ code: string }>(
      `SELECT "villageCode" AS code FROM "VillageElectrification" WHERE "regencyCode" = '35.14' AND NOT electrified ORDER BY 1`,
    );
    expect(await run('regionCode: "35.14", electrified: false')).toEqual(unelectrified.map((r) => r.code));
    expect(await run('regionCode: "35.14", electrified: true, first: 5000')).toHaveLength(365 - unelectrified.length);
    expect(await run('regionCode: "35.14.14", first: 3')).toEqual(['35.14.14.1001', '35.14.14.1002', '35.14.14.1003']);
  });

  it('rejects a cap above 5,000 and malformed codes', async () => {
    const big = await sg.query('{ energyVillages(regionCode: "35", first: 5001) { code } }');
    expect(big.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const bad = await sg.query('{ energyVillages(regionCode: "Pasuruan") { code } }');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0]?.message).toContain('"35.14.14.2001"');
  });
});

describe('region energy aggregates', () => {
  it('computes province and regency figures in one statement for both levels, matching direct SQL', async () => {
    const { body, statements } = await sg.query<{ _entities: { code: string; energy: Record<string, unknown> }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Province { code energy { asOf source kwpPlanned kwpUnderConstruction kwpCommissioned kwpOperating plants villages unelectrifiedVillages unelectrifiedVillagesWithCooperative unelectrifiedVillagesWithPlant unreliableSupplyVillages } } ... on Regency { code energy { plants kwpPlanned villages unreliableSupplyVillages } } } }',
      {
        r: [
          { __typename: 'Province', code: '35' },
          { __typename: 'Province', code: '94' },
          { __typename: 'Regency', code: '35.14' },
          { __typename: 'Regency', code: '35.15' },
        ],
      },
    );
    expect(body.errors).toBeUndefined();
    expect(statements).toBe(1); // every province, and the regencies of province 35, grouped in one statement
    const [plants] = await sql<{
      plants: number;
      planned: number;
      uc: number;
      commissioned: number;
      operating: number;
      asOf: Date;
    }>(`SELECT count(*)::int AS plants,
      coalesce(sum("capacityKwp") FILTER (WHERE status = 'PLANNED'), 0)::float8 AS planned,
      coalesce(sum("capacityKwp") FILTER (WHERE status = 'UNDER_CONSTRUCTION'), 0)::float8 AS uc,
      coalesce(sum("capacityKwp") FILTER (WHERE status IN ('COMMISSIONED', 'OPERATING')), 0)::float8 AS commissioned,
      coalesce(sum("capacityKwp") FILTER (WHERE status = 'OPERATING'), 0)::float8 AS operating FROM "SolarPlant" WHERE "provinceCode" = '35'`);
    const [villages] = await sql<{ villages: number; unelectrified: number; unreliable: number; asOf: Date }>(`SELECT count(*)::int AS villages,
      count(*) FILTER (WHERE NOT electrified)::int AS unelectrified, count(*) FILTER (WHERE NOT "reliableSupply")::int AS unreliable FROM "VillageElectrification" WHERE "provinceCode" = '35'`);
    const { asOf } = await one<{ asOf: Date }>(
      `SELECT greatest((SELECT max("updatedAt") FROM "SolarPlant"), (SELECT max("updatedAt") FROM "VillageElectrification")) AS "asOf"`,
    );
    const [jatim, papuaTengah, pasuruan, empty] = body.data!._entities;
    expect(jatim).toEqual({
      code: '35',
      energy: {
        asOf: new Date(asOf).toISOString(),
        source: expect.stringContaining('synthetic'),
        kwpPlanned: plants!.planned,
        kwpUnderConstruction: plants!.uc,
        kwpCommissioned: plants!.commissioned,
        kwpOperating: plants!.operating,
        plants: plants!.plants,
        villages: 365,
        unelectrifiedVillages: villages!.unelectrified,
        unelectrifiedVillagesWithCooperative: villages!.unelectrified,
        unelectrifiedVillagesWithPlant: 0,
        unreliableSupplyVillages: villages!.unreliable,
      },
    });
    expect(plants!.plants).toBeGreaterThan(0);
    expect(papuaTengah!.energy).toMatchObject({ plants: 0, villages: 0, unelectrifiedVillages: 0, kwpPlanned: 0 });
    expect(pasuruan).toEqual({
      code: '35.14',
      energy: { plants: plants!.plants, kwpPlanned: plants!.planned, villages: 365, unreliableSupplyVillages: villages!.unreliable },
    });
    expect(empty).toEqual({ code: '35.15', energy: { plants: 0, kwpPlanned: 0, villages: 0, unreliableSupplyVillages: 0 } });
  });
});

describe('access', () => {
  it('serves region figures to everyone and selections only to signed-in callers', async () => {
    const aggregate = await sg.query<{ _entities: unknown[] }>(
      '{ _entities(representations: [{ __typename: "Province", code: "35" }]) { ... on Province { energy { plants } } } }',
      undefined,
      { caller: PUBLIC },
    );
    expect(aggregate.body.errors).toBeUndefined();
    expect(aggregate.body.data!._entities).toHaveLength(1);
    const denied = await sg.query('{ energyCooperatives(regionCode: "35.14") { id } }', undefined, { caller: PUBLIC });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const allowed = await sg.query('{ energyCooperatives(regionCode: "35.14") { id } }', undefined, { caller: ANALYST });
    expect(allowed.body.errors).toBeUndefined();
  });
});
