import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFederatedSchema } from '@kopdes/kit';
import { ANALYST, PUBLIC, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { collaboration } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(collaboration);
});
afterAll(async () => {
  await sg?.stop();
});

interface Progress {
  id: string;
  agency: { code: string };
  indicator: string;
  unit: string;
  target: string;
  baseline: string;
  realised: string | null;
  realisedAsOf: string | null;
  progress: number | null;
  expectedProgress: number;
  status: string | null;
  dueDate: string;
}
interface TaskForce {
  evaluatedOn: string;
  source: string;
  region: { code: string } | null;
  commitments: Progress[];
  byAgency: { agency: { code: string }; commitments: number; done: number; onTrack: number; atRisk: number; late: number; unavailable: number }[];
}

const ENTITIES = `query ($r: [_Any!]!, $on: String, $quarter: String) { _entities(representations: $r) { ... on Province { code taskForce(on: $on) {
  evaluatedOn source region { code }
  commitments(quarter: $quarter) { id agency { code } indicator unit target baseline realised realisedAsOf progress expectedProgress status dueDate }
  byAgency(quarter: $quarter) { agency { code } commitments done onTrack atRisk late unavailable } } } } }`;

/** Province figures as the gateway sends them for taskForce's @requires (Jawa Timur, test scope). */
const FIGURES = {
  registry: { legalEntities: 358, loanReady: 343, operating: 136, members: 6768, provenance: { asOf: '2025-11-28T00:00:00.000Z' } },
  financing: { cooperativesFinanced: 7, amountDisbursed: '12565000000', asOf: '2025-11-28T00:00:00.000Z' },
  energy: { kwpCommissioned: 400.5, kwpOperating: 0, asOf: '2025-10-19T00:00:00.000Z' },
  digital: { onboardedCooperatives: 343, fiberVillages: 99, digitalPaymentCooperatives: 112, asOf: '2025-11-28T00:00:00.000Z' },
  labour: { employees: 2212, trainedBoardMembers: 33, certifiedStaff: 232, asOf: '2025-11-25T00:00:00.000Z' },
  development: { mandiri: 121, asOf: '2025-10-01T00:00:00.000Z' },
};
const FIELD: Record<string, [keyof typeof FIGURES, string]> = {
  REGISTRY_LEGAL_ENTITIES: ['registry', 'legalEntities'],
  REGISTRY_LOAN_READY: ['registry', 'loanReady'],
  REGISTRY_OPERATING: ['registry', 'operating'],
  REGISTRY_MEMBERS: ['registry', 'members'],
  FINANCING_COOPERATIVES_FINANCED: ['financing', 'cooperativesFinanced'],
  FINANCING_AMOUNT_DISBURSED: ['financing', 'amountDisbursed'],
  ENERGY_KWP_COMMISSIONED: ['energy', 'kwpCommissioned'],
  ENERGY_KWP_OPERATING: ['energy', 'kwpOperating'],
  DIGITAL_COOPERATIVES_ONBOARDED: ['digital', 'onboardedCooperatives'],
  DIGITAL_FIBER_VILLAGES: ['digital', 'fiberVillages'],
  DIGITAL_PAYMENT_COOPERATIVES: ['digital', 'digitalPaymentCooperatives'],
  LABOUR_EMPLOYEES: ['labour', 'employees'],
  LABOUR_TRAINED_BOARD_MEMBERS: ['labour', 'trainedBoardMembers'],
  LABOUR_CERTIFIED_STAFF: ['labour', 'certifiedStaff'],
  DEVELOPMENT_MANDIRI_VILLAGES: ['development', 'mandiri'],
};

async function taskForce(representations: Record<string, unknown>[], variables: Record<string, unknown> = {}, caller = PUBLIC) {
  const result = await sg.query<{ _entities: { code: string; taskForce: TaskForce | null }[] }>(
    ENTITIES,
    { r: representations, on: '2026-02-15', ...variables },
    { caller },
  );
  expect(result.body.errors).toBeUndefined();
  return { entities: result.body.data!._entities, statements: result.statements };
}

describe('collaboration subgraph contract', () => {
  it("publishes Province.taskForce with @requires on the ministries' aggregates, declared @external", async () => {
    const sdl = await printFederatedSchema(collaboration);
    expect(sdl).toMatch(/type Province\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(
      /taskForce\([\s\S]*?\): ProvinceTaskForce @requires\(fields: "registry \{ legalEntities loanReady operating members provenance \{ asOf \} suppressed \{ field reason \} \} financing \{ cooperativesFinanced amountDisbursed asOf suppressed \{ field reason \} \} energy \{ kwpCommissioned kwpOperating asOf suppressed \{ field reason \} \}/,
    );
    // Nullable like the owners' fields, which are null when their subgraph is down.
    for (const field of [
      'registry\\(kind: CooperativeKind\\): RegistryAggregate',
      'financing: FinancingAggregate',
      'energy: EnergyAggregate',
      'digital: DigitalAggregate',
      'labour: LabourAggregate',
      'development\\(year: Int\\): DevelopmentAggregate',
    ]) {
      expect(sdl).toMatch(new RegExp(`${field} @external`));
    }
    // Nullable too where the owner withholds a figure from the public (disclosure control), with the reason beside it.
    expect(sdl).toMatch(/type EnergyAggregate \{\s+kwpCommissioned: Float @external/);
    expect(sdl).toMatch(/type SuppressedFigure \{\s+field: String! @external\s+reason: SuppressionReason! @external/);
    expect(sdl).toMatch(/type Agency\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type Commitment\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Cooperative\s+@key\(fields: "id", resolvable: false\)/);
    const { body } = await sg.query<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, { caller: PUBLIC });
    expect(body.data?._service.sdl).toContain('@requires(fields: "registry {');
  });

  it("computes each commitment's realisation from the figures in the representation, for many provinces in two statements", async () => {
    const others = ['11', '31', '53', '91'].map((code) => ({ __typename: 'Province', code, ...FIGURES }));
    const { entities, statements } = await taskForce([{ __typename: 'Province', code: '35', ...FIGURES }, ...others]);
    expect(statements).toBe(2); // the provinces' commitments, then their agencies
    const east = entities[0]!;
    expect(east.code).toBe('35');
    expect(east.taskForce!.region).toEqual({ code: 'IV' });
    expect(east.taskForce!.evaluatedOn).toBe('2026-02-15T00:00:00.000Z');
    expect(east.taskForce!.source).toMatch(/Task Force.*synthetic/);
    const commitments = east.taskForce!.commitments;
    expect(commitments.length).toBeGreaterThan(10);
    for (const c of commitments) {
      const [namespace, field] = FIELD[c.indicator]!;
      const slice = FIGURES[namespace] as Record<string, unknown>;
      expect(c.realised).toBe(String(slice[field]));
      expect(c.realisedAsOf).toBe(namespace === 'registry' ? FIGURES.registry.provenance.asOf : slice.asOf);
      expect(c.agency.code).toBe(expectedOwner(c.indicator));
      expect(['ON_TRACK', 'AT_RISK', 'LATE', 'DONE']).toContain(c.status);
      if (c.status === 'DONE') expect(Number(c.realised)).toBeGreaterThanOrEqual(Number(c.target));
      else expect(Number(c.realised)).toBeLessThan(Number(c.target));
    }
    expect(new Set(commitments.map((c) => c.status)).size).toBeGreaterThan(1);
    // Outside the test scope nothing is committed yet, but the region is known.
    expect(entities.slice(1).map((e) => [e.code, e.taskForce!.region?.code, e.taskForce!.commitments.length])).toEqual([
      ['11', 'II', 0],
      ['31', 'III', 0],
      ['53', 'IV', 0],
      ['91', 'III', 0],
    ]);
  });

  it("gives no realisation or status where a ministry's figures are missing, and counts them as unavailable", async () => {
    const { entities } = await taskForce([{ __typename: 'Province', code: '35', ...FIGURES, energy: null }]);
    const energy = entities[0]!.taskForce!.commitments.filter((c) => c.indicator.startsWith('ENERGY_'));
    expect(energy.length).toBeGreaterThan(0);
    for (const c of energy) expect(c).toMatchObject({ realised: null, realisedAsOf: null, progress: null, status: null });
    const esdm = entities[0]!.taskForce!.byAgency.find((a) => a.agency.code === 'ESDM')!;
    expect(esdm.unavailable).toBe(energy.length);
  });

  it('never estimates a figure the owner withholds from the caller: no realisation, progress or status, and says why', async () => {
    const withheld = {
      ...FIGURES.energy,
      kwpCommissioned: null,
      kwpOperating: null,
      suppressed: [
        { field: 'kwpCommissioned', reason: 'COMPLEMENTARY' },
        { field: 'kwpOperating', reason: 'COMPLEMENTARY' },
      ],
    };
    const result = await sg.query<{ _entities: { taskForce: { commitments: (Progress & { withheld: string | null })[] } }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Province { taskForce(on: "2026-02-15") { commitments { indicator realised progress status withheld } } } } }`,
      { r: [{ __typename: 'Province', code: '35', ...FIGURES, energy: withheld }] },
      { caller: PUBLIC },
    );
    expect(result.body.errors).toBeUndefined();
    const commitments = result.body.data!._entities[0]!.taskForce.commitments;
    const energy = commitments.filter((c) => c.indicator.startsWith('ENERGY_'));
    expect(energy.length).toBeGreaterThan(0);
    for (const c of energy) expect(c).toEqual({ indicator: c.indicator, realised: null, progress: null, status: null, withheld: 'COMPLEMENTARY' });
    for (const c of commitments.filter((c) => !c.indicator.startsWith('ENERGY_'))) expect(c.withheld).toBeNull();
  });

  it('filters to the commitments due in a quarter and counts them per agency', async () => {
    const all = (await taskForce([{ __typename: 'Province', code: '35', ...FIGURES }])).entities[0]!.taskForce!;
    const q2 = (await taskForce([{ __typename: 'Province', code: '35', ...FIGURES }], { quarter: '2026-Q2' })).entities[0]!.taskForce!;
    expect(q2.commitments.length).toBeGreaterThan(0);
    expect(q2.commitments).toEqual(all.commitments.filter((c) => c.dueDate.slice(0, 10) >= '2026-04-01' && c.dueDate.slice(0, 10) <= '2026-06-30'));
    for (const agency of q2.byAgency) {
      const mine = q2.commitments.filter((c) => c.agency.code === agency.agency.code);
      expect(agency.commitments).toBe(mine.length);
      expect(agency.done + agency.onTrack + agency.atRisk + agency.late + agency.unavailable).toBe(mine.length);
      expect(agency.done).toBe(mine.filter((c) => c.status === 'DONE').length);
    }
    const current = (await taskForce([{ __typename: 'Province', code: '35', ...FIGURES }], { quarter: 'current', on: '2026-05-01' })).entities[0]!.taskForce!;
    expect(current.commitments).toEqual(
      q2.commitments.map((c) => ({ ...c, expectedProgress: expect.any(Number), progress: c.progress, status: expect.any(String) })),
    );
    const bad = await sg.query(ENTITIES, { r: [{ __typename: 'Province', code: '35', ...FIGURES }], quarter: 'Q2' }, { caller: PUBLIC });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

function expectedOwner(indicator: string): string {
  const prefix = indicator.split('_')[0]!;
  return { REGISTRY: 'KEMENKOP', FINANCING: 'KEMENKEU', ENERGY: 'ESDM', DIGITAL: 'KOMDIGI', LABOUR: 'KEMNAKER', DEVELOPMENT: 'KEMENDES' }[prefix]!;
}

describe('collaboration queries', () => {
  it('lists the nineteen agencies publicly, with the data each owns and the indicators it may commit to', async () => {
    const { body } = await sg.query<{
      agencies: { code: string; kind: string; taskForceMember: boolean; participation: string; dataSubgraph: string | null; indicators: string[] }[];
      members: { code: string }[];
      esdm: unknown;
    }>(
      '{ agencies { code kind taskForceMember participation dataSubgraph indicators } members: agencies(taskForceMember: true) { code } esdm: agency(code: "esdm") { name shortName dataSubgraph } }',
      {},
      { caller: PUBLIC },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.agencies).toHaveLength(19);
    expect(body.data!.members).toHaveLength(16);
    expect(body.data!.esdm).toEqual({ name: 'Ministry of Energy and Mineral Resources', shortName: 'ESDM', dataSubgraph: 'energy' });
    const owners = Object.fromEntries(body.data!.agencies.filter((a) => a.dataSubgraph).map((a) => [a.code, a.dataSubgraph]));
    expect(owners).toEqual({
      ESDM: 'energy',
      KEMENDAGRI: 'regions',
      KEMENDES: 'villages',
      KEMENKEU: 'financing',
      KEMENKOP: 'cooperatives',
      KEMNAKER: 'labour',
      KOMDIGI: 'digital',
      LAN: 'collaboration',
    });
    expect(body.data!.agencies.find((a) => a.code === 'LAN')).toMatchObject({
      kind: 'AGENCY',
      taskForceMember: false,
      participation: 'CONVENER',
      indicators: [],
    });
  });

  it('lists the four Task Force regions covering the 38 provinces', async () => {
    const { body } = await sg.query<{ taskForceRegions: { code: string; coverage: string; provinces: { code: string }[] }[] }>(
      '{ taskForceRegions { code coverage provinces { code } } }',
      {},
      { caller: PUBLIC },
    );
    const regions = body.data!.taskForceRegions;
    expect(regions.map((r) => [r.code, r.provinces.length])).toEqual([
      ['I', 7],
      ['II', 11],
      ['III', 16],
      ['IV', 4],
    ]);
    expect(regions[3]!.coverage).toBe('East Java, Bali, West Nusa Tenggara, East Nusa Tenggara');
  });

  it('lists commitments without realisation, filtered in the database, each pointing at its province', async () => {
    const { body, statements } = await sg.query<{
      commitments: {
        id: string;
        agency: { code: string };
        dueDate: string;
        unit: string;
        label: string;
        province: { code: string };
        region: { code: string };
      }[];
    }>(
      '{ commitments(agency: "ESDM", province: "35", dueAfter: "2026-01-01", dueBefore: "2026-12-31") { id agency { code } dueDate unit label province { code } region { code } } }',
      {},
      { caller: PUBLIC },
    );
    expect(body.errors).toBeUndefined();
    const list = body.data!.commitments;
    expect(list.length).toBeGreaterThan(0);
    for (const c of list) {
      expect(c).toMatchObject({ agency: { code: 'ESDM' }, unit: 'KWP', province: { code: '35' }, region: { code: 'IV' } });
      expect(c.dueDate.slice(0, 10) >= '2026-01-01' && c.dueDate.slice(0, 10) <= '2026-12-31').toBe(true);
      expect(c.label).toMatch(/^ESDM: [\d,.]+ kWp (commissioned|operating) in Jawa Timur by 2026-\d\d-\d\d$/);
    }
    expect(list.map((c) => c.dueDate)).toEqual([...list.map((c) => c.dueDate)].sort());
    expect(statements).toBe(2);
    const none = await sg.query<{ commitments: unknown[] }>('{ commitments(taskForceRegion: "I") { id } }', {}, { caller: PUBLIC });
    expect(none.body.data!.commitments).toEqual([]);
    const bad = await sg.query('{ commitments(province: "35.14") { id } }', {}, { caller: PUBLIC });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('seeds two to six commitments per data-owning agency in a province, targets scaled to its villages', async () => {
    const [row] = await sg.server.db.sql.query<{ agencies: number; min: number; max: number }>(
      'SELECT count(*)::int AS agencies, min(n)::int AS min, max(n)::int AS max FROM (SELECT "agencyCode", count(*) AS n FROM "Commitment" WHERE "provinceCode" = \'35\' GROUP BY 1) t',
    );
    expect(row).toEqual({ agencies: 6, min: expect.any(Number), max: expect.any(Number) });
    expect(row!.min).toBeGreaterThanOrEqual(1);
    expect(row!.max).toBeLessThanOrEqual(6);
    const [legal] = await sg.server.db.sql.query<{ max: string }>(
      'SELECT max(target)::text AS max FROM "Commitment" WHERE indicator = \'REGISTRY_LEGAL_ENTITIES\'',
    );
    expect(Number(legal!.max)).toBeLessThanOrEqual(365); // never more cooperatives than Pasuruan's 365 villages
  });

  it('shows pilot sites to everyone, their cooperative only to signed-in callers', async () => {
    const { body } = await sg.query<{
      pilotSites: { id: string; model: string; categories: string[]; village: { code: string }; province: { code: string }; region: { code: string } }[];
    }>('{ pilotSites(regionCode: "35.14") { id model categories village { code } province { code } region { code } } }', {}, { caller: PUBLIC });
    expect(body.errors).toBeUndefined();
    expect(body.data!.pilotSites).toContainEqual({
      id: 'PILOT-KDMP-35.14.09.2019',
      model: expect.any(String),
      categories: expect.any(Array),
      village: { code: '35.14.09.2019' },
      province: { code: '35' },
      region: { code: 'IV' },
    });
    const denied = await sg.query('{ pilotSites(regionCode: "35.14") { id cooperative { id } } }', {}, { caller: PUBLIC });
    expect(denied.body.data).toBeNull(); // cooperative is non-null: the refusal nulls the list
    expect(denied.body.errors?.[0]).toMatchObject({
      message: 'PilotSite.cooperative needs a signed-in analyst, officer or admin; send a bearer token.',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('lists pilot sites, Wonokerto (Pasuruan) among them, filtered by region category', async () => {
    const { body } = await sg.query<{
      pilotSites: {
        id: string;
        cooperative: { id: string };
        village: { code: string };
        province: { code: string };
        region: { code: string };
        categories: string[];
        developmentStatus: string | null;
      }[];
    }>(
      '{ pilotSites(regionCode: "3514") { id cooperative { id } village { code } province { code } region { code } categories developmentStatus } }',
      {},
      { caller: ANALYST },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.pilotSites.length).toBeGreaterThanOrEqual(3);
    expect(body.data!.pilotSites).toContainEqual(
      expect.objectContaining({
        id: 'PILOT-KDMP-35.14.09.2019',
        cooperative: { id: 'KDMP-35.14.09.2019' },
        village: { code: '35.14.09.2019' },
        province: { code: '35' },
        region: { code: 'IV' },
      }),
    );
    for (const category of ['DEVELOPED', 'DEVELOPING', 'DISADVANTAGED', 'URBAN_WARD', 'AREA_3T', 'OUTERMOST_SMALL_ISLAND']) {
      const filtered = await sg.query<{ pilotSites: { categories: string[] }[] }>(
        'query ($c: RegionCategory) { pilotSites(category: $c) { categories } }',
        { c: category },
        { caller: ANALYST },
      );
      for (const site of filtered.body.data!.pilotSites) expect(site.categories).toContain(category);
      expect(filtered.body.data!.pilotSites.length).toBe(body.data!.pilotSites.filter((s) => s.categories.includes(category)).length);
    }
  });

  it('resolves Agency and Commitment references, and hides nothing public from anonymous callers', async () => {
    const { body } = await sg.query<{ _entities: unknown[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { code shortName } ... on Commitment { id agency { code } } } }',
      {
        r: [
          { __typename: 'Agency', code: 'KEMENKOP' },
          { __typename: 'Commitment', id: 'ESDM-35-1' },
          { __typename: 'Commitment', id: 'NOPE' },
        ],
      },
      { caller: PUBLIC },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!._entities).toEqual([{ code: 'KEMENKOP', shortName: 'Kemenkop' }, { id: 'ESDM-35-1', agency: { code: 'ESDM' } }, null]);
  });
});
