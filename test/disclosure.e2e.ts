import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegions } from '@kopdes/kit/synthetic';
import { audit, cellKey, type Cells, type RegionNode, type Table, unexplained, type Unit } from './disclosure-audit';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * Disclosure control through the real gateway and subgraphs, on real regions: DKI Jakarta (its six
 * regencies include Kepulauan Seribu, the smallest in Indonesia: two districts, six villages; no
 * regency has a single district) and Kabupaten Pasuruan (desa and kelurahan, so KDMP and KKMP parts).
 * Five of Kepulauan Seribu's villages get two more cooperatives, so their figures may be published and
 * the sixth is a single suppressed village among published siblings. As the public, nothing published,
 * and no parent minus its published children, may reveal a cooperative; an analyst gets every figure.
 */
const K = 3; // DISCLOSURE_MIN_COOPERATIVES is not set for the tests: the default
const SEIBU = '31.01';
const GROWN = ['31.01.01.1001', '31.01.01.1002', '31.01.01.1003', '31.01.02.1001', '31.01.02.1002'];
const SINGLE = '31.01.02.1003';

const count = (field: string, unit: 'cooperative' | 'village' = 'cooperative', additive = true) => ({ field, is: 'count' as const, unit, additive });
const sum = (field: string, unit: 'cooperative' | 'village' = 'cooperative') => ({ field, is: 'total' as const, unit });
const TABLES: Table[] = [
  {
    namespace: 'registry',
    parts: ['', 'KDMP', 'KKMP'],
    figures: [...['cooperatives', 'kdmp', 'kkmp', 'legalEntities', 'loanReady', 'operating'].map((f) => count(f)), sum('members')],
  },
  {
    namespace: 'financing',
    parts: [''],
    figures: [
      ...['cooperativesFinanced', 'cooperativesInArrears', 'preconditionsMet'].map((f) => count(f)),
      ...['loans', 'amountDisbursed', 'outstanding', 'arrearsAmount', 'interceptedAmount'].map((f) => sum(f)),
    ],
  },
  {
    namespace: 'energy',
    parts: [''],
    figures: [
      ...['plants', 'kwpPlanned', 'kwpUnderConstruction', 'kwpCommissioned', 'kwpOperating'].map((f) => sum(f)),
      ...['villages', 'unelectrifiedVillages', 'unelectrifiedVillagesWithCooperative', 'unelectrifiedVillagesWithPlant', 'unreliableSupplyVillages'].map((f) =>
        count(f, 'village'),
      ),
    ],
  },
  {
    namespace: 'digital',
    parts: [''],
    figures: [
      ...['villagesSurveyed', 'blankSpotVillages', 'fiberVillages'].map((f) => count(f, 'village')),
      count('share4gOrBetter', 'village', false),
      count('onboardedCooperatives'),
      count('digitalPaymentCooperatives'),
    ],
  },
  {
    namespace: 'labour',
    parts: [''],
    figures: [
      count('cooperativesReporting'),
      count('cooperativesAtTarget'),
      count('averagePerCooperative', 'cooperative', false),
      count('targetEmployees', 'cooperative', false),
      ...['employees', 'trainedBoardMembers', 'certifiedStaff'].map((f) => sum(f)),
    ],
  },
  {
    namespace: 'development',
    parts: [''],
    figures: [
      ...['mandiri', 'maju', 'berkembang', 'tertinggal', 'sangatTertinggal', 'unclassified'].map((f) => count(f, 'village')),
      sum('danaDesaTotal', 'village'),
    ],
  },
];
const S = 'suppressed { field reason threshold }';
const sel = (t: Table) => `${t.figures.map((f) => f.field).join(' ')} ${S}`;
const [REG, FIN, ENE, DIG, LAB, DEV] = TABLES.map(sel) as [string, string, string, string, string, string];
const PARTS = `registry { ${REG} } KDMP: registry(kind: KDMP) { ${REG} } KKMP: registry(kind: KKMP) { ${REG} } financing { ${FIN} }`;
const REGION = `${PARTS} energy { ${ENE} } digital { ${DIG} } labour { ${LAB} } development { ${DEV} }`;
const PROVINCES = `{ provinces { code ${REGION} } }`;
const REGENCIES = `query ($code: ID!) { province(code: $code) { regencies { code ${REGION} } } }`;
const VILLAGES = `query ($code: ID!) { regency(code: $code) { villages { code ${PARTS} } } }`;

interface Node {
  code: string;
  regencies?: Node[];
  villages?: Node[];
  [namespace: string]: unknown;
}

let platform: TestPlatform;
let analyst: Record<string, string>;
beforeAll(async () => {
  // Correctness, not speed: a generous subgraph timeout, so a busy shared machine cannot turn a slow answer into a partial one.
  platform = await startPlatform({ scope: '31,35.14', gateway: { subgraphTimeoutMs: 120_000 } });
  analyst = { authorization: await bearer({ subject: 'e2e-disclosure-analyst', role: 'analyst' }) };
  const registrar = { authorization: await bearer({ subject: 'e2e-disclosure-kemenkop', role: 'officer', ministry: 'cooperatives' }) };
  for (const village of GROWN) {
    for (const n of [2, 3]) {
      const { body } = await platform.query(
        'mutation ($input: RegisterCooperativeInput!, $key: String!) { registerCooperative(input: $input, idempotencyKey: $key) { id } }',
        {
          input: {
            villageCode: village,
            name: `Koperasi Nelayan ${n} (synthetic, test)`,
            kind: 'KKMP',
            formation: 'NEW',
            musdesusDate: '2025-06-01',
            members: 9 + n,
          },
          key: `e2e-disclosure-${village}-${n}`,
        },
        registrar,
      );
      expect(body.errors).toBeUndefined();
    }
  }
});
afterAll(async () => {
  await platform?.stop().catch(() => undefined);
});

/** The graph as a reader walks it, level by level (each request within the cost limit): provinces, their regencies, their villages. */
async function walk(headers: Record<string, string>) {
  const ask = async <T>(query: string, variables?: Record<string, unknown>) => {
    const { status, body } = await platform.query<T>(query, variables, headers);
    expect(status, JSON.stringify(body.errors)).toBe(200);
    expect(body.errors).toBeUndefined(); // suppression is never an error: the response cache and the dashboard rely on it
    return body.data!;
  };
  const { provinces } = await ask<{ provinces: Node[] }>(PROVINCES);
  for (const province of provinces)
    province.regencies = (await ask<{ province: { regencies: Node[] } }>(REGENCIES, { code: province.code })).province.regencies;
  for (const regency of provinces.flatMap((p) => p.regencies ?? [])) {
    regency.villages = (await ask<{ regency: { villages: Node[] } }>(VILLAGES, { code: regency.code })).regency.villages;
  }
  const cells: Cells = new Map();
  const tree = (node: Node): RegionNode => {
    for (const t of TABLES)
      for (const part of t.parts) {
        const cell = node[part === '' ? t.namespace : part] as Record<string, unknown> | undefined;
        if (cell && (part === '' || t.namespace === 'registry')) cells.set(cellKey(t.namespace, node.code, part), cell);
      }
    return { code: node.code, children: [...(node.regencies ?? []), ...(node.villages ?? [])].map(tree) };
  };
  return { roots: provinces.map(tree), cells };
}

const STAGES = ['MUSDESUS_HELD', 'NOTARY_DEED'];
const DISBURSED = ['DISBURSED', 'REPAYING', 'ARREARS', 'SETTLED'];
type Loan = { status: string; disbursedAmount: string; outstanding: string; arrearsAmount: string; interceptedAmount: string };
interface Coop {
  id: string;
  kind: string;
  stage: string;
  members: number;
  village: { code: string };
  financing: { loans: Loan[]; preconditions: { businessProposal: boolean; villageHeadApproval: boolean } } | null;
  energy: { solarPlants: { capacityKwp: number; status: string }[] } | null;
  digital: { onboarded: boolean; digitalPayments: boolean } | null;
  labour: { asOf: string; employees: number; trainedBoardMembers: number; certifiedStaff: number; meetsTarget: boolean } | null;
}
interface VillageFacts {
  code: string;
  electrification: { electrified: boolean; reliableSupply: boolean } | null;
  connectivity: { signal: string; fiber: boolean } | null;
  developmentStatus: { status: string } | null;
  danaDesa: { ceiling: string } | null;
}

/** Every cooperative and village of the scope with its own figures, as an analyst reads them record by record. */
async function units(): Promise<Unit[]> {
  const coops: Coop[] = [];
  for (const region of ['31', '35.14']) {
    for (let after: string | null = null, more = true; more;) {
      type Page = { cooperatives: { edges: { node: Coop }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
      const { body }: { body: { data?: Page; errors?: unknown[] } } = await platform.query<Page>(
        `query ($region: String!, $after: String) { cooperatives(filter: { regionCode: $region }, first: 500, after: $after) {
          edges { node { id kind stage members village { code }
            financing { loans { status disbursedAmount outstanding arrearsAmount interceptedAmount } preconditions { businessProposal villageHeadApproval } }
            energy { solarPlants { capacityKwp status } } digital { onboarded digitalPayments }
            labour { asOf employees trainedBoardMembers certifiedStaff meetsTarget } } }
          pageInfo { hasNextPage endCursor } } }`,
        { region, after },
        analyst,
      );
      expect(body.errors).toBeUndefined();
      coops.push(...body.data!.cooperatives.edges.map((e) => e.node));
      ({ hasNextPage: more, endCursor: after } = body.data!.cooperatives.pageInfo);
    }
  }
  const villages: VillageFacts[] = [];
  for (const code of ['31', '35']) {
    const { body } = await platform.query<{ province: { regencies: { villages: VillageFacts[] }[] } }>(
      'query ($code: ID!) { province(code: $code) { regencies { villages { code electrification { electrified reliableSupply } connectivity { signal fiber } developmentStatus { status } danaDesa { ceiling } } } } }',
      { code },
      analyst,
    );
    expect(body.errors).toBeUndefined();
    villages.push(...body.data!.province.regencies.flatMap((r) => r.villages));
  }
  const out: Unit[] = [];
  const unit = (namespace: string, c: { village: string; part?: string }, kind: Unit['kind'], values: Record<string, number | bigint>) =>
    out.push({ namespace, village: c.village, part: c.part ?? '', kind, values });
  const n = (b: boolean) => (b ? 1 : 0);
  const total = (loans: Loan[], pick: (l: Loan) => string) => loans.reduce((s, l) => s + BigInt(pick(l)), 0n);
  const kwp = (plants: { capacityKwp: number; status: string }[], statuses: string[]) =>
    plants.filter((p) => statuses.includes(p.status)).reduce((s, p) => s + p.capacityKwp, 0);
  for (const c of coops) {
    const at = { village: c.village.code, part: c.kind };
    unit('registry', at, 'cooperative', {
      cooperatives: 1,
      kdmp: n(c.kind === 'KDMP'),
      kkmp: n(c.kind === 'KKMP'),
      legalEntities: n(!STAGES.includes(c.stage)),
      loanReady: n(c.stage === 'SIMKOPDES' || c.stage === 'OPERATING'),
      operating: n(c.stage === 'OPERATING'),
      members: c.members,
    });
    const f = c.financing;
    if (f) {
      unit('financing', at, 'cooperative', {
        loans: f.loans.length,
        cooperativesFinanced: n(f.loans.some((l) => DISBURSED.includes(l.status))),
        cooperativesInArrears: n(f.loans.some((l) => l.status === 'ARREARS')),
        preconditionsMet: n(f.preconditions.businessProposal && f.preconditions.villageHeadApproval),
        amountDisbursed: total(f.loans, (l) => l.disbursedAmount),
        outstanding: total(f.loans, (l) => l.outstanding),
        arrearsAmount: total(f.loans, (l) => l.arrearsAmount),
        interceptedAmount: total(f.loans, (l) => l.interceptedAmount),
      });
    }
    const p = c.energy?.solarPlants;
    if (p)
      unit('energy', at, 'cooperative', {
        plants: p.length,
        kwpPlanned: kwp(p, ['PLANNED']),
        kwpUnderConstruction: kwp(p, ['UNDER_CONSTRUCTION']),
        kwpCommissioned: kwp(p, ['COMMISSIONED', 'OPERATING']),
        kwpOperating: kwp(p, ['OPERATING']),
      });
    if (c.digital)
      unit('digital', at, 'cooperative', { onboardedCooperatives: n(c.digital.onboarded), digitalPaymentCooperatives: n(c.digital.digitalPayments) });
    const l = c.labour;
    // Kemnaker answers zeros dated 1970 for a cooperative it has no report on: not one of its reporting cooperatives.
    if (l && Date.parse(l.asOf) > 0)
      unit('labour', at, 'cooperative', {
        cooperativesReporting: 1,
        cooperativesAtTarget: n(l.meetsTarget),
        employees: l.employees,
        trainedBoardMembers: l.trainedBoardMembers,
        certifiedStaff: l.certifiedStaff,
      });
  }
  const withPlant = new Set(coops.filter((c) => c.energy?.solarPlants.length).map((c) => c.village.code));
  const withSite = new Set(coops.filter((c) => c.energy).map((c) => c.village.code));
  for (const v of villages) {
    const at = { village: v.code };
    const e = v.electrification;
    if (e) {
      unit('energy', at, 'village', {
        villages: 1,
        unelectrifiedVillages: n(!e.electrified),
        unreliableSupplyVillages: n(!e.reliableSupply),
        unelectrifiedVillagesWithCooperative: n(!e.electrified && withSite.has(v.code)),
        unelectrifiedVillagesWithPlant: n(!e.electrified && withPlant.has(v.code)),
      });
    }
    if (v.connectivity)
      unit('digital', at, 'village', { villagesSurveyed: 1, blankSpotVillages: n(v.connectivity.signal === 'NONE'), fiberVillages: n(v.connectivity.fiber) });
    const status = v.developmentStatus?.status;
    unit('development', at, 'village', {
      mandiri: n(status === 'MANDIRI'),
      maju: n(status === 'MAJU'),
      berkembang: n(status === 'BERKEMBANG'),
      tertinggal: n(status === 'TERTINGGAL'),
      sangatTertinggal: n(status === 'SANGAT_TERTINGGAL'),
      unclassified: n(!status),
      danaDesaTotal: BigInt(v.danaDesa?.ceiling ?? 0),
    });
  }
  return out;
}

describe('disclosure control on real regions, through the gateway', () => {
  it('walks regions where it bites: no regency has a single district, Kepulauan Seribu is the smallest', () => {
    const national = loadRegions();
    const districts = new Map<string, number>();
    for (const d of national.districts) districts.set(d.regencyCode, (districts.get(d.regencyCode) ?? 0) + 1);
    expect(Math.min(...districts.values())).toBe(2);
    expect(districts.get(SEIBU)).toBe(2);
    expect(
      national.villages
        .filter((v) => v.code.startsWith(`${SEIBU}.`))
        .map((v) => v.code)
        .sort(),
    ).toEqual([...GROWN, SINGLE].sort());
  });

  it('gives the public no figure, and no parent minus published children, that reveals a cooperative; an analyst every figure', async () => {
    const pub = await walk({});
    const full = await walk(analyst);
    const all = await units();
    // The units explain every figure the analyst gets, so the audit below reasons about the real cooperatives.
    expect(unexplained(TABLES, full.roots, full.cells, all)).toEqual([]);
    expect(audit(K, TABLES, pub.roots, pub.cells, all)).toEqual([]);
    // The audit can fail: the analyst's unsuppressed figures, were they public, reveal cooperatives.
    const leaks = audit(K, TABLES, full.roots, full.cells, all);
    expect(leaks.filter((l) => l.how === 'published' && l.regions[0] === SINGLE).map((l) => l.field)).toContain('members');
    expect(leaks.some((l) => l.how === 'published' && l.regions[0]!.split('.').length === 2)).toBe(true);

    const reasons = new Map<string, string>();
    for (const [key, cell] of pub.cells) {
      const analystCell = full.cells.get(key)!;
      expect(analystCell.suppressed, key).toEqual([]);
      for (const withheld of cell.suppressed as { field: string; reason: string; threshold: number }[]) {
        if (withheld.field in cell) expect(cell[withheld.field], `${key}.${withheld.field}`).toBeNull(); // byStage is not selected
        expect(withheld.threshold).toBe(K);
        reasons.set(`${key}.${withheld.field}`, withheld.reason);
      }
      for (const [field, value] of Object.entries(cell)) {
        if (field === 'suppressed') continue;
        if (value === null) expect(reasons.has(`${key}.${field}`), `${key}.${field} is null without a reason`).toBe(true);
        else expect(value, `${key}.${field}`).toEqual(analystCell[field]); // never altered, only withheld
      }
    }
    // Every village of one cooperative is withheld; Kepulauan Seribu's single village among published ones,
    // and a sibling with it so that the regency minus the published villages reveals no one.
    expect(reasons.get(`registry|${SINGLE}|.members`)).toBe('BELOW_THRESHOLD');
    expect(pub.cells.get(cellKey('registry', GROWN[1]!))!.members).toBe(full.cells.get(cellKey('registry', GROWN[1]!))!.members);
    expect(GROWN.filter((v) => reasons.get(`registry|${v}|.members`) === 'COMPLEMENTARY')).toHaveLength(1);
    expect(reasons.get(`financing|35.14.01.2001|.amountDisbursed`)).toBe('BELOW_THRESHOLD');
    // Regencies too: some regency figure is withheld, and a sibling to protect it.
    const regencyReasons = [...reasons].filter(([key]) => key.split('|')[1]!.split('.').length === 2).map(([, reason]) => reason);
    expect(regencyReasons).toContain('BELOW_THRESHOLD');
    expect(regencyReasons).toContain('COMPLEMENTARY');
  }, 900_000); // hundreds of regions walked twice: a bound for a busy machine, not a speed check
});
