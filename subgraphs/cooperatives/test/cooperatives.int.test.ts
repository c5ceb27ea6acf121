import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFederatedSchema, type Caller } from '@kopdes/kit';
import { ADMIN, ANALYST, PUBLIC, startTestSubgraph, withPurpose, type TestSubgraph } from '@kopdes/kit/testing';
import { cooperatives } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(cooperatives);
});
afterAll(async () => {
  await sg?.stop();
});

describe('cooperatives subgraph contract', () => {
  it('publishes a Federation 2 SDL with the Cooperative entity and the Village extension', async () => {
    const sdl = await printFederatedSchema(cooperatives);
    expect(sdl).toMatch(/type Cooperative\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Village\s+@key\(fields: "code"\)/);
    const { body } = await sg.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(body.data?._service.sdl).toMatch(/type Cooperative\s+@key\(fields: "id"\)/);
  });

  it('resolves any number of cooperatives through _entities with one SQL statement, their units with one more (and their boards with one recorded read)', async () => {
    const listed = (
      await sg.query<{ cooperatives: { edges: { node: { id: string; businessUnits: { type: string }[] } }[] } }>(
        '{ cooperatives(first: 300) { edges { node { id businessUnits { type } } } } }',
      )
    ).body.data!.cooperatives.edges.map((e) => e.node);
    const ids = listed.map((c) => c.id);
    expect(ids).toHaveLength(300);
    expect(listed.some((c) => c.businessUnits.length > 0)).toBe(true);
    const representations = [...ids, 'KDMP-99.99.99.9999'].map((id) => ({ __typename: 'Cooperative', id }));
    const result = await sg.query<{ _entities: ({ id: string; kind: string; businessUnits: { type: string }[] } | null)[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { id kind board { role } businessUnits { type } } } }',
      { r: representations },
      { caller: withPurpose(ADMIN, 'data-protection-oversight') },
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!._entities.slice(0, 300).map((c) => c?.id)).toEqual(ids);
    // The units read apart from the by-id row are the units the list reads with its rows.
    expect(result.body.data!._entities.slice(0, 300).map((c) => c?.businessUnits)).toEqual(listed.map((c) => c.businessUnits));
    expect(result.body.data!._entities[300]).toBeNull();
    // 1 for the cooperatives, 1 for their business units (left out of the by-id read); the boards of all
    // 300 are one transaction of 5: read them, take the access record's lock, read its head, look up
    // this request's earlier rows, append the rows.
    expect(result.statements).toBe(2 + 5);
  });

  it('lists cooperatives of villages (Village.cooperatives) in one statement for many villages', async () => {
    const reps = ['35.14.01.2001', '35.14.01.2002', '35.14.14.1001'].map((code) => ({ __typename: 'Village', code }));
    const result = await sg.query<{ _entities: { cooperatives: { id: string; kind: string }[] }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Village { cooperatives { id kind } } } }',
      { r: reps },
    );
    expect(result.body.data!._entities).toEqual([
      { cooperatives: [{ id: 'KDMP-35.14.01.2001', kind: 'KDMP' }] },
      { cooperatives: [{ id: 'KDMP-35.14.01.2002', kind: 'KDMP' }] },
      { cooperatives: [{ id: 'KKMP-35.14.14.1001', kind: 'KKMP' }] },
    ]);
    expect(result.statements).toBe(1);
  });
});

describe('cooperatives query', () => {
  it('pages through a region with a stable totalCount and cursors', async () => {
    const page = (after?: string) =>
      sg.query<{ cooperatives: { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
        'query ($after: String) { cooperatives(filter: { regionCode: "3514" }, first: 200, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
    const first = (await page()).body.data!.cooperatives;
    expect(first.totalCount).toBe(365);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.pageInfo.endCursor)).body.data!.cooperatives;
    expect(second.edges).toHaveLength(165);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const all = [...first.edges, ...second.edges].map((e) => e.node.id);
    expect(new Set(all).size).toBe(365);
    expect([...all].sort()).toEqual(all);
  });

  it('filters by kind, stage and business unit, all in the database', async () => {
    const { body, statements } = await sg.query<{
      kkmp: { totalCount: number };
      cold: { totalCount: number; edges: { node: { businessUnits: { type: string; status: string }[] } }[] };
    }>(`{
      kkmp: cooperatives(filter: { regionCode: "35.14", kind: KKMP }) { totalCount }
      cold: cooperatives(filter: { regionCode: "35.14", businessUnit: COLD_STORAGE, businessUnitStatus: [COMPLETED, OPERATING] }, first: 500) {
        totalCount edges { node { businessUnits { type status } } } }
    }`);
    expect(body.data!.kkmp.totalCount).toBe(24);
    expect(body.data!.cold.totalCount).toBe(body.data!.cold.edges.length);
    for (const edge of body.data!.cold.edges) {
      expect(edge.node.businessUnits).toContainEqual(expect.objectContaining({ type: 'COLD_STORAGE', status: expect.stringMatching(/COMPLETED|OPERATING/) }));
    }
    expect(statements).toBe(4);
  });

  it('rejects malformed region codes and oversized pages with BAD_USER_INPUT', async () => {
    const bad = await sg.query('{ cooperatives(filter: { regionCode: "35-14" }) { totalCount } }');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0]?.message).toContain('"35.14.14.2001"');
    const big = await sg.query('{ cooperatives(first: 5000) { totalCount } }');
    expect(big.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(big.body.errors?.[0]?.message).toContain('between 0 and 500');
  });

  it('returns null for an unknown id', async () => {
    const { body } = await sg.query('{ cooperative(id: "KDMP-00.00.00.0000") { id } }');
    expect(body).toEqual({ data: { cooperative: null } });
  });
});

describe('registry aggregates', () => {
  it('count a region, whole and per kind, in one GROUP BY, matching SQL, and are public', async () => {
    const direct = await sg.server.db.sql.query<{ kind: string; n: number; operating: number }>(
      `SELECT kind::text, count(*)::int AS n, count(*) FILTER (WHERE stage = 'OPERATING')::int AS operating FROM "Cooperative" WHERE "regencyCode" = '35.14' GROUP BY 1 ORDER BY 1`,
    );
    const { body, statements } = await sg.query<{
      _entities: { all: { cooperatives: number; kkmp: number; operating: number }; kkmp: { cooperatives: number; kdmp: number } }[];
    }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Regency { all: registry { cooperatives kkmp operating } kkmp: registry(kind: KKMP) { cooperatives kdmp } } } }`,
      { r: [{ __typename: 'Regency', code: '35.14' }] },
      { caller: PUBLIC },
    );
    expect(body.errors).toBeUndefined();
    const [entity] = body.data!._entities;
    const kkmp = direct.find((r) => r.kind === 'KKMP')!;
    expect(entity!.all.cooperatives).toBe(direct.reduce((sum, r) => sum + r.n, 0));
    expect(entity!.all.operating).toBe(direct.reduce((sum, r) => sum + r.operating, 0));
    expect(entity!.kkmp).toEqual({ cooperatives: kkmp.n, kdmp: 0 });
    expect(statements).toBe(1); // one GROUP BY region, stage and kind serves both
  });

  it('count every village of a regency in one statement, matching SQL village by village for analysts, suppressed for the public', async () => {
    const direct = await sg.server.db.sql.query<{ code: string; cooperatives: number; legalEntities: number; loanReady: number; operating: number }>(
      `SELECT "villageCode" AS code, count(*)::int AS cooperatives,
              count(*) FILTER (WHERE stage NOT IN ('MUSDESUS_HELD', 'NOTARY_DEED'))::int AS "legalEntities",
              count(*) FILTER (WHERE stage IN ('SIMKOPDES', 'OPERATING'))::int AS "loanReady",
              count(*) FILTER (WHERE stage = 'OPERATING')::int AS operating
         FROM "Cooperative" WHERE "regencyCode" = '35.14' GROUP BY 1 ORDER BY 1`,
    );
    expect(direct.length).toBeGreaterThan(100);
    const villages = [...direct.map((r) => r.code), '35.14.99.9999']; // the last one has no cooperative
    const run = async (caller: Caller) => {
      const { body, statements } = await sg.query<{
        _entities: {
          registry: {
            cooperatives: number | null;
            legalEntities: number | null;
            loanReady: number | null;
            operating: number | null;
            suppressed: { field: string }[];
          };
        }[];
      }>(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Village { registry { cooperatives legalEntities loanReady operating suppressed { field } } } } }',
        { r: villages.map((code) => ({ __typename: 'Village', code })) },
        { caller },
      );
      expect(body.errors).toBeUndefined();
      expect(statements).toBe(1);
      return body.data!._entities.map((e) => e.registry);
    };
    expect((await run(ANALYST)).map(({ suppressed: _s, ...figures }) => figures)).toEqual([
      ...direct.map(({ code: _code, ...figures }) => figures),
      { cooperatives: 0, legalEntities: 0, loanReady: 0, operating: 0 },
    ]);
    // A village holds one cooperative (or none): each of its figures would be that cooperative's, or tell there is none.
    for (const registry of await run(PUBLIC)) {
      expect(registry).toMatchObject({ cooperatives: null, legalEntities: null, loanReady: null, operating: null });
      expect(registry.suppressed.map((s) => s.field)).toEqual([
        'cooperatives',
        'kdmp',
        'kkmp',
        'legalEntities',
        'loanReady',
        'operating',
        'byStage',
        'members',
      ]);
    }
  });
});
