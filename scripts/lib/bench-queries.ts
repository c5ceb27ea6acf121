/**
 * The benchmark's five questions, written as registered client operations: named, with
 * variables, one operation per document. Every gateway receives byte-identical requests.
 */

export interface BenchQuery {
  id: 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'Q5';
  title: string;
  operationName: string;
  document: string;
  variables: Record<string, unknown>;
  /** Sanity check on a response's data: throws when the answer is not the expected shape. */
  check(data: Record<string, unknown>): string;
  /**
   * With --distinct: the variables to rotate through, so concurrent requests differ (a gateway
   * cannot merge identical subgraph requests in flight). Absent: every request is the same.
   */
  distinct?(found: Discovered): Record<string, unknown>[];
}

/** Codes and ids the --distinct workload rotates through, read once through a gateway. */
export interface Discovered {
  provinces: string[];
  jawaTimurRegencies: string[];
  jawaTimurCooperatives: string[];
}

export const DISCOVERY = `query BenchDiscovery {
  provinces { code }
  province(code: "35") { regencies { code } }
  cooperatives(filter: { regionCode: "35" }, first: 500) { edges { node { id } } }
}`;

export function discovered(data: {
  provinces: { code: string }[];
  province: { regencies: { code: string }[] };
  cooperatives: { edges: { node: { id: string } }[] };
}): Discovered {
  return {
    provinces: data.provinces.map((p) => p.code),
    jawaTimurRegencies: data.province.regencies.map((r) => r.code),
    jawaTimurCooperatives: data.cooperatives.edges.map((e) => e.node.id),
  };
}

/** A cooperative with fields from every subgraph (regions, villages, cooperatives, financing, energy, digital, labour). */
const ACROSS_MINISTRIES = `
fragment CooperativeAcrossMinistries on Cooperative {
  id
  name
  kind
  stage
  members
  village {
    code
    name
    regency { code name }
    developmentStatus { status }
    danaDesa { ceiling }
    electrification { electrified }
    connectivity { signal }
  }
  financing { outstanding loans { lender plafond status } }
  energy { solarPlants { capacityKwp status } }
  digital { onboarded }
  labour { employees trainedBoardMembers }
}`;

type Edges = { totalCount: number; edges: { node: { id: string; village?: { connectivity?: unknown } } }[] };

function expectPage(data: Record<string, unknown>, min: number, max: number): string {
  const page = data.cooperatives as Edges | undefined;
  const n = page?.edges.length ?? 0;
  if (!page || n < min || n > max) throw new Error(`expected ${min}–${max} cooperatives, got ${n}`);
  return `${n} cooperatives of ${page.totalCount}`;
}

export const BENCH_QUERIES: BenchQuery[] = [
  {
    id: 'Q1',
    title: 'one cooperative, fields from every subgraph',
    operationName: 'BenchCooperative',
    document: `query BenchCooperative($id: ID!) {
  cooperative(id: $id) { ...CooperativeAcrossMinistries }
}
${ACROSS_MINISTRIES}`,
    variables: { id: 'KDMP-35.14.09.2019' },
    distinct: (found) => found.jawaTimurCooperatives.map((id) => ({ id })),
    check(data) {
      const coop = data.cooperative as { id: string; financing: unknown; labour: unknown } | null;
      if (!coop?.financing || !coop.labour) throw new Error('cooperative or one of its ministry slices is missing');
      return coop.id;
    },
  },
  {
    id: 'Q2',
    title: 'a page of 100 cooperatives (Jawa Timur), every subgraph',
    operationName: 'BenchCooperativePage',
    document: `query BenchCooperativePage($regionCode: String!) {
  cooperatives(filter: { regionCode: $regionCode }, first: 100) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ...CooperativeAcrossMinistries } }
  }
}
${ACROSS_MINISTRIES}`,
    variables: { regionCode: '35' },
    distinct: (found) => found.provinces.map((regionCode) => ({ regionCode })),
    check: (data) => expectPage(data, 100, 100),
  },
  {
    id: 'Q3',
    title: '38-province aggregate dashboard',
    operationName: 'BenchProvinceDashboard',
    document: `query BenchProvinceDashboard {
  provinces {
    code
    name
    registry { cooperatives operating }
    financing { loans outstanding }
    energy { kwpPlanned unelectrifiedVillages }
    digital { blankSpotVillages share4gOrBetter }
    labour { employees averagePerCooperative }
    development { tertinggal sangatTertinggal }
  }
}`,
    variables: {},
    check(data) {
      const provinces = data.provinces as { registry: { cooperatives: number } }[];
      if (provinces.length !== 38) throw new Error(`expected 38 provinces, got ${provinces.length}`);
      const total = provinces.reduce((n, p) => n + p.registry.cooperatives, 0);
      if (total < 80_000)
        throw new Error(`expected the national dataset (~83,762 cooperatives), the registry counts ${total}: was it seeded with KOPDES_SEED_SCOPE?`);
      return `38 provinces, ${total} cooperatives`;
    },
  },
  {
    id: 'Q4',
    title: 'regency export: every cooperative of Kab. Pasuruan (35.14), every subgraph',
    operationName: 'BenchRegencyExport',
    document: `query BenchRegencyExport($regionCode: String!) {
  cooperatives(filter: { regionCode: $regionCode }, first: 500) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ...CooperativeAcrossMinistries } }
  }
}
${ACROSS_MINISTRIES}`,
    variables: { regionCode: '35.14' },
    // Other regencies of Jawa Timur: 20 to 400 cooperatives each, so the mean cost differs from Pasuruan's.
    distinct: (found) => found.jawaTimurRegencies.map((regionCode) => ({ regionCode })),
    check: (data) => expectPage(data, 300, 500),
  },
  {
    id: 'Q5',
    title: 'domain question 1: financed cooperatives of Jawa Timur with their village signal and solar plants',
    operationName: 'BenchFinancedWithoutSignalOrSolar',
    document: `query BenchFinancedWithoutSignalOrSolar($regionCode: String!) {
  financedCooperatives(regionCode: $regionCode, statuses: [DISBURSED, REPAYING, ARREARS]) {
    id
    name
    village { code name connectivity { signal } }
    energy { solarPlants { status } }
  }
}`,
    variables: { regionCode: '35' },
    distinct: (found) => found.provinces.map((regionCode) => ({ regionCode })),
    check(data) {
      const coops = data.financedCooperatives as { village: { connectivity: { signal: string } | null }; energy: { solarPlants: unknown[] } | null }[];
      if (coops.length === 0) throw new Error('no financed cooperative in Jawa Timur');
      const answer = coops.filter((c) => !['G4', 'G5'].includes(c.village.connectivity?.signal ?? 'NONE') && (c.energy?.solarPlants.length ?? 0) === 0);
      return `${coops.length} financed, ${answer.length} without 4G and without solar`;
    },
  },
];

/** The HTTP body every gateway receives for a query. */
export function requestBody(query: BenchQuery, variables = query.variables): string {
  return JSON.stringify({ operationName: query.operationName, query: query.document, variables });
}
