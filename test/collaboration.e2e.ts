import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOperations } from '../gateway/src/operations';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * The Task Force dashboard (collaboration subgraph, LAN) through the real gateway over every
 * subgraph, on Kabupaten Pasuruan (synthetic ministry data): a commitment's realisation is the
 * owning ministry's Province aggregate, which the gateway fetches and hands to the collaboration
 * subgraph (Federation @requires). Nothing is typed in, and no subgraph calls another.
 */
const SCOPE = '35.14';
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startPlatform({ scope: SCOPE });
});
afterAll(async () => {
  await platform?.stop().catch(() => undefined);
});

interface Progress {
  id: string;
  agency: { code: string; name: string };
  indicator: string;
  target: string;
  realised: string | null;
  withheld?: string | null;
  status: string | null;
  dueDate: string;
}
type Figures = Record<string, Record<string, unknown>>;

const PROVINCE = `query ($on: String) { province(code: "35") {
  code name
  registry { legalEntities loanReady operating members }
  financing { cooperativesFinanced amountDisbursed }
  energy { kwpCommissioned kwpOperating }
  digital { onboardedCooperatives fiberVillages digitalPaymentCooperatives }
  labour { employees trainedBoardMembers certifiedStaff }
  development { mandiri }
  taskForce(on: $on) { evaluatedOn region { code name } commitments { id agency { code name } indicator target realised withheld status dueDate } }
} }`;

const FIELD: Record<string, [string, string]> = {
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

async function province(on = '2026-02-15', headers: Record<string, string> = {}) {
  // Anonymous unless told: the dashboard of collaborative work is public.
  const { body } = await platform.query<{
    province: Figures & { code: string; taskForce: { evaluatedOn: string; region: { code: string; name: string }; commitments: Progress[] } };
  }>(PROVINCE, { on }, headers);
  expect(body.errors).toBeUndefined();
  return body.data!.province;
}

/** The aggregate the gateway returned for an indicator, as the ministry published it. */
const published = (p: Figures, indicator: string) => {
  const [namespace, field] = FIELD[indicator]!;
  return String(p[namespace]![field]);
};

describe('Task Force commitments realised through the graph', () => {
  it("realises each commitment of Jawa Timur as exactly the owning ministry's aggregate the gateway returns", async () => {
    const p = await province();
    expect(p.taskForce.region).toEqual({ code: 'IV', name: 'Task Force Region IV' });
    const commitments = p.taskForce.commitments;
    for (const prefix of ['ENERGY_', 'FINANCING_', 'REGISTRY_', 'DIGITAL_', 'LABOUR_', 'DEVELOPMENT_']) {
      expect(commitments.some((c) => c.indicator.startsWith(prefix))).toBe(true);
    }
    for (const c of commitments) {
      expect({ id: c.id, realised: c.realised }).toEqual({ id: c.id, realised: published(p, c.indicator) });
      expect(['ON_TRACK', 'AT_RISK', 'LATE', 'DONE']).toContain(c.status);
    }
    const amount = commitments.find((c) => c.indicator === 'FINANCING_AMOUNT_DISBURSED')!;
    expect(amount.realised).toBe(p.financing!.amountDisbursed); // whole rupiah, exact
    expect(Number(commitments.find((c) => c.indicator === 'ENERGY_KWP_COMMISSIONED')!.realised)).toBe(p.energy!.kwpCommissioned);
    const registry = commitments.find((c) => c.indicator.startsWith('REGISTRY_'))!;
    expect(Number(registry.realised)).toBe(p.registry![FIELD[registry.indicator]![1]]);
  });

  it('follows realisation to the ESDM data: commissioning a plant raises the kWp realised, which the public may not read from one plant', async () => {
    const analyst = { authorization: await bearer({ subject: 'e2e-analyst', role: 'analyst' }) };
    const before = await province(undefined, analyst);
    const esdm = { authorization: await bearer({ subject: 'e2e-esdm-officer', role: 'officer', ministry: 'energy' }) };
    const registered = await platform.query<{ registerSolarPlant: { id: string } }>(
      'mutation ($key: String!) { registerSolarPlant(input: { cooperativeId: "KDMP-35.14.01.2001", capacityKwp: 400.5, storageKwh: 1000, plannedOn: "2025-08-01" }, idempotencyKey: $key) { id } }',
      { key: `e2e-collab-plant-${Date.now()}` },
      esdm,
    );
    expect(registered.body.errors).toBeUndefined();
    const commissioned = await platform.query(
      'mutation ($id: ID!, $key: String!) { setSolarPlantStatus(input: { plantId: $id, status: COMMISSIONED, commissionedOn: "2025-11-01" }, idempotencyKey: $key) { status } }',
      { id: registered.body.data!.registerSolarPlant.id, key: `e2e-collab-commission-${Date.now()}` },
      esdm,
    );
    expect(commissioned.body.errors).toBeUndefined();
    const after = await province(undefined, analyst);
    expect(after.energy!.kwpCommissioned).toBe((before.energy!.kwpCommissioned as number) + 400.5);
    const inService = (p: Awaited<ReturnType<typeof province>>) => p.taskForce.commitments.filter((x) => x.indicator === 'ENERGY_KWP_COMMISSIONED');
    expect(inService(after).length).toBeGreaterThan(0);
    for (const c of inService(after)) expect(c.realised).toBe(String(after.energy!.kwpCommissioned));
    // The province's only plant in service: its kWp is one cooperative's. The public gets no figure and no
    // commitment status computed from it (LAN reads the figures as the caller may), only the reason.
    expect(before.energy!.kwpCommissioned).toBe(0);
    const publicView = await province();
    expect(publicView.energy!.kwpCommissioned).toBeNull();
    for (const c of inService(publicView)) expect(c).toMatchObject({ realised: null, withheld: 'BELOW_THRESHOLD', status: null });
  });

  it('answers question 7 in one query: for each agency, commitments due in a quarter versus realised, by Task Force region', async () => {
    const q7 = loadOperations(path.join(import.meta.dirname, '../schema/operations')).find((o) => o.name === 'question-7-commitments-due-vs-realised')!;
    const { body } = await platform.query<{
      provinces: { code: string; taskForce: { region: { code: string }; commitments: (Progress & { progress: number })[] } }[];
    }>(q7.document, { quarter: 'current', on: '2026-06-15' });
    expect(body.errors).toBeUndefined();
    // The client's grouping: region → agency → due vs realised (DONE).
    const answer: Record<string, Record<string, { due: number; done: number }>> = {};
    for (const p of body.data!.provinces) {
      for (const c of p.taskForce.commitments) {
        const row = ((answer[p.taskForce.region.code] ??= {})[c.agency.code] ??= { due: 0, done: 0 });
        row.due += 1;
        if (c.status === 'DONE') row.done += 1;
        expect(c.status === 'DONE').toBe(Number(c.realised) >= Number(c.target));
        expect(c.dueDate.slice(0, 10) >= '2026-04-01' && c.dueDate.slice(0, 10) <= '2026-06-30').toBe(true);
      }
    }
    // Every commitment of the quarter is there, and nothing else (the secretariat's own list, without realisation).
    const listed = await platform.query<{ commitments: { id: string; region: { code: string }; agency: { code: string } }[] }>(
      '{ commitments(dueAfter: "2026-04-01", dueBefore: "2026-06-30") { id region { code } agency { code } } }',
    );
    const expected: Record<string, Record<string, number>> = {};
    for (const c of listed.body.data!.commitments) {
      const byAgency = (expected[c.region.code] ??= {});
      byAgency[c.agency.code] = (byAgency[c.agency.code] ?? 0) + 1;
    }
    const due = Object.fromEntries(
      Object.entries(answer).map(([region, agencies]) => [region, Object.fromEntries(Object.entries(agencies).map(([a, v]) => [a, v.due]))]),
    );
    expect(due).toEqual(expected);
    expect(Object.keys(answer)).toEqual(['IV']); // the test scope is in East Java
  });

  it("realises a commitment the secretariat records through the gateway at once, from the ministry's data; others may not record one", async () => {
    const document = `mutation ($key: String!) { createCommitment(input: { agency: "KEMENKOP", province: "35", indicator: REGISTRY_OPERATING,
      target: "1000", startDate: "2026-01-01", dueDate: "2026-12-31" }, idempotencyKey: $key) { id label } }`;
    const refused = await platform.query(
      document,
      { key: `e2e-collab-refused-${Date.now()}` },
      { authorization: await bearer({ subject: 'e2e-kemenkop-officer', role: 'officer', ministry: 'cooperatives' }) },
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const secretariat = { authorization: await bearer({ subject: 'e2e-secretariat', role: 'officer', ministry: 'collaboration' }) };
    const created = await platform.query<{ createCommitment: { id: string; label: string } }>(
      document,
      { key: `e2e-collab-create-${Date.now()}` },
      secretariat,
    );
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data!.createCommitment.label).toBe('Kemenkop: 1,000 cooperatives operating in Jawa Timur by 2026-12-31');
    const p = await province('2026-06-01'); // ~41% of the time gone; Pasuruan's operating cooperatives are far below 31% of 1,000
    const mine = p.taskForce.commitments.find((c) => c.id === created.body.data!.createCommitment.id)!;
    expect(mine).toMatchObject({ agency: { code: 'KEMENKOP' }, target: '1000', realised: String(p.registry!.operating), status: 'AT_RISK' });
  });

  it('reaches the realisation from a commitment listed without one, via its province', async () => {
    const { body } = await platform.query<{
      commitments: { id: string; province: { name: string; energy: { kwpCommissioned: number }; taskForce: { commitments: Progress[] } } }[];
    }>(
      '{ commitments(agency: "ESDM", province: "35") { id province { name energy { kwpCommissioned } taskForce { commitments(agency: "ESDM") { id realised } } } } }',
    );
    expect(body.errors).toBeUndefined();
    const list = body.data!.commitments;
    expect(list.length).toBeGreaterThan(0);
    for (const c of list) {
      expect(c.province.name).toBe('Jawa Timur');
      expect(c.province.taskForce.commitments.map((x) => x.id)).toContain(c.id);
    }
  });

  it("lists pilot sites to everyone, joined to the registry's cooperatives for signed-in callers only", async () => {
    const anonymous = await platform.query<{ pilotSites: { id: string; village: { code: string; name: string } }[] }>(
      '{ pilotSites(regionCode: "35.14") { id model village { code name } } }',
    );
    expect(anonymous.body.errors).toBeUndefined();
    expect(anonymous.body.data!.pilotSites.find((s) => s.id === 'PILOT-KDMP-35.14.09.2019')?.village).toEqual({ code: '35.14.09.2019', name: 'Wonokerto' });
    const refused = await platform.query('{ pilotSites(regionCode: "35.14") { id cooperative { name } } }');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const analyst = { authorization: await bearer({ subject: 'e2e-analyst', role: 'analyst' }) };
    const { body } = await platform.query<{ pilotSites: { id: string; cooperative: { id: string; name: string; village: { name: string } } }[] }>(
      '{ pilotSites(regionCode: "35.14") { id model categories cooperative { id name village { name } } } }',
      undefined,
      analyst,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.pilotSites.find((s) => s.id === 'PILOT-KDMP-35.14.09.2019')?.cooperative.village.name).toBe('Wonokerto');
  });

  // Last: it stops the energy subgraph.
  it('drops the realisation, not the dashboard, when an owning ministry is down', async () => {
    await platform.subgraphs.get('energy')!.stop();
    const { body } = await platform.query<{ province: { financing: { cooperativesFinanced: number }; taskForce: unknown }; commitments: { id: string }[] }>(
      '{ province(code: "35") { financing { cooperativesFinanced } taskForce { commitments { realised } } } commitments(province: "35") { id } }',
    );
    expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'energy' }) })]);
    expect(body.data!.province.taskForce).toBeNull();
    expect(body.data!.province.financing.cooperativesFinanced).toBeGreaterThan(0);
    expect(body.data!.commitments.length).toBeGreaterThan(10);
  });
});
