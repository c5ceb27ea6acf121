import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFederatedSchema } from '@kopdes/kit';
import { loadRegions, syntheticCooperative } from '@kopdes/kit/synthetic';
import { PUBLIC, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { syntheticWorkforce } from '../src/synthetic';
import { labour } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(labour);
});
afterAll(async () => {
  await sg?.stop();
});

interface Labour {
  asOf: string;
  source: string;
  employees: number;
  hires: number;
  trainedBoardMembers: number;
  certifiedStaff: number;
  meetsTarget: boolean;
  trainings: { role: string; provider: string; certified: boolean }[];
  hireRecords: { hiredOn: string; count: number }[];
}

const LABOUR_FIELDS =
  'asOf source employees hires trainedBoardMembers certifiedStaff meetsTarget trainings { role programme provider trainedOn certified } hireRecords { hiredOn count }';

async function selectIds(args: string): Promise<string[]> {
  const { body } = await sg.query<{ labourCooperatives: { id: string }[] }>(`{ labourCooperatives(${args}) { id } }`);
  expect(body.errors).toBeUndefined();
  return body.data!.labourCooperatives.map((c) => c.id);
}

describe('labour subgraph contract', () => {
  it('publishes a Federation 2 SDL extending Cooperative, Province and Regency', async () => {
    const sdl = await printFederatedSchema(labour);
    expect(sdl).toMatch(/type Cooperative\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Province\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type Regency\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/labour: CooperativeLabour\b(?!!)/);
    expect(sdl).toContain('labour: LabourAggregate @tag(name: "public")\n'); // nullable: null when this subgraph is down, not the province
    const { body } = await sg.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(body.data?._service.sdl).toMatch(/type Cooperative\s+@key\(fields: "id"\)/);
  });

  it('resolves Cooperative.labour for 300 cooperatives through _entities in three statements', async () => {
    const ids = await selectIds('regionCode: "35.14", first: 300');
    expect(ids).toHaveLength(300);
    const representations = [...ids, 'KDMP-99.99.99.9999'].map((id) => ({ __typename: 'Cooperative', id }));
    const result = await sg.query<{ _entities: { id: string; labour: Labour }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { id labour { ${LABOUR_FIELDS} } } } }`,
      { r: representations },
    );
    expect(result.body.errors).toBeUndefined();
    const entities = result.body.data!._entities;
    expect(entities.slice(0, 300).map((c) => c.id)).toEqual(ids);
    // Workforce with hires, trainings, hire records: one statement each, whatever the batch size.
    expect(result.statements).toBe(3);
    for (const { labour: l } of entities.slice(0, 300)) {
      expect(l.source).toMatch(/synthetic/);
      expect(l.meetsTarget).toBe(l.employees >= 20);
      expect(l.hireRecords.reduce((s, h) => s + h.count, 0)).toBe(l.employees);
      expect(l.trainings.filter((t) => t.role === 'BOARD')).toHaveLength(l.trainedBoardMembers);
      expect(l.trainings.filter((t) => t.role === 'STAFF' && t.certified)).toHaveLength(l.certifiedStaff);
    }
    // A cooperative without a report: zero figures, not an error.
    expect(entities[300]).toMatchObject({ id: 'KDMP-99.99.99.9999', labour: { employees: 0, hires: 0, meetsTarget: false, trainings: [], hireRecords: [] } });
  });
});

describe('Cooperative.labour', () => {
  it('counts hires of the 12 months before the report, matching SQL', async () => {
    const [expected] = await sg.server.db.sql.query<{ id: string; employees: number; hires: number; asOf: Date }>(
      `SELECT w."cooperativeId" AS id, w.employees, w."updatedAt" AS "asOf",
              (SELECT coalesce(sum(count), 0)::int FROM "Hire" h WHERE h."cooperativeId" = w."cooperativeId" AND h."hiredOn" > w."updatedAt" - interval '12 months') AS hires
         FROM "Workforce" w
        WHERE EXISTS (SELECT 1 FROM "Hire" h WHERE h."cooperativeId" = w."cooperativeId" AND h."hiredOn" < w."updatedAt" - interval '12 months')
        ORDER BY 1 LIMIT 1`,
    );
    expect(expected).toBeDefined();
    expect(expected!.hires).toBeLessThan(expected!.employees);
    const { body } = await sg.query<{ _entities: { labour: Labour }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { labour { asOf employees hires } } } }',
      { r: [{ __typename: 'Cooperative', id: expected!.id }] },
    );
    expect(body.data!._entities[0]!.labour).toEqual({ asOf: new Date(expected!.asOf).toISOString(), employees: expected!.employees, hires: expected!.hires });
  });
});

describe('region aggregates', () => {
  it('computes Province.labour and Regency.labour in one statement for both levels, matching SQL', async () => {
    const reps = [
      { __typename: 'Province', code: '35' },
      { __typename: 'Province', code: '11' },
      { __typename: 'Regency', code: '35.14' },
      { __typename: 'Regency', code: '35.15' },
    ];
    const { body, statements } = await sg.query<{ _entities: { labour: Record<string, number | string> }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Province { labour { asOf source cooperativesReporting employees averagePerCooperative cooperativesAtTarget targetEmployees trainedBoardMembers certifiedStaff } }
        ... on Regency { labour { asOf source cooperativesReporting employees averagePerCooperative cooperativesAtTarget targetEmployees trainedBoardMembers certifiedStaff } }
      } }`,
      { r: reps },
    );
    expect(body.errors).toBeUndefined();
    expect(statements).toBe(1); // every province, and the regencies of province 35, grouped in one statement
    const [row] = await sg.server.db.sql.query<{ n: number; employees: number; at: number; board: number; cert: number; asOf: Date }>(
      `SELECT count(*)::int AS n, sum(employees)::int AS employees, count(*) FILTER (WHERE employees >= 20)::int AS at,
              sum("trainedBoardMembers")::int AS board, sum("certifiedStaff")::int AS cert, max("updatedAt") AS "asOf"
         FROM "Workforce" WHERE "regencyCode" = '35.14'`,
    );
    const expected = {
      asOf: new Date(row!.asOf).toISOString(),
      source: expect.stringMatching(/synthetic/),
      cooperativesReporting: 365,
      employees: row!.employees,
      averagePerCooperative: Math.round((row!.employees / 365) * 100) / 100,
      cooperativesAtTarget: row!.at,
      targetEmployees: 365 * 20,
      trainedBoardMembers: row!.board,
      certifiedStaff: row!.cert,
    };
    const [province, otherProvince, regency, otherRegency] = body.data!._entities;
    // The test seed covers Pasuruan only, so East Java's figures are Pasuruan's.
    expect(province!.labour).toEqual(expected);
    expect(regency!.labour).toEqual(expected);
    expect(row!.employees).toBeGreaterThan(0);
    for (const empty of [otherProvince, otherRegency]) {
      expect(empty!.labour).toMatchObject({ cooperativesReporting: 0, employees: 0, averagePerCooperative: 0, targetEmployees: 0 });
    }
  });
});

describe('labourCooperatives (cross-sector selection)', () => {
  it('selects by employees and trained board in the database, ordered by id', async () => {
    const atTarget = await selectIds('regionCode: "3514", minEmployees: 20');
    const [count] = await sg.server.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Workforce" WHERE "regencyCode" = '35.14' AND employees >= 20`);
    expect(atTarget).toHaveLength(count!.n);
    expect(atTarget.length).toBeGreaterThan(0);
    expect([...atTarget].sort()).toEqual(atTarget);

    const trained = await selectIds('regionCode: "35.14", hasTrainedBoard: true, minEmployees: 1, maxEmployees: 25');
    const expected = (
      await sg.server.db.sql.query<{ id: string }>(
        `SELECT "cooperativeId" AS id FROM "Workforce" WHERE "regencyCode" = '35.14' AND "trainedBoardMembers" > 0 AND employees BETWEEN 1 AND 25 ORDER BY 1`,
      )
    ).map((r) => r.id);
    expect(trained).toEqual(expected);

    const district = await selectIds('regionCode: "35.14.14", hasTrainedBoard: false');
    expect(district.every((id) => id.includes('-35.14.14.'))).toBe(true);
    expect(await selectIds('regionCode: "35.14", first: 7')).toHaveLength(7);
  });

  it('feeds Cooperative.labour in a constant number of statements', async () => {
    const { body, statements } = await sg.query<{ labourCooperatives: { labour: { employees: number; meetsTarget: boolean } }[] }>(
      '{ labourCooperatives(regionCode: "35.14", minEmployees: 20) { id labour { employees meetsTarget } } }',
    );
    expect(body.data!.labourCooperatives.every((c) => c.labour.employees >= 20 && c.labour.meetsTarget)).toBe(true);
    expect(statements).toBe(2);
  });

  it('rejects bad input with BAD_USER_INPUT', async () => {
    const cases: [string, string][] = [
      ['regionCode: "35-14"', '"35.14.14.2001"'],
      ['regionCode: "35", first: 5001', 'between 0 and 5000'],
      ['regionCode: "35", minEmployees: 10, maxEmployees: 5', 'above maxEmployees'],
      ['regionCode: "35", minEmployees: -1', 'minEmployees must be 0 or more'],
    ];
    for (const [args, message] of cases) {
      const { body } = await sg.query(`{ labourCooperatives(${args}) { id } }`);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toContain(message);
    }
  });
});

describe('access', () => {
  it("opens region aggregates to everyone but a cooperative's workforce only to signed-in callers", async () => {
    const aggregate = await sg.query<{ _entities: { labour: { employees: number } }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Regency { labour { employees } } } }',
      { r: [{ __typename: 'Regency', code: '35.14' }] },
      { caller: PUBLIC },
    );
    expect(aggregate.body.errors).toBeUndefined();
    expect(aggregate.body.data!._entities[0]!.labour.employees).toBeGreaterThan(0);

    const cooperative = await sg.query(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { labour { employees } } } }',
      { r: [{ __typename: 'Cooperative', id: 'KDMP-35.14.01.2001' }] },
      { caller: PUBLIC },
    );
    expect(cooperative.body).toMatchObject({ data: { _entities: [null] }, errors: [{ path: ['_entities', 0], extensions: { code: 'FORBIDDEN' } }] });

    const selection = await sg.query('{ labourCooperatives(regionCode: "35.14") { id } }', {}, { caller: PUBLIC });
    expect(selection.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('synthetic shape', () => {
  const reports = loadRegions('35.14').villages.map((village) => {
    const cooperative = syntheticCooperative(village);
    return { stage: cooperative.stage, workforce: syntheticWorkforce(cooperative) };
  });

  it('employs 3–30 people at operating cooperatives and almost nobody elsewhere', () => {
    const operating = reports.filter((r) => r.stage === 'OPERATING');
    const others = reports.filter((r) => r.stage !== 'OPERATING');
    expect(operating.length).toBeGreaterThan(50);
    for (const { workforce } of operating) expect(workforce.employees).toBeGreaterThanOrEqual(3);
    for (const { workforce } of operating) expect(workforce.employees).toBeLessThanOrEqual(30);
    expect(others.filter((r) => r.workforce.employees === 0).length / others.length).toBeGreaterThan(0.8);
  });

  it('is deterministic and keeps no personal data', () => {
    const village = loadRegions('35.14').villages[0]!;
    const a = syntheticWorkforce(syntheticCooperative(village));
    expect(syntheticWorkforce(syntheticCooperative(village))).toEqual(a);
    expect(JSON.stringify(reports)).not.toMatch(/"(name|nik)"/);
  });
});
