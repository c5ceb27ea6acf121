import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFederatedSchema } from '@kopdes/kit';
import { loadRegions, statusForScore, syntheticVillageYears } from '@kopdes/kit/synthetic';
import { PUBLIC, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { villages } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(villages);
});
afterAll(async () => {
  await sg?.stop();
});

interface Development {
  asOf: string;
  source: string;
  year: number;
  status: string;
  score: number;
  history: { year: number; status: string; score: number }[];
}
interface DanaDesa {
  asOf: string;
  source: string;
  year: number;
  ceiling: string;
}

const VILLAGE_FIELDS = 'code developmentStatus { asOf source year status score history { year status score } } danaDesa { asOf source year ceiling }';
const AGGREGATE_FIELDS = 'asOf source year mandiri maju berkembang tertinggal sangatTertinggal unclassified danaDesaTotal';

describe('villages subgraph contract', () => {
  it('publishes a Federation 2 SDL extending Village, Province and Regency', async () => {
    const sdl = await printFederatedSchema(villages);
    expect(sdl).toMatch(/type Village\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type Province\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type Regency\s+@key\(fields: "code"\)/);
    expect(sdl).toContain('developmentStatus: VillageDevelopment @tag(name: "public")\n');
    expect(sdl).toContain('danaDesa: DanaDesa @tag(name: "public")\n');
    const { body } = await sg.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(body.data?._service.sdl).toMatch(/type Village\s+@key\(fields: "code"\)/);
  });

  it('resolves both Village fields for 300 villages through _entities in one statement', async () => {
    const codes = (
      await sg.server.db.sql.query<{ code: string }>(`SELECT "villageCode" AS code FROM "VillageYear" WHERE year = 2025 ORDER BY 1 LIMIT 300`)
    ).map((r) => r.code);
    expect(codes).toHaveLength(300);
    const representations = [...codes, '99.99.99.9999'].map((code) => ({ __typename: 'Village', code }));
    const result = await sg.query<{ _entities: { code: string; developmentStatus: Development | null; danaDesa: DanaDesa | null }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Village { ${VILLAGE_FIELDS} } } }`,
      { r: representations },
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.statements).toBe(1);
    const entities = result.body.data!._entities;
    expect(entities.slice(0, 300).map((v) => v.code)).toEqual(codes);
    expect(entities[300]).toEqual({ code: '99.99.99.9999', developmentStatus: null, danaDesa: null });
    for (const village of entities.slice(0, 300)) {
      const kelurahan = village.code.split('.')[3]!.startsWith('1');
      if (kelurahan) expect(village).toMatchObject({ developmentStatus: null, danaDesa: null });
      else expect(village.danaDesa).toMatchObject({ year: 2025, source: expect.stringMatching(/synthetic/) });
      if (village.developmentStatus) {
        expect(village.developmentStatus.year).toBe(2025);
        expect(village.developmentStatus.history.at(-1)).toEqual({
          year: 2025,
          status: village.developmentStatus.status,
          score: village.developmentStatus.score,
        });
      }
    }
  });
});

describe('Village fields', () => {
  it('returns the latest status with its history and the Dana Desa ceiling, matching SQL', async () => {
    const rows = await sg.server.db.sql.query<{ code: string; year: number; status: string; score: number; ceiling: string; asOf: Date }>(
      `SELECT "villageCode" AS code, year, status, score, "danaDesaCeiling"::text AS ceiling, "updatedAt" AS "asOf" FROM "VillageYear"
        WHERE "villageCode" = (SELECT "villageCode" FROM "VillageYear" WHERE year = 2024 AND status IS NOT NULL ORDER BY 1 LIMIT 1) ORDER BY year`,
    );
    const [y2024, y2025] = rows;
    const { body } = await sg.query<{ _entities: { developmentStatus: Development; danaDesa: DanaDesa }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Village { ${VILLAGE_FIELDS} } } }`,
      { r: [{ __typename: 'Village', code: y2025!.code }] },
    );
    expect(body.data!._entities[0]).toEqual({
      code: y2025!.code,
      developmentStatus: {
        asOf: new Date(y2025!.asOf).toISOString(),
        source: expect.stringMatching(/Indeks Desa.*synthetic/),
        year: 2025,
        status: y2025!.status,
        score: y2025!.score,
        history: [
          { year: 2024, status: y2024!.status, score: y2024!.score },
          { year: 2025, status: y2025!.status, score: y2025!.score },
        ],
      },
      danaDesa: { asOf: new Date(y2025!.asOf).toISOString(), source: expect.stringMatching(/synthetic/), year: 2025, ceiling: y2025!.ceiling },
    });
  });

  it('keeps the seeded data consistent: kelurahan unclassified without Dana Desa, scores inside their band, ceilings Rp 0.6–1.6 billion', async () => {
    const [check] = await sg.server.db.sql.query<{
      kelurahanClassified: number;
      kelurahanFunded: number;
      desaUnfunded: number;
      minCeiling: string;
      maxCeiling: string;
    }>(
      `SELECT (count(*) FILTER (WHERE kind = 'KELURAHAN' AND status IS NOT NULL))::int AS "kelurahanClassified",
              (count(*) FILTER (WHERE kind = 'KELURAHAN' AND "danaDesaCeiling" IS NOT NULL))::int AS "kelurahanFunded",
              (count(*) FILTER (WHERE kind <> 'KELURAHAN' AND "danaDesaCeiling" IS NULL))::int AS "desaUnfunded",
              min("danaDesaCeiling")::text AS "minCeiling", max("danaDesaCeiling")::text AS "maxCeiling"
         FROM "VillageYear"`,
    );
    expect(check).toMatchObject({ kelurahanClassified: 0, kelurahanFunded: 0, desaUnfunded: 0 });
    expect(BigInt(check!.minCeiling)).toBeGreaterThanOrEqual(600_000_000n);
    expect(BigInt(check!.maxCeiling)).toBeLessThanOrEqual(1_600_000_000n);
    const scored = await sg.server.db.sql.query<{ status: string; score: number }>('SELECT status, score FROM "VillageYear" WHERE status IS NOT NULL');
    expect(scored.length).toBeGreaterThan(600);
    for (const { status, score } of scored) expect(statusForScore(score)).toBe(status);
  });
});

describe('region aggregates', () => {
  it('counts villages per status and sums Dana Desa with one GROUP BY per level for every year asked, matching SQL', async () => {
    const reps = [
      { __typename: 'Province', code: '35' },
      { __typename: 'Province', code: '91' },
      { __typename: 'Regency', code: '35.14' },
    ];
    const { body, statements } = await sg.query<{ _entities: { latest: Record<string, unknown>; previous: Record<string, unknown> }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Province { latest: development { ${AGGREGATE_FIELDS} } previous: development(year: 2024) { ${AGGREGATE_FIELDS} } }
        ... on Regency { latest: development { ${AGGREGATE_FIELDS} } previous: development(year: 2024) { ${AGGREGATE_FIELDS} } }
      } }`,
      { r: reps },
    );
    expect(body.errors).toBeUndefined();
    expect(statements).toBe(2);
    const expected = async (year: number): Promise<Record<string, unknown>> => {
      const [row] = await sg.server.db.sql.query<Record<string, unknown>>(
        `SELECT (count(*) FILTER (WHERE status = 'MANDIRI'))::int AS mandiri, (count(*) FILTER (WHERE status = 'MAJU'))::int AS maju,
                (count(*) FILTER (WHERE status = 'BERKEMBANG'))::int AS berkembang, (count(*) FILTER (WHERE status = 'TERTINGGAL'))::int AS tertinggal,
                (count(*) FILTER (WHERE status = 'SANGAT_TERTINGGAL'))::int AS "sangatTertinggal", (count(*) FILTER (WHERE status IS NULL))::int AS unclassified,
                sum("danaDesaCeiling")::text AS "danaDesaTotal", max("updatedAt") AS "asOf"
           FROM "VillageYear" WHERE "regencyCode" = '35.14' AND year = $1`,
        [year],
      );
      return { ...row, asOf: new Date(row!.asOf as Date).toISOString(), year, source: expect.stringMatching(/synthetic/) as unknown };
    };
    const [eastJava, papua, pasuruan] = body.data!._entities;
    const latest = await expected(2025);
    const previous = await expected(2024);
    // The test seed covers Pasuruan only, so East Java's figures are Pasuruan's.
    expect(pasuruan).toEqual({ latest, previous });
    expect(eastJava).toEqual({ latest, previous });
    const counts = ['mandiri', 'maju', 'berkembang', 'tertinggal', 'sangatTertinggal', 'unclassified'];
    expect(counts.reduce((s, k) => s + (latest[k] as number), 0)).toBe(365);
    expect(latest.unclassified).toBeGreaterThanOrEqual(24); // Pasuruan's 24 kelurahan
    expect(papua!.latest).toMatchObject({ year: 2025, mandiri: 0, unclassified: 0, danaDesaTotal: '0' });
  });

  it('rejects a year without data', async () => {
    const { body } = await sg.query('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Province { development(year: 2019) { mandiri } } } }', {
      r: [{ __typename: 'Province', code: '35' }],
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toContain('2024, 2025');
  });
});

describe('villagesByDevelopment (cross-sector selection)', () => {
  it('selects villages by status in the database, ordered by code', async () => {
    const { body } = await sg.query<{ latest: { code: string }[]; previous: { code: string }[]; few: { code: string }[] }>(`{
      latest: villagesByDevelopment(regionCode: "3514", statuses: [BERKEMBANG, TERTINGGAL, SANGAT_TERTINGGAL]) { code }
      previous: villagesByDevelopment(regionCode: "35.14.01", statuses: [MANDIRI], year: 2024) { code }
      few: villagesByDevelopment(regionCode: "35.14", statuses: [MAJU], first: 3) { code }
    }`);
    expect(body.errors).toBeUndefined();
    const expected = async (where: string) =>
      (await sg.server.db.sql.query<{ code: string }>(`SELECT "villageCode" AS code FROM "VillageYear" WHERE ${where} ORDER BY 1`)).map((r) => r.code);
    const latest = body.data!.latest.map((v) => v.code);
    expect(latest.length).toBeGreaterThan(0);
    expect(latest).toEqual(await expected(`"regencyCode" = '35.14' AND year = 2025 AND status IN ('BERKEMBANG', 'TERTINGGAL', 'SANGAT_TERTINGGAL')`));
    expect(body.data!.previous.map((v) => v.code)).toEqual(await expected(`"districtCode" = '35.14.01' AND year = 2024 AND status = 'MANDIRI'`));
    expect(body.data!.few).toHaveLength(3);
  });

  it('feeds Village.developmentStatus in a constant number of statements', async () => {
    const { body, statements } = await sg.query<{ villagesByDevelopment: { developmentStatus: { status: string } }[] }>(
      '{ villagesByDevelopment(regionCode: "35.14", statuses: [MAJU]) { code developmentStatus { status } danaDesa { ceiling } } }',
    );
    expect(body.data!.villagesByDevelopment.length).toBeGreaterThan(0);
    expect(body.data!.villagesByDevelopment.every((v) => v.developmentStatus.status === 'MAJU')).toBe(true);
    expect(statements).toBe(2);
  });

  it('rejects bad input with BAD_USER_INPUT', async () => {
    const cases: [string, string][] = [
      ['regionCode: "35-14", statuses: [MAJU]', '"35.14.14.2001"'],
      ['regionCode: "35", statuses: []', 'at least one DevelopmentStatus'],
      ['regionCode: "35", statuses: [MAJU], first: 5001', 'between 0 and 5000'],
      ['regionCode: "35", statuses: [MAJU], year: 2023', 'years available: 2024, 2025'],
    ];
    for (const [args, message] of cases) {
      const { body } = await sg.query(`{ villagesByDevelopment(${args}) { code } }`);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toContain(message);
    }
  });
});

describe('access', () => {
  it('serves published figures to anonymous callers too', async () => {
    const { body } = await sg.query<{ villagesByDevelopment: { code: string; developmentStatus: { status: string } }[] }>(
      '{ villagesByDevelopment(regionCode: "35.14", statuses: [MANDIRI], first: 2) { code developmentStatus { status } danaDesa { ceiling } } }',
      {},
      { caller: PUBLIC },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.villagesByDevelopment).toHaveLength(2);
    expect(body.data!.villagesByDevelopment[0]!.developmentStatus.status).toBe('MANDIRI');
  });
});

describe('synthetic shape', () => {
  const share = (scope: string, statuses: string[]) => {
    const rows = loadRegions(scope)
      .villages.flatMap(syntheticVillageYears)
      .filter((r) => r.year === 2025 && r.status !== null);
    return rows.filter((r) => statuses.includes(r.status!)).length / rows.length;
  };

  it('puts far more TERTINGGAL and SANGAT_TERTINGGAL villages in Papua than in Java', () => {
    expect(share('95', ['TERTINGGAL', 'SANGAT_TERTINGGAL'])).toBeGreaterThan(0.5);
    expect(share('35', ['TERTINGGAL', 'SANGAT_TERTINGGAL'])).toBeLessThan(0.05);
    expect(share('35', ['MANDIRI', 'MAJU'])).toBeGreaterThan(0.6);
  });

  it('gives less developed villages higher Dana Desa ceilings on average', () => {
    const rows = loadRegions('53')
      .villages.flatMap(syntheticVillageYears)
      .filter((r) => r.year === 2025 && r.danaDesaCeiling !== null);
    const mean = (status: string) => {
      const of = rows.filter((r) => r.status === status);
      return Number(of.reduce((s, r) => s + r.danaDesaCeiling!, 0n)) / of.length;
    };
    expect(mean('SANGAT_TERTINGGAL')).toBeGreaterThan(mean('MANDIRI'));
  });
});
