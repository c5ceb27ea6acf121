import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegions } from '@kopdes/kit/synthetic';
import { startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { regions } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(regions, { scope: '35' });
});
afterAll(async () => {
  await sg?.stop();
});

describe('region source data', () => {
  it('holds every region of Indonesia (Kepmendagri 300.2.2-2138/2025)', () => {
    const all = loadRegions();
    expect([all.provinces.length, all.regencies.length, all.districts.length, all.villages.length]).toEqual([38, 514, 7285, 83762]);
    const count = (kind: string) => all.villages.filter((v) => v.kind === kind).length;
    expect([count('DESA'), count('KELURAHAN'), count('DESA_ADAT')]).toEqual([75252, 8496, 14]);
  });
});

describe('regions subgraph', () => {
  it('resolves provinces, regencies, districts and villages through _entities in one statement per type', async () => {
    const reps = [
      { __typename: 'Village', code: '35.14.14.1001' },
      { __typename: 'Village', code: '35.14.01.2001' },
      { __typename: 'Regency', code: '35.14' },
      { __typename: 'Province', code: '35' },
      { __typename: 'Village', code: '35.99.99.9999' },
    ];
    const { body, statements } = await sg.query(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Village { code name kind } ... on Regency { code name } ... on Province { code name } } }',
      { r: reps },
    );
    expect(body.data).toEqual({
      _entities: [
        { code: '35.14.14.1001', name: 'Kolursari', kind: 'KELURAHAN' },
        { code: '35.14.01.2001', name: 'Gerbo', kind: 'DESA' },
        { code: '35.14', name: 'Kabupaten Pasuruan' },
        { code: '35', name: 'Jawa Timur' },
        null,
      ],
    });
    expect(statements).toBe(3);
  });

  it('navigates parent and child regions and counts them in the database', async () => {
    const { body } = await sg.query<{
      regency: { type: string; province: { name: string }; districts: { code: string }[]; regionCounts: Record<string, number> };
    }>('{ regency(code: "35.14") { type province { name } districts { code } regionCounts { regencies districts villages desa kelurahan } } }');
    const regency = body.data!.regency;
    expect(regency.type).toBe('KABUPATEN');
    expect(regency.province.name).toBe('Jawa Timur');
    expect(regency.districts).toHaveLength(24);
    expect(regency.regionCounts).toEqual({ regencies: 1, districts: 24, villages: 365, desa: 341, kelurahan: 24 });
    const [direct] = await sg.server.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Village" WHERE code LIKE '35.14.%'`);
    expect(direct!.n).toBe(365);
  });

  it('accepts dotted and undotted codes; unknown gives null, malformed a BAD_USER_INPUT that shows the format', async () => {
    const { body } = await sg.query('{ a: village(code: "3514141001") { code } b: village(code: "35.14.14.1001") { code } c: province(code: "99") { code } }');
    expect(body).toEqual({ data: { a: { code: '35.14.14.1001' }, b: { code: '35.14.14.1001' }, c: null } });
    for (const code of ['35.1', 'abc', '35.14.14.1001.5']) {
      const bad = await sg.query(`{ village(code: "${code}") { code } }`);
      expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(bad.body.errors?.[0]?.message).toContain('"35.14.14.2001"');
    }
  });

  it('searches names within a region prefix, telling same-named villages apart by path', async () => {
    const { body } = await sg.query<{ searchRegions: { code: string; level: string; path: string }[] }>(
      '{ searchRegions(name: "sidomulyo", within: "35", level: VILLAGE) { code level path } }',
    );
    const hits = body.data!.searchRegions;
    const [direct] = await sg.server.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Village" WHERE name ILIKE '%sidomulyo%' AND code LIKE '35.%'`,
    );
    expect(hits.length).toBe(Math.min(direct!.n, 20));
    expect(hits.length).toBeGreaterThan(1);
    for (const hit of hits) {
      expect(hit.code.startsWith('35.')).toBe(true);
      expect(hit.path).toMatch(/^Sidomulyo, Kec\. .+, (Kabupaten|Kota) .+, Jawa Timur$/);
    }
    expect(new Set(hits.map((h) => h.path)).size).toBe(hits.length);
    const tooShort = await sg.query('{ searchRegions(name: "a") { code } }');
    expect(tooShort.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
