import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, officerOf, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { labour } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(labour);
});
afterAll(async () => {
  await sg?.stop();
});

const officer = { caller: officerOf('labour') };
let keys = 0;
const key = () => `test-key-${Date.now()}-${keys++}`;
const sql = <R = Record<string, unknown>>(text: string, params?: unknown[]) => sg.server.db.sql.query<R>(text, params);
/** A date `n` days ago: hires inside the 12-month window whenever the test runs. */
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const LABOUR =
  'id labour { employees hires trainedBoardMembers certifiedStaff meetsTarget trainings { role programme provider trainedOn certified } hireRecords { hiredOn count } }';
const HIRES = `mutation ($input: RecordHiresInput!, $key: String!) { recordHires(input: $input, idempotencyKey: $key) { ${LABOUR} } }`;
const TRAINING = `mutation ($input: RecordTrainingInput!, $key: String!) { recordTraining(input: $input, idempotencyKey: $key) { ${LABOUR} } }`;
const WORKFORCE = `mutation ($input: SetWorkforceInput!, $key: String!) { setWorkforce(input: $input, idempotencyKey: $key) { ${LABOUR} } }`;

interface Labour {
  employees: number;
  hires: number;
  trainedBoardMembers: number;
  certifiedStaff: number;
  meetsTarget: boolean;
  trainings: { role: string; programme: string }[];
  hireRecords: { hiredOn: string; count: number }[];
}
type Result<K extends string> = Record<K, { id: string; labour: Labour }>;

async function auditCount(entityId: string): Promise<number> {
  const [row] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "_kopdes_audit" WHERE entity_id = $1', [entityId]);
  return row!.n;
}

/** Rows in every table a write could touch: equal before and after means nothing was written. */
async function footprint() {
  return sql(`SELECT (SELECT count(*) FROM "Hire")::int AS hires, (SELECT count(*) FROM "Training")::int AS trainings,
    (SELECT md5(string_agg(w::text, ',' ORDER BY "cooperativeId")) FROM "Workforce" w) AS workforce,
    (SELECT count(*) FROM "_kopdes_audit")::int AS audit, (SELECT count(*) FROM "_kopdes_idempotency")::int AS keys`);
}

/** A cooperative with no employees yet (skipping `offset`), each test taking its own. */
async function cooperative(offset: number): Promise<string> {
  const [row] = await sql<{ id: string }>(
    'SELECT "cooperativeId" AS id FROM "Workforce" WHERE employees = 0 AND "trainedBoardMembers" = 0 ORDER BY 1 OFFSET $1 LIMIT 1',
    [offset],
  );
  return row!.id;
}

describe('hiring writes', () => {
  it('records hires, adding them to employees, audited, applied once under retry', async () => {
    const cooperativeId = await cooperative(0);
    const input = { cooperativeId, hiredOn: daysAgo(10), count: 21 };
    const k = key();
    const first = await sg.query<Result<'recordHires'>>(HIRES, { input, key: k }, officer);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.recordHires).toMatchObject({
      id: cooperativeId,
      labour: { employees: 21, hires: 21, meetsTarget: true, hireRecords: [{ hiredOn: `${input.hiredOn}T00:00:00.000Z`, count: 21 }] },
    });
    const retry = await sg.query(HIRES, { input, key: k }, officer);
    expect(retry.body).toEqual(first.body);
    const [count] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "Hire" WHERE "cooperativeId" = $1', [cooperativeId]);
    expect(count!.n).toBe(1);
    expect(await auditCount(cooperativeId)).toBe(1);
    const [audit] = await sql<{ actor: string; ministry: string; operation: string; entity: string; before: unknown; after: unknown }>(
      'SELECT actor, ministry, operation, entity, before, after FROM "_kopdes_audit" WHERE entity_id = $1',
      [cooperativeId],
    );
    expect(audit).toMatchObject({
      actor: 'test-officer-labour',
      ministry: 'labour',
      operation: 'recordHires',
      entity: 'Workforce',
      before: { employees: 0 },
      after: { employees: 21, hire: { hiredOn: `${input.hiredOn}T00:00:00.000Z`, count: 21 } },
    });
  });

  it('refuses a key reused for a different request', async () => {
    const cooperativeId = await cooperative(1);
    const k = key();
    await sg.query(HIRES, { input: { cooperativeId, hiredOn: daysAgo(3), count: 2 }, key: k }, officer);
    const reuse = await sg.query(HIRES, { input: { cooperativeId, hiredOn: daysAgo(3), count: 3 }, key: k }, officer);
    expect(reuse.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(reuse.body.errors?.[0]?.message).toMatch(/already used for a different request/);
    const [row] = await sql<{ employees: number }>('SELECT employees FROM "Workforce" WHERE "cooperativeId" = $1', [cooperativeId]);
    expect(row!.employees).toBe(2);
  });

  it.each([
    ['unknown_cooperative', { cooperativeId: 'KDMP-11.01.01.2001' }],
    ['hiredOn_format', { hiredOn: '2025-09-31' }],
    ['date_not_in_future', { hiredOn: '2099-01-01' }],
    ['hire_count_range', { count: 0 }],
    ['hire_count_range', { count: 501 }],
    ['employees_range', { count: 5, employees: 998 }],
  ])('refuses hires breaking %s and writes nothing', async (rule, { employees, ...change }: Record<string, unknown>) => {
    const cooperativeId = await cooperative(2);
    if (employees !== undefined) {
      const set = await sg.query(WORKFORCE, { input: { cooperativeId, employees }, key: key() });
      expect(set.body.errors).toBeUndefined();
    }
    const before = await footprint();
    const { body } = await sg.query(HIRES, { input: { cooperativeId, hiredOn: daysAgo(1), count: 3, ...change }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });
});

describe('training writes', () => {
  it('records trainings: a board member counts as trained, a certified staff member as certified', async () => {
    const cooperativeId = await cooperative(3);
    const board = { cooperativeId, role: 'BOARD', programme: '  Tata kelola koperasi ', provider: 'KEMENKOP', trainedOn: '2025-10-02', certified: false };
    const k = key();
    const first = await sg.query<Result<'recordTraining'>>(TRAINING, { input: board, key: k }, officer);
    expect(first.body.data!.recordTraining.labour).toMatchObject({
      trainedBoardMembers: 1,
      certifiedStaff: 0,
      trainings: [{ role: 'BOARD', programme: 'Tata kelola koperasi', provider: 'KEMENKOP', trainedOn: '2025-10-02T00:00:00.000Z', certified: false }],
    });
    const retry = await sg.query(TRAINING, { input: board, key: k }, officer);
    expect(retry.body).toEqual(first.body);

    const staff = { cooperativeId, role: 'STAFF', programme: 'Pergudangan dan rantai dingin', provider: 'BLK', trainedOn: '2025-10-20', certified: true };
    const certified = await sg.query<Result<'recordTraining'>>(TRAINING, { input: staff, key: key() }, officer);
    expect(certified.body.data!.recordTraining.labour).toMatchObject({ trainedBoardMembers: 1, certifiedStaff: 1 });
    const uncertified = await sg.query<Result<'recordTraining'>>(TRAINING, { input: { ...staff, certified: false }, key: key() }, officer);
    expect(uncertified.body.data!.recordTraining.labour).toMatchObject({ trainedBoardMembers: 1, certifiedStaff: 1 });
    expect(uncertified.body.data!.recordTraining.labour.trainings).toHaveLength(3);

    expect(await auditCount(cooperativeId)).toBe(3);
    const [audit] = await sql<{ operation: string; before: unknown; after: unknown }>(
      'SELECT operation, before, after FROM "_kopdes_audit" WHERE entity_id = $1 ORDER BY id LIMIT 1',
      [cooperativeId],
    );
    expect(audit).toMatchObject({
      operation: 'recordTraining',
      before: { trainedBoardMembers: 0 },
      after: { trainedBoardMembers: 1, training: { role: 'BOARD', programme: 'Tata kelola koperasi', provider: 'KEMENKOP', certified: false } },
    });
  });

  it.each([
    ['unknown_cooperative', { cooperativeId: 'KDMP-11.01.01.2001' }],
    ['programme_required', { programme: '   ' }],
    ['trainedOn_format', { trainedOn: '02/10/2025' }],
    ['date_not_in_future', { trainedOn: '2099-01-01' }],
  ])('refuses a training breaking %s and writes nothing', async (rule, change) => {
    const cooperativeId = await cooperative(4);
    const before = await footprint();
    const { body } = await sg.query(
      TRAINING,
      {
        input: { cooperativeId, role: 'STAFF', programme: 'Administrasi perkantoran', provider: 'BPVP', trainedOn: '2025-10-01', certified: true, ...change },
        key: key(),
      },
      officer,
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });
});

describe('workforce reports', () => {
  it('sets the headcount, audited before and after, applied once under retry', async () => {
    const cooperativeId = await cooperative(5);
    const k = key();
    const first = await sg.query<Result<'setWorkforce'>>(WORKFORCE, { input: { cooperativeId, employees: 1000 }, key: k }, officer);
    expect(first.body.data!.setWorkforce.labour).toMatchObject({ employees: 1000, meetsTarget: true });
    const retry = await sg.query(WORKFORCE, { input: { cooperativeId, employees: 1000 }, key: k }, officer);
    expect(retry.body).toEqual(first.body);
    const down = await sg.query<Result<'setWorkforce'>>(WORKFORCE, { input: { cooperativeId, employees: 0 }, key: key() }, officer);
    expect(down.body.data!.setWorkforce.labour).toMatchObject({ employees: 0, meetsTarget: false });
    const audits = await sql<{ before: { employees: number }; after: { employees: number } }>(
      'SELECT before, after FROM "_kopdes_audit" WHERE entity_id = $1 ORDER BY id',
      [cooperativeId],
    );
    expect(audits.map((a) => [a.before.employees, a.after.employees])).toEqual([
      [0, 1000],
      [1000, 0],
    ]);
  });

  it.each([
    ['unknown_cooperative', { cooperativeId: 'KKMP-99.99.99.1001' }],
    ['employees_range', { employees: -1 }],
    ['employees_range', { employees: 1001 }],
  ])('refuses a report breaking %s and writes nothing', async (rule, change) => {
    const cooperativeId = await cooperative(6);
    const before = await footprint();
    const { body } = await sg.query(WORKFORCE, { input: { cooperativeId, employees: 10, ...change }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });
});

describe('who may write', () => {
  it('lets only Kemnaker officers and admins write', async () => {
    const cooperativeId = await cooperative(7);
    const before = await footprint();
    for (const caller of [ANALYST, officerOf('cooperatives'), officerOf('villages')]) {
      for (const [document, input] of [
        [HIRES, { cooperativeId, hiredOn: daysAgo(1), count: 1 }],
        [TRAINING, { cooperativeId, role: 'BOARD', programme: 'Tata kelola koperasi', provider: 'BLK', trainedOn: '2025-10-01', certified: true }],
        [WORKFORCE, { cooperativeId, employees: 3 }],
      ] as const) {
        const { body } = await sg.query(document, { input, key: key() }, { caller });
        expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect(await footprint()).toEqual(before);
  });
});
