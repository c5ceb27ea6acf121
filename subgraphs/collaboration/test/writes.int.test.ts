import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ANALYST, officerOf, PUBLIC, startTestSubgraph, withPurpose, type TestSubgraph } from '@kopdes/kit/testing';
import { collaboration } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(collaboration);
});
afterAll(async () => {
  await sg?.stop();
});

// Reading who revised a target (revisedBy, personal data) takes a registered purpose.
const secretariat = { caller: withPurpose(officerOf('collaboration'), 'task-force-accountability') };
let keys = 0;
const key = () => `test-key-${Date.now()}-${keys++}`;

const CREATE = `mutation ($input: CreateCommitmentInput!, $key: String!) { createCommitment(input: $input, idempotencyKey: $key) {
  id agency { code } indicator target baseline startDate dueDate province { code } } }`;
const UPDATE = `mutation ($input: UpdateCommitmentTargetInput!, $key: String!) { updateCommitmentTarget(input: $input, idempotencyKey: $key) {
  id target revisions { previousTarget target reason revisedBy } } }`;
const REGISTER = `mutation ($input: RegisterPilotSiteInput!, $key: String!) { registerPilotSite(input: $input, idempotencyKey: $key) {
  id cooperative { id } model developmentStatus categories selectedOn } }`;

const COMMITMENT = { agency: 'ESDM', province: '35', indicator: 'ENERGY_KWP_COMMISSIONED', target: '500', startDate: '2026-01-01', dueDate: '2026-06-30' };

/** Rows in every table a write touches, and the audit log. */
async function footprint() {
  const [row] = await sg.server.db.sql.query<Record<string, number>>(`SELECT
    (SELECT count(*) FROM "Commitment")::int AS commitments, (SELECT count(*) FROM "CommitmentRevision")::int AS revisions,
    (SELECT count(*) FROM "PilotSite")::int AS pilots, (SELECT count(*) FROM "_kopdes_audit")::int AS audit, (SELECT count(*) FROM "_kopdes_idempotency")::int AS keys`);
  return row!;
}

async function audits(entityId: string) {
  return sg.server.db.sql.query<{ actor: string; ministry: string | null; operation: string; entity: string; before: unknown; after: Record<string, unknown> }>(
    'SELECT actor, ministry, operation, entity, before, after FROM "_kopdes_audit" WHERE entity_id = $1 ORDER BY id',
    [entityId],
  );
}

describe('commitment writes', () => {
  it('records a commitment once under retry, audited, continuing the agency-province sequence', async () => {
    const [{ n }] = (await sg.server.db.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM "Commitment" WHERE "agencyCode" = \'ESDM\' AND "provinceCode" = \'35\'',
    )) as [{ n: number }];
    const k = key();
    const first = await sg.query<{ createCommitment: { id: string } }>(
      CREATE,
      { input: { ...COMMITMENT, target: '512.5', baseline: '12' }, key: k },
      secretariat,
    );
    expect(first.body.errors).toBeUndefined();
    const id = `ESDM-35-${n + 1}`;
    expect(first.body.data!.createCommitment).toEqual({
      id,
      agency: { code: 'ESDM' },
      indicator: 'ENERGY_KWP_COMMISSIONED',
      target: '512.5',
      baseline: '12',
      startDate: '2026-01-01T00:00:00.000Z',
      dueDate: '2026-06-30T00:00:00.000Z',
      province: { code: '35' },
    });
    const before = await footprint();
    const retry = await sg.query(CREATE, { input: { ...COMMITMENT, target: '512.5', baseline: '12' }, key: k }, secretariat);
    expect(retry.body).toEqual(first.body);
    expect(await footprint()).toEqual(before);
    expect(await audits(id)).toEqual([
      {
        actor: 'test-officer-collaboration',
        ministry: 'collaboration',
        operation: 'createCommitment',
        entity: 'Commitment',
        before: null,
        after: expect.objectContaining({ id, target: '512.5', agencyCode: 'ESDM', provinceCode: '35' }),
      },
    ]);
  });

  it('accepts lower-case agency codes and whole rupiah beyond 2^53', async () => {
    const { body } = await sg.query<{ createCommitment: { target: string; province: { code: string } } }>(
      CREATE,
      {
        input: { ...COMMITMENT, agency: 'kemenkeu', indicator: 'FINANCING_AMOUNT_DISBURSED', province: '35', target: '9007199254740993' },
        key: key(),
      },
      { caller: ADMIN },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.createCommitment).toMatchObject({ target: '9007199254740993', province: { code: '35' } });
  });

  it.each([
    ['unknown_agency', { agency: 'KEMENPAR' }],
    ['agency_owns_indicator', { agency: 'KEMENKOP' }],
    ['agency_owns_indicator', { agency: 'LAN' }],
    ['province_code_format', { province: '35.14' }],
    ['unknown_province', { province: '99' }],
    ['target_positive', { target: '0' }],
    ['target_format', { target: '-5' }],
    ['target_format', { target: '12.345' }],
    ['target_format', { indicator: 'FINANCING_AMOUNT_DISBURSED', agency: 'KEMENKEU', target: '1000000.50' }],
    ['target_above_baseline', { target: '500', baseline: '500' }],
    ['baseline_format', { baseline: 'zero' }],
    ['startDate_format', { startDate: '1 Jan 2026' }],
    ['dueDate_format', { dueDate: '2026-02-30' }],
    ['due_after_start', { dueDate: '2026-01-01' }],
  ])('refuses a commitment breaking %s and writes nothing', async (rule, change) => {
    const before = await footprint();
    const { body } = await sg.query(CREATE, { input: { ...COMMITMENT, ...change }, key: key() }, secretariat);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });

  it('changes a target with its reason, as a revision and in the audit log, once under retry', async () => {
    const k = key();
    const input = { commitmentId: 'KEMENKOP-35-1', target: '300', reason: 'Revised after the Q1 registry reconciliation' };
    const [{ target: old }] = (await sg.server.db.sql.query<{ target: string }>('SELECT target::text FROM "Commitment" WHERE id = $1', ['KEMENKOP-35-1'])) as [
      { target: string },
    ];
    const first = await sg.query<{ updateCommitmentTarget: { target: string; revisions: unknown[] } }>(UPDATE, { input, key: k }, secretariat);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.updateCommitmentTarget).toEqual({
      id: 'KEMENKOP-35-1',
      target: '300',
      revisions: [{ previousTarget: String(Number(old)), target: '300', reason: input.reason, revisedBy: 'test-officer-collaboration' }],
    });
    const before = await footprint();
    expect((await sg.query(UPDATE, { input, key: k }, secretariat)).body).toEqual(first.body);
    expect(await footprint()).toEqual(before);
    const [audit] = await audits('KEMENKOP-35-1');
    expect(audit).toMatchObject({
      operation: 'updateCommitmentTarget',
      before: { target: String(Number(old)) },
      after: { target: '300', reason: input.reason },
    });
    // Who revised it is personal data: the public sees the revision, not its author; the secretariat's reads are on record.
    const publicView = await sg.query('{ commitment(id: "KEMENKOP-35-1") { revisions { target revisedBy } } }', undefined, { caller: PUBLIC });
    expect(publicView.body.data).toEqual({ commitment: { revisions: [{ target: '300', revisedBy: null }] } });
    expect(publicView.body.errors).toEqual([
      expect.objectContaining({
        message: 'CommitmentRevision.revisedBy needs a signed-in analyst, officer or admin; send a bearer token.',
        path: ['commitment', 'revisions', 0, 'revisedBy'],
      }),
    ]);
    const recorded = await sg.server.db.sql.query<{ data_subject: string; entity: string; fields: string[] }>(
      `SELECT data_subject, entity, fields FROM "_kopdes_access_record"`,
    );
    expect(recorded).toContainEqual({ data_subject: 'test-officer-collaboration', entity: 'CommitmentRevision', fields: ['CommitmentRevision.revisedBy'] });
  });

  it.each([
    ['reason_required', { reason: 'typo' }],
    ['target_unchanged', { target: '300' }],
    ['target_positive', { target: '0' }],
    ['target_format', { target: '300.5' }],
  ])('refuses a target change breaking %s and leaves the commitment as it was', async (rule, change) => {
    const [before] = await sg.server.db.sql.query('SELECT * FROM "Commitment" WHERE id = $1', ['KEMENKOP-35-1']);
    const counts = await footprint();
    const { body } = await sg.query(
      UPDATE,
      { input: { commitmentId: 'KEMENKOP-35-1', target: '310', reason: 'A reason long enough', ...change }, key: key() },
      secretariat,
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await sg.server.db.sql.query('SELECT * FROM "Commitment" WHERE id = $1', ['KEMENKOP-35-1'])).toEqual([before]);
    expect(await footprint()).toEqual(counts);
  });

  it('answers NOT_FOUND for an unknown commitment', async () => {
    const { body } = await sg.query(UPDATE, { input: { commitmentId: 'ESDM-35-999', target: '10', reason: 'A reason long enough' }, key: key() }, secretariat);
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a key reused for a different request', async () => {
    const k = key();
    await sg.query(CREATE, { input: COMMITMENT, key: k }, secretariat);
    const reuse = await sg.query(CREATE, { input: { ...COMMITMENT, target: '600' }, key: k }, secretariat);
    expect(reuse.body.errors?.[0]?.message).toMatch(/already used for a different request/);
  });
});

describe('pilot site writes', () => {
  const SITE = { cooperativeId: 'KDMP-35.14.01.2001', villageCode: '3514012001', model: 'AGRIBUSINESS', developmentStatus: 'MAJU', selectedOn: '2025-09-01' };

  it('registers a pilot site once under retry, audited', async () => {
    const k = key();
    const first = await sg.query<{ registerPilotSite: unknown }>(REGISTER, { input: SITE, key: k }, secretariat);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.registerPilotSite).toEqual({
      id: 'PILOT-KDMP-35.14.01.2001',
      cooperative: { id: 'KDMP-35.14.01.2001' },
      model: 'AGRIBUSINESS',
      developmentStatus: 'MAJU',
      categories: ['DEVELOPED'],
      selectedOn: '2025-09-01T00:00:00.000Z',
    });
    const before = await footprint();
    expect((await sg.query(REGISTER, { input: SITE, key: k }, secretariat)).body).toEqual(first.body);
    expect(await footprint()).toEqual(before);
    expect(await audits('PILOT-KDMP-35.14.01.2001')).toMatchObject([{ operation: 'registerPilotSite', entity: 'PilotSite', before: null }]);
  });

  it.each([
    ['already_pilot_site', { cooperativeId: 'KDMP-35.14.09.2019', villageCode: '35.14.09.2019' }],
    ['unknown_village', { villageCode: '35.14.01.2999' }],
    ['villageCode_format', { villageCode: '35.14' }],
    ['cooperativeId_required', { cooperativeId: ' ' }],
    ['kelurahan_unclassified', { cooperativeId: 'KKMP-35.14.14.1001', villageCode: '35.14.14.1001', developmentStatus: 'MAJU' }],
    ['selectedOn_format', { selectedOn: '2025/09/01' }],
    ['date_not_in_future', { selectedOn: '2099-01-01' }],
  ])('refuses a pilot site breaking %s and writes nothing', async (rule, change) => {
    const before = await footprint();
    const { body } = await sg.query(
      REGISTER,
      { input: { ...SITE, cooperativeId: 'KDMP-35.14.01.2002', villageCode: '35.14.01.2002', ...change }, key: key() },
      secretariat,
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    expect(await footprint()).toEqual(before);
  });
});

describe('who may write', () => {
  it('lets only the Task Force secretariat (collaboration officers) and admins write', async () => {
    const before = await footprint();
    for (const caller of [PUBLIC, ANALYST, officerOf('energy'), officerOf('cooperatives')]) {
      for (const [document, input] of [
        [CREATE, COMMITMENT],
        [UPDATE, { commitmentId: 'ESDM-35-1', target: '10', reason: 'A reason long enough' }],
        [REGISTER, { cooperativeId: 'KDMP-35.14.01.2003', villageCode: '35.14.01.2003', model: 'AGRIBUSINESS', selectedOn: '2025-09-01' }],
      ] as const) {
        const { body } = await sg.query(document, { input, key: key() }, { caller });
        expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect(await footprint()).toEqual(before);
  });
});
