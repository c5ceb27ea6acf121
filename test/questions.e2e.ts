import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOperations, type RegisteredOperation } from '../gateway/src/operations';
import { bearer, golden, startPlatform, type TestPlatform } from './helpers';

/**
 * The cross-sector questions of shared/domain.md, each one registered operation answered
 * through the real gateway over every subgraph, on a fixed small region: Kabupaten Belu,
 * Nusa Tenggara Timur (81 villages; synthetic ministry data). Each answer is the operation's
 * result filtered by the question's last predicate, as a client or the export does.
 */
const REGION = '53.04';
let platform: TestPlatform;
let auth: Record<string, string>;
let operations: Map<string, RegisteredOperation>;

beforeAll(async () => {
  platform = await startPlatform({ scope: REGION });
  auth = { authorization: await bearer({ subject: 'questions-analyst', role: 'analyst' }) };
  operations = new Map(loadOperations(path.join(import.meta.dirname, '../schema/operations')).map((o) => [o.name, o]));
});
afterAll(async () => {
  await platform?.stop();
});

async function ask<T>(name: string, variables: Record<string, unknown> = { region: REGION }): Promise<T> {
  const operation = operations.get(name);
  if (!operation) throw new Error(`No registered operation ${name}`);
  const { body } = await platform.query<T>(operation.document, variables, auth);
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const SIGNAL_RANK = ['NONE', 'G2', 'G3', 'G4', 'G5'];
const statements = () => new Map([...platform.subgraphs].map(([name, sg]) => [name, sg.server.db.statements.total]));
const spent = (before: Map<string, number>) => Object.fromEntries([...statements()].map(([name, n]) => [name, n - before.get(name)!]));

describe('cross-sector questions (domain.md), one query each', () => {
  it('Q1: loan disbursed, no 4G, no solar plant', async () => {
    type Coop = {
      id: string;
      village: { connectivity: { signal: string } | null };
      energy: { solarPlants: unknown[] };
      financing: { loans: { status: string }[] };
    };
    const data = await ask<{ financedCooperatives: Coop[] }>('question-1-disbursed-no-4g-no-solar');
    for (const c of data.financedCooperatives)
      expect(c.financing.loans.some((l) => ['DISBURSED', 'REPAYING', 'ARREARS', 'SETTLED'].includes(l.status))).toBe(true);
    const answer = data.financedCooperatives.filter(
      (c) => SIGNAL_RANK.indexOf(c.village.connectivity?.signal ?? 'NONE') < 3 && c.energy.solarPlants.length === 0,
    );
    expect(answer).toEqual(await golden('q1-disbursed-no-4g-no-solar', answer));
  });

  it('Q2: share meeting every loan precondition, and share financed, per province', async () => {
    const data = await ask<{
      provinces: {
        code: string;
        registry: { cooperatives: number; loanReady: number };
        financing: { preconditionsMet: number; cooperativesFinanced: number };
      }[];
    }>('question-2-loan-preconditions-by-province', {});
    const ntt = data.provinces.find((p) => p.code === '53')!;
    expect(ntt.registry.cooperatives).toBe(81);
    expect(ntt.financing.cooperativesFinanced).toBeLessThanOrEqual(ntt.registry.loanReady);
    expect(data).toEqual(await golden('q2-loan-preconditions', data));
  });

  it('Q3: TERTINGGAL villages with and without an operating cooperative with a trained board', async () => {
    type Village = { code: string; developmentStatus: { status: string }; cooperatives: { stage: string; labour: { trainedBoardMembers: number } }[] };
    const data = await ask<{ villagesByDevelopment: Village[] }>('question-3-lagging-villages-trained-boards');
    for (const v of data.villagesByDevelopment) expect(['TERTINGGAL', 'SANGAT_TERTINGGAL']).toContain(v.developmentStatus.status);
    const qualifies = (v: Village) => v.cooperatives.some((c) => c.stage === 'OPERATING' && c.labour.trainedBoardMembers > 0);
    const answer = {
      with: data.villagesByDevelopment.filter(qualifies).map((v) => v.code),
      without: data.villagesByDevelopment.filter((v) => !qualifies(v)).map((v) => v.code),
    };
    expect(answer.with.length + answer.without.length).toBeGreaterThan(0);
    expect(answer).toEqual(await golden('q3-lagging-villages', answer));
  });

  it('Q4: arrears covered from Dana Desa, and the share of the 30% cap used', async () => {
    type Coop = {
      village: { danaDesa: { ceiling: string } | null };
      financing: { danaDesaIntercepted: string; interceptCap: string | null; interceptCapUsedShare: number };
    };
    const data = await ask<{ financedCooperatives: Coop[] }>('question-4-arrears-dana-desa-intercepts');
    expect(data.financedCooperatives.length).toBeGreaterThan(0);
    for (const c of data.financedCooperatives) {
      expect(BigInt(c.financing.danaDesaIntercepted)).toBeGreaterThan(0n);
      expect(BigInt(c.financing.danaDesaIntercepted)).toBeLessThanOrEqual(BigInt(c.financing.interceptCap!));
    }
    expect(data).toEqual(await golden('q4-arrears-intercepts', data));
  });

  it('Q5: cold storage in a village without reliable electricity', async () => {
    type Village = {
      code: string;
      electrification: { electrified: boolean };
      cooperatives: { id: string; businessUnits: { type: string; status: string }[] }[];
    };
    const data = await ask<{ energyVillages: Village[] }>('question-5-cold-storage-unreliable-power');
    const answer = data.energyVillages.flatMap((v) =>
      v.cooperatives
        .filter((c) => c.businessUnits.some((u) => u.type === 'COLD_STORAGE' && ['COMPLETED', 'OPERATING'].includes(u.status)))
        .map((c) => ({ cooperative: c.id, village: v.code, electrified: v.electrification.electrified })),
    );
    expect(answer).toEqual(await golden('q5-cold-storage-unreliable-power', answer));
  });

  it('Q6: employees against the target, per regency', async () => {
    const data = await ask<{
      province: {
        regencies: {
          code: string;
          registry: { cooperatives: number };
          labour: { employees: number; targetEmployees: number; cooperativesReporting: number };
        }[];
      };
    }>('question-6-employees-vs-target-by-regency', { province: '53' });
    const [belu] = data.province.regencies;
    expect(belu!.labour.targetEmployees).toBe(20 * belu!.labour.cooperativesReporting);
    const labour = platform.subgraphs.get('labour')!;
    const [direct] = await labour.server.db.sql.query<{ employees: number }>(
      `SELECT coalesce(sum(employees), 0)::int AS employees FROM "Workforce" WHERE "regencyCode" = '53.04'`,
    );
    expect(belu!.labour.employees).toBe(direct!.employees);
    expect(data).toEqual(await golden('q6-employees-vs-target', data));
  });

  it('Q8: idle assets — finished outlet or warehouse, no loan, no employees', async () => {
    type Conn = { edges: { node: { id: string; financing: { loans: unknown[] }; labour: { employees: number } } }[] };
    const data = await ask<{ outlets: Conn; warehouses: Conn }>('question-8-idle-assets');
    const idle = [...data.outlets.edges, ...data.warehouses.edges].map((e) => e.node).filter((n) => n.financing.loans.length === 0 && n.labour.employees === 0);
    const answer = [...new Set(idle.map((n) => n.id))].sort();
    expect(answer).toEqual(await golden('q8-idle-assets', answer));
  });
});

describe('cost of federated reads', () => {
  const PAGE = `query ($first: Int!) { cooperatives(filter: { regionCode: "${REGION}" }, first: $first) { edges { node {
    id name stage village { name developmentStatus { status } danaDesa { ceiling } electrification { electrified } connectivity { signal } }
    financing { outstanding loans { lender status } } energy { solarPlants { status } } digital { onboarded } labour { employees trainedBoardMembers } } } } }`;

  it('a page of cooperatives with every subgraph costs the same statements per subgraph for 10 or 80 cooperatives', async () => {
    const costs = [];
    for (const first of [10, 80]) {
      const before = statements();
      const { body } = await platform.query<{ cooperatives: { edges: unknown[] } }>(PAGE, { first }, auth);
      expect(body.errors).toBeUndefined();
      expect(body.data!.cooperatives.edges).toHaveLength(first);
      costs.push(spent(before));
    }
    expect(costs[1]).toEqual(costs[0]);
    for (const n of Object.values(costs[0]!)) expect(n).toBeLessThanOrEqual(4);
  });

  it('the province dashboard costs one aggregate statement per ministry subgraph', async () => {
    const before = statements();
    const { body } = await platform.query(
      `{ provinces { code registry { cooperatives operating } financing { loans outstanding } energy { kwpPlanned unelectrifiedVillages }
      digital { blankSpotVillages share4gOrBetter } labour { employees averagePerCooperative } development { tertinggal sangatTertinggal } } }`,
      undefined,
      auth,
    );
    expect(body.errors).toBeUndefined();
    expect(spent(before)).toEqual({ regions: 1, cooperatives: 1, financing: 1, energy: 1, digital: 1, labour: 1, villages: 1, collaboration: 0 });
  });
});
