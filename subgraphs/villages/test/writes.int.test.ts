import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, officerOf, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { villages } from '../src/subgraph';
import { currentYear } from '../src/village/village-development.rules';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(villages);
});
afterAll(async () => {
  await sg?.stop();
});

const officer = { caller: officerOf('villages') };
let keys = 0;
const key = () => `test-key-${Date.now()}-${keys++}`;
const sql = <R = Record<string, unknown>>(text: string, params?: unknown[]) => sg.server.db.sql.query<R>(text, params);

const YEAR = 'village { code } year status score danaDesaCeiling';
const STATUS = `mutation ($input: SetDevelopmentStatusInput!, $key: String!) { setDevelopmentStatus(input: $input, idempotencyKey: $key) { ${YEAR} } }`;
const CEILING = `mutation ($input: SetDanaDesaCeilingInput!, $key: String!) { setDanaDesaCeiling(input: $input, idempotencyKey: $key) { ${YEAR} } }`;
const VILLAGE =
  'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Village { developmentStatus { year status score history { year status score } } danaDesa { year ceiling } } } }';

async function auditCount(entityId: string): Promise<number> {
  const [row] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "_kopdes_audit" WHERE entity_id = $1', [entityId]);
  return row!.n;
}

/** Rows in every table a write could touch: equal before and after means nothing was written. */
async function footprint() {
  return sql(`SELECT (SELECT count(*) FROM "VillageYear")::int AS rows,
    (SELECT md5(string_agg(v::text, ',' ORDER BY "villageCode", year)) FROM "VillageYear" v) AS "villageYears",
    (SELECT count(*) FROM "_kopdes_audit")::int AS audit, (SELECT count(*) FROM "_kopdes_idempotency")::int AS keys`);
}

/** A desa (or kelurahan) classified in 2025, skipping `offset`: each test takes its own. */
async function village(kind: 'DESA' | 'KELURAHAN', offset: number): Promise<string> {
  const [row] = await sql<{ code: string }>(
    `SELECT "villageCode" AS code FROM "VillageYear"
    WHERE year = 2025 AND kind = $1 AND ($1 = 'KELURAHAN' OR status IS NOT NULL) ORDER BY 1 OFFSET $2 LIMIT 1`,
    [kind, offset],
  );
  return row!.code;
}

const entity = async (code: string) =>
  (
    await sg.query<{
      _entities: {
        developmentStatus: { year: number; status: string; score: number; history: unknown[] } | null;
        danaDesa: { year: number; ceiling: string } | null;
      }[];
    }>(VILLAGE, { r: [{ __typename: 'Village', code }] })
  ).body.data!._entities[0]!;

describe('development status writes', () => {
  it("sets a desa's status for a year, audited before and after, applied once under retry", async () => {
    const code = await village('DESA', 0);
    const [previous] = await sql<{ status: string; score: number }>('SELECT status, score FROM "VillageYear" WHERE "villageCode" = $1 AND year = 2025', [code]);
    const status = previous!.status === 'MAJU' ? 'BERKEMBANG' : 'MAJU';
    const score = status === 'MAJU' ? 0.75 : 0.65;
    const input = { villageCode: code.replaceAll('.', ''), year: 2025, status, score };
    const k = key();
    const first = await sg.query(STATUS, { input, key: k }, officer);
    expect(first.body).toEqual({ data: { setDevelopmentStatus: { village: { code }, year: 2025, status, score, danaDesaCeiling: expect.any(String) } } });
    const retry = await sg.query(STATUS, { input, key: k }, officer);
    expect(retry.body).toEqual(first.body);
    expect(await auditCount(`${code}/2025`)).toBe(1);
    const [audit] = await sql<{ actor: string; ministry: string; operation: string; entity: string; before: unknown; after: unknown }>(
      'SELECT actor, ministry, operation, entity, before, after FROM "_kopdes_audit" WHERE entity_id = $1',
      [`${code}/2025`],
    );
    expect(audit).toMatchObject({
      actor: 'test-officer-villages',
      ministry: 'villages',
      operation: 'setDevelopmentStatus',
      entity: 'VillageYear',
      before: { status: previous!.status, score: previous!.score },
      after: { status, score },
    });
    expect((await entity(code)).developmentStatus).toMatchObject({ year: 2025, status, score });
  });

  it("creates the record of an earlier year, with the village's kind and regions, shown in its history", async () => {
    const code = await village('DESA', 1);
    const { body } = await sg.query(STATUS, { input: { villageCode: code, year: 2019, status: 'SANGAT_TERTINGGAL', score: 0 }, key: key() }, officer);
    expect(body).toEqual({ data: { setDevelopmentStatus: { village: { code }, year: 2019, status: 'SANGAT_TERTINGGAL', score: 0, danaDesaCeiling: null } } });
    const [row] = await sql('SELECT kind, "districtCode", "regencyCode", "provinceCode" FROM "VillageYear" WHERE "villageCode" = $1 AND year = 2019', [code]);
    expect(row).toEqual({ kind: 'DESA', districtCode: code.slice(0, 8), regencyCode: '35.14', provinceCode: '35' });
    const development = (await entity(code)).developmentStatus!;
    expect(development.year).toBe(2025);
    expect(development.history[0]).toEqual({ year: 2019, status: 'SANGAT_TERTINGGAL', score: 0 });
    const [audit] = await sql<{ before: unknown }>('SELECT before FROM "_kopdes_audit" WHERE entity_id = $1', [`${code}/2019`]);
    expect(audit!.before).toBeNull();
  });

  it.each([
    ['MANDIRI', 1],
    ['MANDIRI', 0.8155],
    ['MAJU', 0.8154],
    ['MAJU', 0.7072],
    ['BERKEMBANG', 0.5989],
    ['TERTINGGAL', 0.4907],
    ['SANGAT_TERTINGGAL', 0.4906],
  ])("accepts %s with score %s, at its band's edge", async (status, score) => {
    const { body } = await sg.query(STATUS, { input: { villageCode: await village('DESA', 2), year: 2024, status, score }, key: key() }, officer);
    expect(body.errors).toBeUndefined();
  });

  it('refuses a key reused for a different request', async () => {
    const code = await village('DESA', 3);
    const k = key();
    await sg.query(STATUS, { input: { villageCode: code, year: 2025, status: 'MAJU', score: 0.72 }, key: k }, officer);
    const reuse = await sg.query(STATUS, { input: { villageCode: code, year: 2025, status: 'MAJU', score: 0.73 }, key: k }, officer);
    expect(reuse.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(reuse.body.errors?.[0]?.message).toMatch(/already used for a different request/);
    const [row] = await sql<{ score: number }>('SELECT score FROM "VillageYear" WHERE "villageCode" = $1 AND year = 2025', [code]);
    expect(row!.score).toBe(0.72);
  });

  it.each([
    ['unknown_village', { villageCode: '35.14.14.1999' }],
    ['unknown_village', { villageCode: '11.01.01.2001' }],
    ['kelurahan_not_classified', { villageCode: 'KELURAHAN' }],
    ['year_range', { year: 2014 }],
    ['year_range', { year: currentYear() + 1 }],
    ['score_range', { status: 'MANDIRI', score: 1.01 }],
    ['score_range', { status: 'SANGAT_TERTINGGAL', score: -0.1 }],
    ['score_matches_status', { status: 'MAJU', score: 0.9 }],
    ['score_matches_status', { status: 'MANDIRI', score: 0.8154 }],
    ['score_matches_status', { status: 'SANGAT_TERTINGGAL', score: 0.4907 }],
  ])('refuses a status breaking %s and writes nothing', async (rule, change: Record<string, unknown>) => {
    const input = { villageCode: await village('DESA', 4), year: 2025, status: 'MAJU', score: 0.75, ...change };
    if (input.villageCode === 'KELURAHAN') input.villageCode = await village('KELURAHAN', 0);
    const before = await footprint();
    const { body } = await sg.query(STATUS, { input, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });

  it.each(['35.14.14', 'Sidomulyo', '35.14.14.20011'])('refuses the malformed village code %s with the code format', async (villageCode) => {
    const before = await footprint();
    const { body } = await sg.query(STATUS, { input: { villageCode, year: 2025, status: 'MAJU', score: 0.75 }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'villageCode' });
    expect(body.errors?.[0]?.message).toMatch(/"35.14.14.2001"/);
    expect(await footprint()).toEqual(before);
  });
});

describe('Dana Desa ceiling writes', () => {
  it("sets a desa's ceiling exactly, audited before and after, applied once under retry", async () => {
    const code = await village('DESA', 5);
    const [previous] = await sql<{ ceiling: string }>('SELECT "danaDesaCeiling"::text AS ceiling FROM "VillageYear" WHERE "villageCode" = $1 AND year = 2025', [
      code,
    ]);
    const input = { villageCode: code, year: 2025, ceiling: '4999999999' };
    const k = key();
    const first = await sg.query<{ setDanaDesaCeiling: { danaDesaCeiling: string; status: string } }>(CEILING, { input, key: k }, officer);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.setDanaDesaCeiling).toMatchObject({ village: { code }, year: 2025, danaDesaCeiling: '4999999999', status: expect.any(String) });
    const retry = await sg.query(CEILING, { input, key: k }, officer);
    expect(retry.body).toEqual(first.body);
    expect(await auditCount(`${code}/2025`)).toBe(1);
    const [audit] = await sql<{ operation: string; before: unknown; after: unknown }>(
      'SELECT operation, before, after FROM "_kopdes_audit" WHERE entity_id = $1',
      [`${code}/2025`],
    );
    expect(audit).toMatchObject({ operation: 'setDanaDesaCeiling', before: { danaDesaCeiling: previous!.ceiling }, after: { danaDesaCeiling: '4999999999' } });
    expect((await entity(code)).danaDesa).toEqual({ year: 2025, ceiling: '4999999999' });
  });

  it("accepts next year's ceiling (set in this year's budget) and the Rp 5 billion maximum", async () => {
    const code = await village('DESA', 6);
    const { body } = await sg.query(CEILING, { input: { villageCode: code, year: currentYear() + 1, ceiling: '5000000000' }, key: key() }, officer);
    expect(body).toEqual({
      data: { setDanaDesaCeiling: { village: { code }, year: currentYear() + 1, status: null, score: null, danaDesaCeiling: '5000000000' } },
    });
  });

  it('refuses a key reused for a different request', async () => {
    const code = await village('DESA', 7);
    const k = key();
    await sg.query(CEILING, { input: { villageCode: code, year: 2025, ceiling: '1000000000' }, key: k }, officer);
    const reuse = await sg.query(CEILING, { input: { villageCode: code, year: 2024, ceiling: '1000000000' }, key: k }, officer);
    expect(reuse.body.errors?.[0]?.message).toMatch(/already used for a different request/);
  });

  it.each([
    ['unknown_village', { villageCode: '35.14.14.1999' }],
    ['kelurahan_no_dana_desa', { villageCode: 'KELURAHAN' }],
    ['year_range', { year: 2014 }],
    ['year_range', { year: currentYear() + 2 }],
    ['ceiling_range', { ceiling: '0' }],
    ['ceiling_range', { ceiling: '-1000000' }],
    ['ceiling_range', { ceiling: '5000000001' }],
  ])('refuses a ceiling breaking %s and writes nothing', async (rule, change: Record<string, unknown>) => {
    const input = { villageCode: await village('DESA', 8), year: 2025, ceiling: '1200000000', ...change };
    if (input.villageCode === 'KELURAHAN') input.villageCode = await village('KELURAHAN', 0);
    const before = await footprint();
    const { body } = await sg.query(CEILING, { input, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });

  it('refuses a ceiling that is not whole rupiah before any rule runs', async () => {
    const before = await footprint();
    const { body } = await sg.query(CEILING, { input: { villageCode: await village('DESA', 8), year: 2025, ceiling: '1.5e9' }, key: key() }, officer);
    expect(body.errors?.[0]?.message).toMatch(/whole number of rupiah/);
    expect(await footprint()).toEqual(before);
  });
});

describe('who may write', () => {
  it('lets only Kemendes PDT officers and admins write', async () => {
    const code = await village('DESA', 9);
    const before = await footprint();
    for (const caller of [ANALYST, officerOf('financing'), officerOf('regions')]) {
      const status = await sg.query(STATUS, { input: { villageCode: code, year: 2025, status: 'MAJU', score: 0.75 }, key: key() }, { caller });
      expect(status.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const ceiling = await sg.query(CEILING, { input: { villageCode: code, year: 2025, ceiling: '900000000' }, key: key() }, { caller });
      expect(ceiling.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await footprint()).toEqual(before);
  });
});
