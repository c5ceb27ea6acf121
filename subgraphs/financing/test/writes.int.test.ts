import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegions, syntheticDanaDesaCeiling, villageKind, VILLAGES_SHAPE } from '@kopdes/kit/synthetic';
import { ANALYST, officerOf, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { financing } from '../src/subgraph';
import { regencyWithIntercepts } from './intercepts';
import { FINANCING_SHAPE } from '../src/synthetic';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(financing);
});
afterAll(async () => {
  await sg?.stop();
});

const officer = { caller: officerOf('financing') };
let keys = 0;
const key = () => `test-key-${Date.now()}-${keys++}`;

const LOAN =
  'id cooperative { id } scheme lender status plafond operatingPart contractRate effectiveRate tenorMonths graceMonths appliedOn approvedOn disbursedAmount outstanding arrearsAmount daysInArrears interceptedAmount';
const mutation = (name: string, input: string, fields = LOAN) =>
  `mutation ($input: ${input}!, $key: String!) { ${name}(input: $input, idempotencyKey: $key) { ${fields} } }`;
const APPLY = mutation('applyForLoan', 'ApplyForLoanInput');
const APPROVE = mutation('approveLoan', 'ApproveLoanInput');
const REJECT = mutation('rejectLoan', 'RejectLoanInput');
const DISBURSE = mutation('recordDisbursement', 'RecordDisbursementInput', `${LOAN} disbursements { date amount }`);
const REPAY = mutation('recordRepayment', 'RecordRepaymentInput', `${LOAN} repayments { date amount principal interest }`);
const INTERCEPT = mutation(
  'recordDanaDesaIntercept',
  'RecordDanaDesaInterceptInput',
  `${LOAN} intercepts { date amount budgetYear danaDesaCeiling capAmount }`,
);
const PRECONDITIONS = mutation('setFinancingPreconditions', 'SetFinancingPreconditionsInput', 'asOf preconditions { businessProposal villageHeadApproval }');

interface LoanView {
  id: string;
  status: string;
  plafond: string;
  disbursedAmount: string;
  outstanding: string;
  arrearsAmount: string;
  interceptedAmount: string;
  approvedOn: string | null;
  disbursements?: { date: string; amount: string }[];
  intercepts?: { date: string; amount: string; budgetYear: number; danaDesaCeiling: string; capAmount: string }[];
}
type Result = Awaited<ReturnType<TestSubgraph['query']>>;

const himbara = (cooperativeId: string, change: Record<string, unknown> = {}) => ({
  cooperativeId,
  scheme: 'HIMBARA_PMK49',
  lender: 'BRI',
  plafond: '3000000000',
  operatingPart: '500000000',
  contractRate: 6,
  effectiveRate: 2,
  tenorMonths: 72,
  graceMonths: 6,
  appliedOn: '2025-11-03',
  ...change,
});
const lpdb = (cooperativeId: string, change: Record<string, unknown> = {}) => ({
  ...himbara(cooperativeId),
  scheme: 'LPDB',
  lender: 'LPDB',
  contractRate: 3,
  effectiveRate: 3,
  tenorMonths: 120,
  graceMonths: 0,
  ...change,
});

/** Everything a write could touch, as one digest per table: equal digests mean nothing was written. */
async function snapshot(on: TestSubgraph = sg): Promise<Record<string, string>> {
  const tables = ['Loan', 'LoanDisbursement', 'LoanRepayment', 'DanaDesaIntercept', 'FinancingProfile', '_kopdes_audit', '_kopdes_idempotency'];
  const [row] = await on.server.db.sql.query<Record<string, string>>(
    `SELECT ${tables.map((t) => `(SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM "${t}" x) AS "${t}"`).join(', ')}`,
  );
  return row!;
}

function expectRule(result: Result, rule: string): void {
  expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
  expect(result.body.data ?? null).toBeNull();
}

async function one<R>(text: string, params: unknown[] = [], on: TestSubgraph = sg): Promise<R> {
  const [row] = await on.server.db.sql.query<R>(text, params);
  if (!row) throw new Error(`No fixture for: ${text} ${JSON.stringify(params)}`);
  return row;
}

/** A desa cooperative the bank knows, without any loan, both preconditions on file; a different one each call. */
let fresh = 0;
async function freshCooperative(): Promise<{ id: string; villageCode: string }> {
  return one(
    `SELECT "cooperativeId" AS id, "villageCode" FROM "FinancingProfile" p
     WHERE "businessProposal" AND "villageHeadApproval" AND split_part("villageCode", '.', 4) NOT LIKE '1%'
       AND NOT EXISTS (SELECT 1 FROM "Loan" l WHERE l."cooperativeId" = p."cooperativeId") ORDER BY 1 OFFSET $1 LIMIT 1`,
    [fresh++],
  );
}

const taken = new Set<string>();

/**
 * A seeded desa loan in a status, as the seed left it. `take` reserves it for a test that changes
 * it; `where` narrows the pick (SQL over the loan `l` and its cooperative's profile `p`).
 */
async function loanIn(status: string, { take = false, where = 'true' }: { take?: boolean; where?: string } = {}) {
  const loan = await one<{ id: string; cooperativeId: string; villageCode: string; arrearsAmount: string }>(
    `SELECT l.id, l."cooperativeId", l."villageCode", l."arrearsAmount"::text FROM "Loan" l JOIN "FinancingProfile" p USING ("cooperativeId")
      WHERE l.status = $1 AND l."updatedAt" = $2 AND split_part(l."villageCode", '.', 4) NOT LIKE '1%' AND NOT (l.id = ANY($3)) AND ${where}
      ORDER BY l.id LIMIT 1`,
    [status, `${FINANCING_SHAPE.asOf}T00:00:00Z`, [...taken]],
  );
  if (take) taken.add(loan.id);
  return loan;
}

async function auditOf(entityId: string) {
  return sg.server.db.sql.query<{ actor: string; ministry: string; operation: string; before: Record<string, unknown> | null; after: Record<string, unknown> }>(
    'SELECT actor, ministry, operation, before, after FROM "_kopdes_audit" WHERE entity_id = $1 ORDER BY id',
    [entityId],
  );
}

describe('applyForLoan', () => {
  it('records a Himbara application, audited, applied once under retry', async () => {
    const cooperative = await freshCooperative();
    const input = himbara(cooperative.id);
    const k = key();
    const first = await sg.query<{ applyForLoan: LoanView }>(APPLY, { input, key: k }, officer);
    expect(first.body.errors).toBeUndefined();
    const id = `PMK49-BRI-${cooperative.villageCode.replace(/\./g, '')}-1`;
    expect(first.body.data!.applyForLoan).toEqual({
      id,
      cooperative: { id: cooperative.id },
      scheme: 'HIMBARA_PMK49',
      lender: 'BRI',
      status: 'APPLIED',
      plafond: '3000000000',
      operatingPart: '500000000',
      contractRate: 6,
      effectiveRate: 2,
      tenorMonths: 72,
      graceMonths: 6,
      appliedOn: '2025-11-03T00:00:00.000Z',
      approvedOn: null,
      disbursedAmount: '0',
      outstanding: '0',
      arrearsAmount: '0',
      daysInArrears: 0,
      interceptedAmount: '0',
    });
    const retry = await sg.query(APPLY, { input, key: k }, officer);
    expect(retry.body).toEqual(first.body);
    expect(await one<{ n: number }>('SELECT count(*)::int AS n FROM "Loan" WHERE "cooperativeId" = $1', [cooperative.id])).toEqual({ n: 1 });
    const audit = await auditOf(id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'test-officer-financing',
      ministry: 'financing',
      operation: 'applyForLoan',
      before: null,
      after: { status: 'APPLIED', plafond: '3000000000' },
    });
  });

  it('takes an LPDB application over up to 120 months next to an open Himbara one', async () => {
    const { cooperativeId } = await loanIn('APPLIED', { take: true, where: `l.scheme = 'HIMBARA_PMK49'` });
    const { body } = await sg.query<{ applyForLoan: LoanView }>(APPLY, { input: lpdb(cooperativeId), key: key() }, officer);
    expect(body.errors).toBeUndefined();
    expect(body.data!.applyForLoan).toMatchObject({
      scheme: 'LPDB',
      lender: 'LPDB',
      status: 'APPLIED',
      tenorMonths: 120,
      id: expect.stringMatching(/^LPDB-\d{10}-\d+$/),
    });
  });

  it('refuses a key reused for a different request', async () => {
    const k = key();
    const cooperative = await freshCooperative();
    expect((await sg.query(APPLY, { input: himbara(cooperative.id), key: k }, officer)).body.errors).toBeUndefined();
    const before = await snapshot();
    const reuse = await sg.query(APPLY, { input: himbara(cooperative.id, { plafond: '2000000000' }), key: k }, officer);
    expect(reuse.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/already used for a different request/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['lender_matches_scheme', { lender: 'LPDB' }],
    ['lender_matches_scheme', { scheme: 'LPDB', lender: 'BNI', contractRate: 3, effectiveRate: 3, graceMonths: 0 }],
    ['plafond_max', { plafond: '3000000001' }],
    ['amount_positive', { plafond: '0' }],
    ['amount_not_negative', { operatingPart: '-1' }],
    ['operating_part_max', { operatingPart: '500000001' }],
    ['operating_part_within_plafond', { plafond: '400000000', operatingPart: '450000000' }],
    ['tenor_positive', { tenorMonths: 0 }],
    ['tenor_max', { tenorMonths: 73 }],
    ['tenor_max', { scheme: 'LPDB', lender: 'LPDB', contractRate: 3, effectiveRate: 3, tenorMonths: 121, graceMonths: 0 }],
    ['grace_period', { graceMonths: 5 }],
    ['grace_period', { graceMonths: 9 }],
    ['grace_within_tenor', { tenorMonths: 6 }],
    ['grace_within_tenor', { scheme: 'LPDB', lender: 'LPDB', contractRate: 3, effectiveRate: 3, tenorMonths: 60, graceMonths: 60 }],
    ['rate_range', { effectiveRate: -1 }],
    ['rate_range', { scheme: 'LPDB', lender: 'LPDB', contractRate: 101, effectiveRate: 3, graceMonths: 0 }],
    ['himbara_contract_rate', { contractRate: 7 }],
    ['effective_rate_within_contract', { effectiveRate: 6.5 }],
    ['appliedOn_format', { appliedOn: '3 Nov 2025' }],
    ['appliedOn_format', { appliedOn: '2025-02-30' }],
    ['date_not_in_future', { appliedOn: '2099-01-01' }],
    ['unknown_cooperative', { cooperativeId: 'KDMP-99.99.99.9999' }],
  ])('refuses an application breaking %s and writes nothing', async (rule, change) => {
    const cooperative = await freshCooperative();
    const before = await snapshot();
    expectRule(await sg.query(APPLY, { input: himbara(cooperative.id, change), key: key() }, officer), rule);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a second open Himbara loan (one_open_himbara_loan) and a fraction of a rupiah', async () => {
    const { cooperativeId } = await loanIn('REPAYING', { where: `l.scheme = 'HIMBARA_PMK49'` });
    const before = await snapshot();
    expectRule(await sg.query(APPLY, { input: himbara(cooperativeId, { lender: 'BNI' }), key: key() }, officer), 'one_open_himbara_loan');
    const fraction = await sg.query(APPLY, { input: himbara((await freshCooperative()).id, { plafond: '1500000000.5' }), key: key() }, officer);
    expect(fraction.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(fraction.body.errors?.[0]?.message).toMatch(/whole number of rupiah/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('approveLoan and rejectLoan', () => {
  it('approves an application (APPLIED → APPROVED) and audits before and after', async () => {
    const loan = await loanIn('APPLIED', { take: true, where: 'p."businessProposal" AND p."villageHeadApproval"' });
    const { body } = await sg.query<{ approveLoan: LoanView }>(APPROVE, { input: { loanId: loan.id, approvedOn: '2025-11-25' }, key: key() }, officer);
    expect(body.errors).toBeUndefined();
    expect(body.data!.approveLoan).toMatchObject({ id: loan.id, status: 'APPROVED', approvedOn: '2025-11-25T00:00:00.000Z' });
    const [audit] = await auditOf(loan.id);
    expect(audit).toMatchObject({
      operation: 'approveLoan',
      before: { status: 'APPLIED', approvedOn: null },
      after: { status: 'APPROVED', approvedOn: '2025-11-25T00:00:00.000Z' },
    });
  });

  it.each([
    ['status_transition', 'REPAYING', '2025-11-25'],
    ['approvedOn_format', 'APPLIED', '25-11-2025'],
    ['date_not_in_future', 'APPLIED', '2099-01-01'],
    ['dates_in_order', 'APPLIED', '2025-01-01'],
  ])('refuses an approval breaking %s and writes nothing', async (rule, status, approvedOn) => {
    const loan = await loanIn(status);
    const before = await snapshot();
    expectRule(await sg.query(APPROVE, { input: { loanId: loan.id, approvedOn }, key: key() }, officer), rule);
    expect(await snapshot()).toEqual(before);
  });

  it("approves only with the business proposal and the village head's approval on file (preconditions_met)", async () => {
    const loan = await loanIn('APPLIED', {
      take: true,
      where: `NOT EXISTS (SELECT 1 FROM "Loan" o WHERE o."cooperativeId" = l."cooperativeId" AND o.id <> l.id)`,
    });
    const withdrawn = await sg.query(PRECONDITIONS, { input: { cooperativeId: loan.cooperativeId, villageHeadApproval: false }, key: key() }, officer);
    expect(withdrawn.body.errors).toBeUndefined();
    const before = await snapshot();
    const refused = await sg.query(APPROVE, { input: { loanId: loan.id, approvedOn: '2025-11-25' }, key: key() }, officer);
    expectRule(refused, 'preconditions_met');
    expect(refused.body.errors?.[0]?.message).toMatch(/village head/);
    expect(await snapshot()).toEqual(before);
    await sg.query(PRECONDITIONS, { input: { cooperativeId: loan.cooperativeId, villageHeadApproval: true }, key: key() }, officer);
    expect((await sg.query(APPROVE, { input: { loanId: loan.id, approvedOn: '2025-11-25' }, key: key() }, officer)).body.errors).toBeUndefined();
  });

  it('rejects an application with the reason in the audit trail, once', async () => {
    const loan = await loanIn('APPLIED', { take: true });
    const { body } = await sg.query<{ rejectLoan: LoanView }>(
      REJECT,
      { input: { loanId: loan.id, reason: 'Business proposal not viable' }, key: key() },
      officer,
    );
    expect(body.data!.rejectLoan).toMatchObject({ id: loan.id, status: 'REJECTED' });
    expect((await auditOf(loan.id)).at(-1)).toMatchObject({
      before: { status: 'APPLIED' },
      after: { status: 'REJECTED', reason: 'Business proposal not viable' },
    });
    const before = await snapshot();
    expectRule(await sg.query(REJECT, { input: { loanId: loan.id }, key: key() }, officer), 'status_transition');
    expect(await snapshot()).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown loan', async () => {
    const { body } = await sg.query(APPROVE, { input: { loanId: 'PMK49-BRI-0000000000-1', approvedOn: '2025-11-25' }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('recordDisbursement and recordRepayment', () => {
  it('moves a new loan through its life: apply, approve, disburse in tranches, repay to SETTLED; then a new Himbara loan may follow', async () => {
    const cooperative = await freshCooperative();
    const apply = await sg.query<{ applyForLoan: LoanView }>(
      APPLY,
      { input: himbara(cooperative.id, { plafond: '1000000000', operatingPart: '100000000', appliedOn: '2025-08-01' }), key: key() },
      officer,
    );
    const id = apply.body.data!.applyForLoan.id;
    await sg.query(APPROVE, { input: { loanId: id, approvedOn: '2025-08-20' }, key: key() }, officer);

    const k = key();
    const first = await sg.query<{ recordDisbursement: LoanView }>(
      DISBURSE,
      { input: { loanId: id, date: '2025-09-15', amount: '600000000' }, key: k },
      officer,
    );
    expect(first.body.data!.recordDisbursement).toMatchObject({
      status: 'DISBURSED',
      disbursedAmount: '600000000',
      outstanding: '600000000',
      disbursements: [{ amount: '600000000' }],
    });
    expect((await sg.query(DISBURSE, { input: { loanId: id, date: '2025-09-15', amount: '600000000' }, key: k }, officer)).body).toEqual(first.body);

    const before = await snapshot();
    expectRule(await sg.query(DISBURSE, { input: { loanId: id, date: '2025-10-15', amount: '400000001' }, key: key() }, officer), 'disbursed_within_plafond');
    expect(await snapshot()).toEqual(before);
    const second = await sg.query<{ recordDisbursement: LoanView }>(
      DISBURSE,
      { input: { loanId: id, date: '2025-10-15', amount: '400000000' }, key: key() },
      officer,
    );
    expect(second.body.data!.recordDisbursement).toMatchObject({ status: 'DISBURSED', disbursedAmount: '1000000000', outstanding: '1000000000' });

    const repaid = await sg.query<{ recordRepayment: LoanView }>(
      REPAY,
      { input: { loanId: id, date: '2025-10-15', amount: '1000000', principal: '0', interest: '1000000' }, key: key() },
      officer,
    );
    expect(repaid.body.data!.recordRepayment).toMatchObject({ status: 'REPAYING', outstanding: '1000000000' });
    const settled = await sg.query<{ recordRepayment: LoanView }>(
      REPAY,
      { input: { loanId: id, date: '2025-11-15', amount: '1001000000', principal: '1000000000', interest: '1000000' }, key: key() },
      officer,
    );
    expect(settled.body.data!.recordRepayment).toMatchObject({ status: 'SETTLED', outstanding: '0', disbursedAmount: '1000000000' });
    expect((await auditOf(id)).map((a) => a.operation)).toEqual([
      'applyForLoan',
      'approveLoan',
      'recordDisbursement',
      'recordDisbursement',
      'recordRepayment',
      'recordRepayment',
    ]);
    expect((await auditOf(id)).at(-1)).toMatchObject({
      before: { status: 'REPAYING', outstanding: '1000000000' },
      after: { status: 'SETTLED', outstanding: '0', repayment: { principal: '1000000000' } },
    });

    const closed = await snapshot();
    expectRule(await sg.query(DISBURSE, { input: { loanId: id, date: '2025-11-20', amount: '1' }, key: key() }, officer), 'status_transition');
    expectRule(
      await sg.query(REPAY, { input: { loanId: id, date: '2025-11-20', amount: '1', principal: '0', interest: '1' }, key: key() }, officer),
      'status_transition',
    );
    expect(await snapshot()).toEqual(closed);
    const again = await sg.query<{ applyForLoan: LoanView }>(APPLY, { input: himbara(cooperative.id, { lender: 'BNI' }), key: key() }, officer);
    expect(again.body.data!.applyForLoan).toMatchObject({ status: 'APPLIED', id: `PMK49-BNI-${cooperative.villageCode.replace(/\./g, '')}-2` });
  });

  it.each([
    ['status_transition', 'APPLIED', {}],
    ['status_transition', 'REJECTED', {}],
    ['amount_positive', 'APPROVED', { amount: '0' }],
    ['date_format', 'APPROVED', { date: '2025/11/26' }],
    ['date_not_in_future', 'APPROVED', { date: '2099-01-01' }],
    ['dates_in_order', 'APPROVED', { date: '2025-01-01' }],
  ])('refuses a disbursement breaking %s and writes nothing', async (rule, status, change) => {
    const loan = await loanIn(status);
    const before = await snapshot();
    expectRule(await sg.query(DISBURSE, { input: { loanId: loan.id, date: '2025-11-26', amount: '100000000', ...change }, key: key() }, officer), rule);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['status_transition', 'APPROVED', {}],
    ['amount_positive', 'REPAYING', { amount: '0', principal: '0', interest: '0' }],
    ['amount_not_negative', 'REPAYING', { amount: '1000', principal: '1001', interest: '-1' }],
    ['repayment_parts', 'REPAYING', { amount: '1000', principal: '600', interest: '300' }],
    ['date_not_in_future', 'REPAYING', { date: '2099-01-01' }],
    ['dates_in_order', 'REPAYING', { date: '2025-01-01' }],
    ['repayment_within_outstanding', 'REPAYING', { amount: '3000000001', principal: '3000000000', interest: '1' }],
  ])('refuses a repayment breaking %s and writes nothing', async (rule, status, change) => {
    const loan = await loanIn(status);
    const before = await snapshot();
    expectRule(
      await sg.query(
        REPAY,
        { input: { loanId: loan.id, date: '2025-11-26', amount: '1000', principal: '1000', interest: '0', ...change }, key: key() },
        officer,
      ),
      rule,
    );
    expect(await snapshot()).toEqual(before);
  });
});

describe('setFinancingPreconditions', () => {
  it('records the preconditions on file, audited, once under retry', async () => {
    const { id } = await one<{ id: string }>(`SELECT "cooperativeId" AS id FROM "FinancingProfile" WHERE NOT "businessProposal" ORDER BY 1 LIMIT 1`);
    const k = key();
    const input = { cooperativeId: id, businessProposal: true };
    const first = await sg.query<{ setFinancingPreconditions: { preconditions: { businessProposal: boolean } } }>(PRECONDITIONS, { input, key: k }, officer);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.setFinancingPreconditions.preconditions.businessProposal).toBe(true);
    expect((await sg.query(PRECONDITIONS, { input, key: k }, officer)).body).toEqual(first.body);
    const audit = await auditOf(id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ operation: 'setFinancingPreconditions', before: { businessProposal: false }, after: { businessProposal: true } });
  });

  it.each([
    ['unknown_cooperative', async () => ({ cooperativeId: 'KDMP-99.99.99.9999', businessProposal: true })],
    ['preconditions_required', async () => ({ cooperativeId: (await freshCooperative()).id })],
    ['preconditions_of_open_loan', async () => ({ cooperativeId: (await loanIn('REPAYING')).cooperativeId, businessProposal: false })],
  ])('refuses a change breaking %s and writes nothing', async (rule, input) => {
    const variables = { input: await input(), key: key() };
    const before = await snapshot();
    expectRule(await sg.query(PRECONDITIONS, variables, officer), rule);
    expect(await snapshot()).toEqual(before);
  });
});

describe('Dana Desa: financing takes the 30% cap from the ceiling Village.danaDesa publishes', () => {
  let other: TestSubgraph;
  let scope: string;
  beforeAll(async () => {
    scope = regencyWithIntercepts();
    other = await startTestSubgraph(financing, { scope });
  });
  afterAll(async () => {
    await other?.stop();
  });

  /** A desa loan in arrears whose village already had Dana Desa intercepted in 2025, as it is now, with the village's 2025 use of its cap. */
  const arrearsLoan = () =>
    one<{ id: string; cooperativeId: string; villageCode: string; arrearsAmount: string; used: string }>(
      `SELECT l.id, l."cooperativeId", l."villageCode", l."arrearsAmount"::text,
            (SELECT coalesce(sum(amount), 0) FROM "DanaDesaIntercept" i WHERE i."villageCode" = l."villageCode" AND i."budgetYear" = 2025)::text AS used
       FROM "Loan" l WHERE status = 'ARREARS' AND "interceptedAmount" > 0 ORDER BY id LIMIT 1`,
      [],
      other,
    );
  /** Any other desa loan in scope, not in arrears. */
  const loanNotInArrears = () =>
    one<{ id: string; cooperativeId: string }>(
      `SELECT id, "cooperativeId" FROM "Loan" l WHERE status <> 'ARREARS' AND split_part("villageCode", '.', 4) NOT LIKE '1%'
        AND NOT EXISTS (SELECT 1 FROM "Loan" o WHERE o."cooperativeId" = l."cooperativeId" AND o.status = 'ARREARS') ORDER BY id LIMIT 1`,
      [],
      other,
    );
  const ceilingOf = (villageCode: string, year: number) => syntheticDanaDesaCeiling(loadRegions(villageCode).villages[0]!, year)!;

  it('holds, for every desa in scope and year, the ceiling the kit generates for Village.danaDesa; none for a kelurahan', async () => {
    const byVillageYear = (a: { villageCode: string; budgetYear: number }, b: { villageCode: string; budgetYear: number }) =>
      a.villageCode.localeCompare(b.villageCode) || a.budgetYear - b.budgetYear;
    for (const [on, region] of [
      [sg, '35.14'],
      [other, scope],
    ] as const) {
      const rows = await on.server.db.sql.query<{ villageCode: string; budgetYear: number; ceiling: string }>(
        'SELECT "villageCode", "budgetYear", ceiling::text FROM "DanaDesaCeiling"',
      );
      const expected = loadRegions(region).villages.flatMap((v) =>
        VILLAGES_SHAPE.years.flatMap((year) => {
          const ceiling = syntheticDanaDesaCeiling(v, year);
          return ceiling === null ? [] : [{ villageCode: v.code, budgetYear: year, ceiling: String(ceiling) }];
        }),
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(rows.sort(byVillageYear)).toEqual(expected.sort(byVillageYear));
      expect(rows.some((r) => villageKind(r.villageCode) === 'KELURAHAN')).toBe(false);
    }
    const seeded = await other.server.db.sql.query<{ villageCode: string; budgetYear: number; danaDesaCeiling: string; capAmount: string }>(
      'SELECT "villageCode", "budgetYear", "danaDesaCeiling"::text, "capAmount"::text FROM "DanaDesaIntercept"',
    );
    expect(seeded.length).toBeGreaterThan(0);
    for (const i of seeded) {
      const ceiling = ceilingOf(i.villageCode, i.budgetYear);
      expect(i.danaDesaCeiling).toBe(String(ceiling));
      expect(i.capAmount).toBe(String((ceiling * 30n) / 100n));
    }
  });

  it("records an intercept for a cooperative's loan in arrears, with the cap at 30% of the kit's ceiling, once under retry", async () => {
    const loan = await arrearsLoan();
    const ceiling = ceilingOf(loan.villageCode, 2025);
    const k = key();
    const input = { cooperativeId: loan.cooperativeId, date: '2025-11-27', amount: '1000' };
    const first = await other.query<{ recordDanaDesaIntercept: LoanView }>(INTERCEPT, { input, key: k }, officer);
    expect(first.body.errors).toBeUndefined();
    const recorded = first.body.data!.recordDanaDesaIntercept;
    expect(recorded).toMatchObject({ id: loan.id, status: 'ARREARS', arrearsAmount: String(BigInt(loan.arrearsAmount) - 1000n) });
    expect(recorded.intercepts!.at(-1)).toEqual({
      date: '2025-11-27T00:00:00.000Z',
      amount: '1000',
      budgetYear: 2025,
      danaDesaCeiling: String(ceiling),
      capAmount: String((ceiling * 3n) / 10n),
    });
    expect((await other.query(INTERCEPT, { input, key: k }, officer)).body).toEqual(first.body);
    const audit = await other.server.db.sql.query<{
      before: { interceptedAmount: string };
      after: { interceptedAmount: string; intercept: { capAmount: string } };
    }>('SELECT before, after FROM "_kopdes_audit" WHERE entity_id = $1', [loan.id]);
    expect(audit).toHaveLength(1);
    expect(BigInt(audit[0]!.after.interceptedAmount) - BigInt(audit[0]!.before.interceptedAmount)).toBe(1000n);
    expect(audit[0]!.after.intercept.capAmount).toBe(String((ceiling * 3n) / 10n));
  });

  it.each([
    ['loan_or_cooperative', async () => ({ date: '2025-11-27', amount: '1000' })],
    [
      'loan_or_cooperative',
      async () => ({ loanId: (await arrearsLoan()).id, cooperativeId: (await loanNotInArrears()).cooperativeId, date: '2025-11-27', amount: '1000' }),
    ],
    ['unknown_cooperative', async () => ({ cooperativeId: 'KDMP-99.99.99.9999', date: '2025-11-27', amount: '1000' })],
    ['intercept_needs_arrears', async () => ({ loanId: (await loanNotInArrears()).id, date: '2025-11-27', amount: '1000' })],
    ['intercept_needs_arrears', async () => ({ cooperativeId: (await loanNotInArrears()).cooperativeId, date: '2025-11-27', amount: '1000' })],
    ['amount_positive', async () => ({ loanId: (await arrearsLoan()).id, date: '2025-11-27', amount: '0' })],
    ['date_not_in_future', async () => ({ loanId: (await arrearsLoan()).id, date: '2099-01-01', amount: '1000' })],
    ['dates_in_order', async () => ({ loanId: (await arrearsLoan()).id, date: '2025-01-02', amount: '1000' })],
    [
      'intercept_within_arrears',
      async () => {
        const loan = await arrearsLoan();
        return { loanId: loan.id, date: '2025-11-27', amount: String(BigInt(loan.arrearsAmount) + 1n) };
      },
    ],
  ])('refuses an intercept breaking %s and writes nothing', async (rule, input) => {
    const variables = { input: await input(), key: key() };
    const before = await snapshot(other);
    expectRule(await other.query(INTERCEPT, variables, officer), rule);
    expect(await snapshot(other)).toEqual(before);
  });

  it('refuses an intercept for a KKMP: a kelurahan has no Dana Desa (intercept_not_for_kkmp)', async () => {
    const kkmp = await one<{ id: string; cooperativeId: string }>(
      `SELECT id, "cooperativeId" FROM "Loan" WHERE split_part("villageCode", '.', 4) LIKE '1%' ORDER BY id LIMIT 1`,
    );
    const before = await snapshot();
    expectRule(await sg.query(INTERCEPT, { input: { loanId: kkmp.id, date: '2025-11-27', amount: '1000' }, key: key() }, officer), 'intercept_not_for_kkmp');
    expectRule(
      await sg.query(INTERCEPT, { input: { cooperativeId: kkmp.cooperativeId, date: '2025-11-27', amount: '1000' }, key: key() }, officer),
      'intercept_not_for_kkmp',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('lets a village use its cap to the last rupiah, and not one more (intercept_cap)', async () => {
    const loan = await arrearsLoan();
    const cap = (ceilingOf(loan.villageCode, 2025) * 30n) / 100n;
    const remaining = cap - BigInt(loan.used);
    expect(remaining).toBeGreaterThan(0n);
    // Arrears come from the bank's instalment schedule, not from a mutation: raise them here so the cap, not the arrears, is the limit.
    await other.server.db.sql.query('UPDATE "Loan" SET "arrearsAmount" = $2 WHERE id = $1', [loan.id, String(cap * 2n)]);
    const before = await snapshot(other);
    const over = await other.query(INTERCEPT, { input: { loanId: loan.id, date: '2025-11-27', amount: String(remaining + 1n) }, key: key() }, officer);
    expectRule(over, 'intercept_cap');
    expect(over.body.errors?.[0]?.message).toContain(`Rp ${cap.toLocaleString('en-US')}`);
    expect(await snapshot(other)).toEqual(before);
    const exact = await other.query<{ recordDanaDesaIntercept: LoanView }>(
      INTERCEPT,
      { input: { loanId: loan.id, date: '2025-11-27', amount: String(remaining) }, key: key() },
      officer,
    );
    expect(exact.body.errors).toBeUndefined();
    expect(
      await one<{ used: string }>(
        `SELECT sum(amount)::text AS used FROM "DanaDesaIntercept" WHERE "villageCode" = $1 AND "budgetYear" = 2025`,
        [loan.villageCode],
        other,
      ),
    ).toEqual({ used: String(cap) });
    expectRule(await other.query(INTERCEPT, { input: { loanId: loan.id, date: '2025-11-27', amount: '1' }, key: key() }, officer), 'intercept_cap');
  });

  it.skipIf(Date.now() < Date.parse('2026-01-06'))(
    'refuses an intercept in a budget year without a published ceiling (dana_desa_ceiling_unknown)',
    async () => {
      const loan = await arrearsLoan();
      const before = await snapshot(other);
      const { body } = await other.query(INTERCEPT, { input: { loanId: loan.id, date: '2026-01-05', amount: '1000' }, key: key() }, officer);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'dana_desa_ceiling_unknown' });
      expect(body.errors?.[0]?.message).toContain('2024, 2025');
      expect(await snapshot(other)).toEqual(before);
    },
  );
});

describe('access', () => {
  it('lets only financing officers and admins write', async () => {
    const cooperative = await freshCooperative();
    const loan = await loanIn('REPAYING');
    const writes: [string, Record<string, unknown>][] = [
      [APPLY, himbara(cooperative.id)],
      [APPROVE, { loanId: loan.id, approvedOn: '2025-11-25' }],
      [REJECT, { loanId: loan.id }],
      [DISBURSE, { loanId: loan.id, date: '2025-11-26', amount: '1000' }],
      [REPAY, { loanId: loan.id, date: '2025-11-26', amount: '1000', principal: '1000', interest: '0' }],
      [INTERCEPT, { loanId: loan.id, date: '2025-11-26', amount: '1000' }],
      [PRECONDITIONS, { cooperativeId: cooperative.id, businessProposal: true }],
    ];
    const before = await snapshot();
    for (const caller of [ANALYST, officerOf('cooperatives'), officerOf('villages')]) {
      for (const [document, input] of writes) {
        const { body } = await sg.query(document, { input, key: key() }, { caller });
        expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(body.data ?? null).toBeNull();
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});
