import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFederatedSchema, type Caller } from '@kopdes/kit';
import { loadRegions, syntheticCooperative } from '@kopdes/kit/synthetic';
import { ANALYST, PUBLIC, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { financing } from '../src/subgraph';
import { regencyWithIntercepts } from './intercepts';
import { FINANCING_SHAPE, isDisbursedStatus, syntheticFinancing } from '../src/synthetic';

const DISBURSED = `('DISBURSED', 'REPAYING', 'ARREARS', 'SETTLED')`;
const FULL_FINANCING = `financing {
  asOf source outstanding inArrears danaDesaIntercepted interceptCap interceptCapUsedShare
  preconditions { businessProposal villageHeadApproval }
  intercepts { date amount budgetYear danaDesaCeiling capAmount }
  loans { id scheme lender plafond operatingPart contractRate effectiveRate tenorMonths graceMonths status appliedOn approvedOn
    disbursedAmount outstanding arrearsAmount daysInArrears interceptedAmount cooperative { id }
    disbursements { date amount } repayments { date amount principal interest } intercepts { date amount capAmount } }
}`;

interface Financing {
  asOf: string;
  source: string;
  outstanding: string;
  inArrears: boolean;
  danaDesaIntercepted: string;
  interceptCap: string | null;
  interceptCapUsedShare: number;
  preconditions: { businessProposal: boolean; villageHeadApproval: boolean };
  intercepts: { date: string; amount: string; budgetYear: number; danaDesaCeiling: string; capAmount: string }[];
  loans: { id: string; status: string; outstanding: string; interceptedAmount: string; cooperative: { id: string }; disbursements: { amount: string }[] }[];
}

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(financing);
});
afterAll(async () => {
  await sg?.stop();
});

const sql = <R>(text: string, params?: unknown[]) => sg.server.db.sql.query<R>(text, params);

describe('financing subgraph contract', () => {
  it('publishes a Federation 2 SDL extending Cooperative, Province and Regency', async () => {
    const sdl = await printFederatedSchema(financing);
    expect(sdl).toMatch(/type Cooperative\s+@key\(fields: "id"\)\s+\{\s+id: ID!/);
    expect(sdl).toMatch(/type Province\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type Regency\s+@key\(fields: "code"\)/);
    expect(sdl).toContain('financing: CooperativeFinancing');
    expect(sdl).toContain('financing: FinancingAggregate @tag(name: "public")\n'); // nullable: null when this subgraph is down, not the province
    const { body } = await sg.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(body.data?._service.sdl).toMatch(/type Cooperative\s+@key\(fields: "id"\)/);
  });

  it('resolves the financing of 300 cooperatives through _entities with a constant number of statements', async () => {
    // Every borrower in scope first, then others, to exercise every loader.
    const ids = (
      await sql<{ id: string }>(
        `SELECT "cooperativeId" AS id FROM "FinancingProfile" ORDER BY ("cooperativeId" IN (SELECT "cooperativeId" FROM "Loan")) DESC, 1 LIMIT 300`,
      )
    ).map((r) => r.id);
    expect(ids).toHaveLength(300);
    const reps = [...ids, 'KDMP-99.99.99.9999'].map((id) => ({ __typename: 'Cooperative', id }));
    const { body, statements } = await sg.query<{ _entities: { id: string; financing: Financing }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { id ${FULL_FINANCING} } } }`,
      { r: reps },
    );
    expect(body.errors).toBeUndefined();
    const entities = body.data!._entities;
    expect(entities.map((e) => e.id)).toEqual([...ids, 'KDMP-99.99.99.9999']);
    // profile, loans, intercepts, cap use; disbursements, repayments, intercepts of loans.
    expect(statements).toBe(7);
    const withLoans = entities.filter((e) => e.financing.loans.length > 0);
    expect(withLoans.length).toBeGreaterThan(30);
    for (const { id, financing: f } of withLoans) {
      expect(f.loans.every((l) => l.cooperative.id === id)).toBe(true);
      expect(BigInt(f.outstanding)).toBe(f.loans.reduce((s, l) => s + BigInt(l.outstanding), 0n));
    }
    expect(entities.at(-1)!.financing).toMatchObject({
      loans: [],
      outstanding: '0',
      inArrears: false,
      danaDesaIntercepted: '0',
      interceptCap: null,
      interceptCapUsedShare: 0,
      preconditions: { businessProposal: false, villageHeadApproval: false },
    });
    expect(entities[0]!.financing.source).toMatch(/synthetic/);
  });
});

describe('loan query', () => {
  it('returns the LPDB pilot loan of Wonokerto (Pasuruan) with its money flows', async () => {
    const { body } = await sg.query<{ loan: Record<string, unknown> & { disbursements: { amount: string }[]; repayments: { principal: string }[] } }>(
      `{ loan(id: "LPDB-3514092019-1") { id scheme lender status plafond operatingPart tenorMonths graceMonths approvedOn disbursedAmount outstanding
          cooperative { id } disbursements { date amount } repayments { date amount principal interest } } }`,
    );
    const loan = body.data!.loan;
    expect(loan).toMatchObject({ id: 'LPDB-3514092019-1', scheme: 'LPDB', lender: 'LPDB', status: 'REPAYING', cooperative: { id: 'KDMP-35.14.09.2019' } });
    expect(BigInt(loan.plafond as string)).toBeLessThanOrEqual(3_000_000_000n);
    expect(loan.tenorMonths).toBeLessThanOrEqual(120);
    const disbursed = loan.disbursements.reduce((s, d) => s + BigInt(d.amount), 0n);
    expect(loan.disbursedAmount).toBe(String(disbursed));
    expect(BigInt(loan.outstanding as string)).toBe(disbursed - loan.repayments.reduce((s, r) => s + BigInt(r.principal), 0n));
  });

  it('returns null for an unknown id', async () => {
    expect((await sg.query('{ loan(id: "PMK49-BRI-0000000000-1") { id } }')).body).toEqual({ data: { loan: null } });
  });
});

describe('financedCooperatives query', () => {
  it('selects cooperatives with money disbursed by default, in one statement', async () => {
    const { body, statements } = await sg.query<{ financedCooperatives: { id: string }[] }>('{ financedCooperatives(regionCode: "3514") { id } }');
    const expected = await sql<{ id: string }>(
      `SELECT DISTINCT "cooperativeId" AS id FROM "Loan" WHERE "regencyCode" = '35.14' AND status IN ${DISBURSED} ORDER BY 1`,
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(body.data!.financedCooperatives).toEqual(expected);
    expect(statements).toBe(1);
  });

  it('filters by statuses, arrears and intercepts within any region prefix', async () => {
    const { body } = await sg.query<Record<'applied' | 'clean' | 'all' | 'two', { id: string }[]>>(`{
      applied: financedCooperatives(regionCode: "35.14.02", statuses: [APPLIED, APPROVED]) { id }
      clean: financedCooperatives(regionCode: "35", inArrears: false, intercepted: false) { id }
      all: financedCooperatives(regionCode: "35") { id }
      two: financedCooperatives(regionCode: "35", statuses: [APPLIED], first: 2) { id }
    }`);
    const applied = await sql<{ id: string }>(
      `SELECT DISTINCT "cooperativeId" AS id FROM "Loan" WHERE "districtCode" = '35.14.02' AND status IN ('APPLIED', 'APPROVED') ORDER BY 1`,
    );
    expect(body.data!.applied).toEqual(applied);
    const clean = await sql<{ id: string }>(`SELECT "cooperativeId" AS id FROM "Loan" WHERE "provinceCode" = '35' GROUP BY 1
      HAVING bool_or(status IN ${DISBURSED}) AND NOT bool_or(status = 'ARREARS') AND NOT bool_or("interceptedAmount" > 0) ORDER BY 1`);
    expect(body.data!.clean).toEqual(clean);
    expect(body.data!.all.length).toBeGreaterThanOrEqual(clean.length);
    expect(body.data!.two).toHaveLength(2);
  });

  it('only lends to cooperatives whose registry stage is SIMKOPDES or OPERATING', async () => {
    const stages = new Map(
      loadRegions('35.14').villages.map((v) => {
        const c = syntheticCooperative(v);
        return [c.id, c.stage];
      }),
    );
    const borrowers = await sql<{ id: string }>('SELECT DISTINCT "cooperativeId" AS id FROM "Loan"');
    expect(borrowers.length).toBeGreaterThan(20);
    for (const { id } of borrowers) expect(['SIMKOPDES', 'OPERATING']).toContain(stages.get(id));
  });

  it('rejects malformed region codes and oversized selections with BAD_USER_INPUT', async () => {
    const bad = await sg.query('{ financedCooperatives(regionCode: "35-14") { id } }');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0]?.message).toContain('"35.14.14.2001"');
    const big = await sg.query('{ financedCooperatives(regionCode: "35", first: 5001) { id } }');
    expect(big.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(big.body.errors?.[0]?.message).toContain('between 0 and 5000');
  });
});

describe('region aggregates', () => {
  it('match a direct computation from disbursements, repayments and intercepts, in one statement for both levels', async () => {
    const reps = [
      { __typename: 'Province', code: '35' },
      { __typename: 'Province', code: '11' },
      { __typename: 'Regency', code: '35.14' },
      { __typename: 'Regency', code: '35.15' },
    ];
    const { body, statements } = await sg.query<{ _entities: { financing: Record<string, unknown> }[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Province { financing { ...F } } ... on Regency { financing { ...F } } } }
       fragment F on FinancingAggregate { asOf source loans cooperativesFinanced amountDisbursed outstanding arrearsAmount cooperativesInArrears interceptedAmount preconditionsMet }`,
      { r: reps },
    );
    expect(body.errors).toBeUndefined();
    expect(statements).toBe(1); // every province, and the regencies of province 35, grouped in one statement
    const [[expected]] = [
      await sql<Record<string, unknown>>(`SELECT
      (SELECT count(*)::int FROM "Loan") AS loans,
      (SELECT count(DISTINCT l."cooperativeId")::int FROM "Loan" l JOIN "LoanDisbursement" d ON d."loanId" = l.id) AS "cooperativesFinanced",
      (SELECT sum(amount)::text FROM "LoanDisbursement") AS "amountDisbursed",
      (SELECT (sum(amount) - (SELECT sum(principal) FROM "LoanRepayment"))::text FROM "LoanDisbursement") AS outstanding,
      (SELECT sum("arrearsAmount")::text FROM "Loan") AS "arrearsAmount",
      (SELECT count(DISTINCT "cooperativeId")::int FROM "Loan" WHERE status = 'ARREARS') AS "cooperativesInArrears",
      (SELECT coalesce(sum(amount), 0)::text FROM "DanaDesaIntercept") AS "interceptedAmount",
      (SELECT count(*)::int FROM "FinancingProfile" WHERE "businessProposal" AND "villageHeadApproval") AS "preconditionsMet"`),
    ];
    const [province, aceh, pasuruan, empty] = body.data!._entities.map((e) => e.financing);
    expect(province).toEqual({
      ...expected,
      asOf: `${FINANCING_SHAPE.asOf}T00:00:00.000Z`,
      source: expect.stringMatching(/synthetic/),
    });
    expect(pasuruan).toEqual(province); // the test scope is one regency
    expect(aceh).toMatchObject({ loans: 0, amountDisbursed: '0', preconditionsMet: 0 });
    expect(empty).toEqual(aceh);
  });

  it('count every village of a regency in one statement, matching SQL village by village for analysts, suppressed for the public', async () => {
    const direct = await sql<{ code: string; cooperativesFinanced: number }>(
      `SELECT l."villageCode" AS code, count(DISTINCT l."cooperativeId") FILTER (WHERE d."loanId" IS NOT NULL)::int AS "cooperativesFinanced"
         FROM "Loan" l LEFT JOIN "LoanDisbursement" d ON d."loanId" = l.id GROUP BY 1 ORDER BY 1`,
    );
    expect(direct.filter((r) => r.cooperativesFinanced > 0).length).toBeGreaterThan(1);
    const villages = [...direct.map((r) => r.code), '35.14.99.9999']; // the last one has no loan
    const run = async (caller: Caller) => {
      const { body, statements } = await sg.query<{
        _entities: { financing: { cooperativesFinanced: number | null; suppressed: { field: string; reason: string }[] } }[];
      }>(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Village { financing { cooperativesFinanced suppressed { field reason } } } } }',
        { r: villages.map((code) => ({ __typename: 'Village', code })) },
        { caller },
      );
      expect(body.errors).toBeUndefined();
      expect(statements).toBe(1); // the regencies of the province and the villages of the regency, grouped in one statement
      return body.data!._entities.map((e) => e.financing);
    };
    const analyst = await run(ANALYST);
    expect(analyst.map((f) => f.cooperativesFinanced)).toEqual([...direct.map((r) => r.cooperativesFinanced), 0]);
    expect(analyst.every((f) => f.suppressed.length === 0)).toBe(true);
    // One cooperative per village: every village figure covers fewer than 3 cooperatives.
    for (const f of await run(PUBLIC)) {
      expect(f.cooperativesFinanced).toBeNull();
      expect(f.suppressed).toContainEqual({ field: 'cooperativesFinanced', reason: 'BELOW_THRESHOLD' });
    }
  });
});

describe('question 4: cooperatives in arrears with Dana Desa intercepted, and the share of the 30% cap used', () => {
  let other: TestSubgraph;
  let scope: string;
  beforeAll(async () => {
    scope = regencyWithIntercepts();
    other = await startTestSubgraph(financing, { scope });
  });
  afterAll(async () => {
    await other?.stop();
  });

  it('selects them and reports the intercepts, the cap and the share used', async () => {
    const { body } = await other.query<{ financedCooperatives: { id: string; financing: Financing }[] }>(
      `query ($scope: String!) { financedCooperatives(regionCode: $scope, inArrears: true, intercepted: true) { id ${FULL_FINANCING} } }`,
      { scope },
    );
    expect(body.errors).toBeUndefined();
    const hits = body.data!.financedCooperatives;
    expect(hits.length).toBeGreaterThan(0);
    const expected = await other.server.db.sql.query<{ id: string; used: string; cap: string }>(
      `SELECT l."cooperativeId" AS id, sum(i.amount)::text AS used, max(i."capAmount")::text AS cap
         FROM "Loan" l JOIN "DanaDesaIntercept" i ON i."loanId" = l.id WHERE l.status = 'ARREARS' GROUP BY 1 ORDER BY 1`,
    );
    expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id));
    for (const [n, { financing: f }] of hits.entries()) {
      const { used, cap } = expected[n]!;
      expect(f.inArrears).toBe(true);
      expect(f.danaDesaIntercepted).toBe(used);
      expect(f.interceptCap).toBe(cap);
      expect(f.interceptCapUsedShare).toBeCloseTo(Number(used) / Number(cap), 12);
      expect(f.interceptCapUsedShare).toBeGreaterThan(0);
      expect(f.interceptCapUsedShare).toBeLessThanOrEqual(1);
      for (const i of f.intercepts) {
        // The ceilings Village.danaDesa publishes (kit synthetic/villages.ts): Rp 0.6–1.6 billion.
        expect(BigInt(i.danaDesaCeiling)).toBeGreaterThanOrEqual(600_000_000n);
        expect(BigInt(i.danaDesaCeiling)).toBeLessThanOrEqual(1_600_000_000n);
        expect(BigInt(i.capAmount)).toBe((BigInt(i.danaDesaCeiling) * 3n) / 10n);
      }
      expect(f.loans.some((l) => l.status === 'ARREARS' && l.interceptedAmount !== '0')).toBe(true);
    }
    const { body: agg } = await other.query<{ _entities: { financing: { cooperativesInArrears: number; interceptedAmount: string } }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Regency { financing { cooperativesInArrears interceptedAmount } } } }',
      { r: [{ __typename: 'Regency', code: scope }] },
    );
    expect(agg.data!._entities[0]!.financing.cooperativesInArrears).toBeGreaterThanOrEqual(hits.length);
    expect(BigInt(agg.data!._entities[0]!.financing.interceptedAmount)).toBe(expected.reduce((s, e) => s + BigInt(e.used), 0n));
  });
});

describe('synthetic shape (national, generator only)', () => {
  it('follows PMK 49/2025 and the late-2025 figures in shared/domain.md', () => {
    const villages = loadRegions().villages;
    let eligible = 0;
    const himbaraBorrowers = new Set<string>();
    const loans = villages.flatMap((v) => {
      const cooperative = syntheticCooperative(v);
      if (cooperative.stage === 'SIMKOPDES' || cooperative.stage === 'OPERATING') eligible += 1;
      const f = syntheticFinancing(cooperative, v);
      if (f.loans.length > 0) expect(['SIMKOPDES', 'OPERATING']).toContain(cooperative.stage);
      for (const l of f.loans) if (l.scheme === 'HIMBARA_PMK49') himbaraBorrowers.add(l.cooperativeId);
      return f.loans;
    });
    for (const l of loans) {
      expect(l.plafond).toBeLessThanOrEqual(3_000_000_000);
      expect(l.operatingPart).toBeLessThanOrEqual(Math.min(500_000_000, l.plafond));
      expect(l.tenorMonths).toBeLessThanOrEqual(l.scheme === 'LPDB' ? 120 : 72);
      expect(l.graceMonths).toBeGreaterThanOrEqual(6);
      expect(l.graceMonths).toBeLessThanOrEqual(8);
      expect(l.disbursedAmount).toBeLessThanOrEqual(l.plafond);
      expect(isDisbursedStatus(l.status)).toBe(l.disbursements.length > 0);
      expect(l.status === 'ARREARS').toBe(l.arrearsAmount > 0);
      for (const i of l.intercepts) expect(i.amount).toBeLessThanOrEqual(i.capAmount);
    }
    const firstBatch = loans.filter((l) => l.disbursements[0]?.date === FINANCING_SHAPE.firstBatchDate);
    const firstBatchAmount = firstBatch.reduce((s, l) => s + l.disbursements[0]!.amount, 0);
    expect(firstBatch.length).toBeGreaterThan(850);
    expect(firstBatch.length).toBeLessThan(1150);
    expect(firstBatchAmount / 1e12).toBeGreaterThan(0.8);
    expect(firstBatchAmount / 1e12).toBeLessThan(1.2);
    expect(himbaraBorrowers.size / eligible).toBeGreaterThan(0.08);
    expect(himbaraBorrowers.size / eligible).toBeLessThan(0.12);
    const lpdb = loans.filter((l) => l.scheme === 'LPDB').length;
    expect(lpdb).toBeGreaterThan(70);
    expect(lpdb).toBeLessThan(140);
    const disbursed = loans.filter((l) => isDisbursedStatus(l.status)).length;
    const arrears = loans.filter((l) => l.status === 'ARREARS').length;
    expect(arrears / disbursed).toBeLessThan(0.15);
    expect(loans.filter((l) => l.intercepts.length > 0).length).toBeGreaterThan(10);
  });
});
