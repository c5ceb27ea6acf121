import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, officerOf, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { cooperatives } from '../src/subgraph';

let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(cooperatives);
});
afterAll(async () => {
  await sg?.stop();
});

const officer = { caller: officerOf('cooperatives') };
let keys = 0;
const key = () => `test-key-${Date.now()}-${keys++}`;

const ADVANCE = `mutation ($input: AdvanceStageInput!, $key: String!) { advanceCooperativeStage(input: $input, idempotencyKey: $key) { id stage ahuDecreeNumber nikKoperasi nib npwp } }`;
const REGISTER = `mutation ($input: RegisterCooperativeInput!, $key: String!) { registerCooperative(input: $input, idempotencyKey: $key) { id name stage kind } }`;

/** A region's totalCount as a front end's list reads it (a province or regency: from the registry summary). */
async function listed(regionCode: string): Promise<number> {
  const { body } = await sg.query<{ cooperatives: { totalCount: number } }>(
    'query ($r: String!) { cooperatives(filter: { regionCode: $r }, first: 1) { totalCount } }',
    {
      r: regionCode,
    },
  );
  expect(body.errors).toBeUndefined();
  return body.data!.cooperatives.totalCount;
}

async function auditCount(entityId: string): Promise<number> {
  const [row] = await sg.server.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "_kopdes_audit" WHERE entity_id = $1', [entityId]);
  return row!.n;
}

async function firstAtStage(stage: string): Promise<string> {
  const [row] = await sg.server.db.sql.query<{ id: string }>('SELECT id FROM "Cooperative" WHERE stage = $1 ORDER BY id LIMIT 1', [stage]);
  return row!.id;
}

describe('registry writes', () => {
  it('registers a second cooperative in a ward, audited, applied once under retry', async () => {
    const input = {
      villageCode: '3514141001',
      name: 'Koperasi Kelurahan Merah Putih Kolursari II',
      kind: 'KKMP',
      formation: 'NEW',
      musdesusDate: '2025-08-01',
      members: 25,
    };
    const regions = ['35', '35.14', '35.14.14', '35.14.14.1001'];
    const before = await Promise.all(regions.map(listed));
    const k = key();
    const first = await sg.query<{ registerCooperative: { id: string; stage: string } }>(REGISTER, { input, key: k }, officer);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.registerCooperative).toEqual({ id: 'KKMP-35.14.14.1001-2', name: input.name, stage: 'MUSDESUS_HELD', kind: 'KKMP' });
    const retry = await sg.query(REGISTER, { input, key: k }, officer);
    expect(retry.body.data).toEqual(first.body.data);
    const [count] = await sg.server.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Cooperative" WHERE "villageCode" = '35.14.14.1001'`);
    expect(count!.n).toBe(2);
    expect(await Promise.all(regions.map(listed))).toEqual(before.map((n) => n + 1)); // the next list's count, at every level
    expect(await auditCount('KKMP-35.14.14.1001-2')).toBe(1);
    const [audit] = await sg.server.db.sql.query<{ actor: string; ministry: string; operation: string; before: unknown; after: { name: string } }>(
      'SELECT actor, ministry, operation, before, after FROM "_kopdes_audit" WHERE entity_id = $1',
      ['KKMP-35.14.14.1001-2'],
    );
    expect(audit).toMatchObject({
      actor: 'test-officer-cooperatives',
      ministry: 'cooperatives',
      operation: 'registerCooperative',
      before: null,
      after: { name: input.name },
    });
  });

  it('refuses a key reused for a different request', async () => {
    const k = key();
    const id = await firstAtStage('NOTARY_DEED');
    await sg.query(ADVANCE, { input: { cooperativeId: id, stage: 'NOTARY_DEED' }, key: k }, officer);
    const reuse = await sg.query(
      ADVANCE,
      { input: { cooperativeId: id, stage: 'AHU_DECREE', ahuDecreeNumber: 'AHU-0000001.AH.01.29.TAHUN 2025' }, key: k },
      officer,
    );
    expect(reuse.body.errors?.[0]?.message).toMatch(/already used for a different request/);
  });

  it.each([
    ['kind_matches_village', { villageCode: '35.14.14.1002', name: 'X', kind: 'KDMP', formation: 'NEW', musdesusDate: '2025-08-01', members: 20 }],
    ['unknown_village', { villageCode: '35.14.14.1999', name: 'X', kind: 'KKMP', formation: 'NEW', musdesusDate: '2025-08-01', members: 20 }],
    ['minimum_members', { villageCode: '35.14.14.1002', name: 'X', kind: 'KKMP', formation: 'NEW', musdesusDate: '2025-08-01', members: 3 }],
    ['musdesusDate_format', { villageCode: '35.14.14.1002', name: 'X', kind: 'KKMP', formation: 'NEW', musdesusDate: '1 Aug 2025', members: 20 }],
    ['date_not_in_future', { villageCode: '35.14.14.1002', name: 'X', kind: 'KKMP', formation: 'NEW', musdesusDate: '2099-01-01', members: 20 }],
    ['name_required', { villageCode: '35.14.14.1002', name: '  ', kind: 'KKMP', formation: 'NEW', musdesusDate: '2025-08-01', members: 20 }],
  ])('refuses registration breaking %s and writes nothing', async (rule, input) => {
    const before = await sg.server.db.sql.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM "Cooperative")::int + (SELECT count(*) FROM "_kopdes_audit")::int AS n',
    );
    const { body } = await sg.query(REGISTER, { input, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    const after = await sg.server.db.sql.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM "Cooperative")::int + (SELECT count(*) FROM "_kopdes_audit")::int AS n',
    );
    expect(after).toEqual(before);
  });

  it.each([
    ['stage_order', 'SIMKOPDES', { stage: 'AHU_DECREE' }],
    ['ahuDecreeNumber_required', 'NOTARY_DEED', { stage: 'AHU_DECREE' }],
    ['ahuDecreeNumber_format', 'NOTARY_DEED', { stage: 'AHU_DECREE', ahuDecreeNumber: 'AHU-12' }],
    ['nikKoperasi_format', 'AHU_DECREE', { stage: 'NIK_KOPERASI', nikKoperasi: '12345' }],
    ['nib_required', 'NIK_KOPERASI', { stage: 'NIB_ISSUED' }],
    ['dates_in_order', 'NOTARY_DEED', { stage: 'AHU_DECREE', ahuDecreeNumber: 'AHU-0000002.AH.01.29.TAHUN 2025', ahuDecreeDate: '2024-01-01' }],
  ])('refuses a stage change breaking %s and leaves the record as it was', async (rule, from, change) => {
    const id = await firstAtStage(from);
    const [before] = await sg.server.db.sql.query('SELECT * FROM "Cooperative" WHERE id = $1', [id]);
    const { body } = await sg.query(ADVANCE, { input: { cooperativeId: id, ...change }, key: key() }, officer);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
    const [after] = await sg.server.db.sql.query('SELECT * FROM "Cooperative" WHERE id = $1', [id]);
    expect(after).toEqual(before);
  });

  it('advances a stage with its identifier and audits before and after', async () => {
    const id = await firstAtStage('NOTARY_DEED');
    const { body } = await sg.query<{ advanceCooperativeStage: { stage: string; ahuDecreeNumber: string } }>(
      ADVANCE,
      { input: { cooperativeId: id, stage: 'AHU_DECREE', ahuDecreeNumber: 'AHU-0025573.AH.01.29.TAHUN 2025', ahuDecreeDate: '2025-09-01' }, key: key() },
      officer,
    );
    expect(body.data!.advanceCooperativeStage).toMatchObject({ stage: 'AHU_DECREE', ahuDecreeNumber: 'AHU-0025573.AH.01.29.TAHUN 2025' });
    const [audit] = await sg.server.db.sql.query<{ before: { stage: string }; after: { stage: string } }>(
      'SELECT before, after FROM "_kopdes_audit" WHERE entity_id = $1 ORDER BY id DESC LIMIT 1',
      [id],
    );
    expect(audit!.before.stage).toBe('NOTARY_DEED');
    expect(audit!.after.stage).toBe('AHU_DECREE');
  });

  it('lets only Kemenkop officers and admins write', async () => {
    const id = await firstAtStage('SIMKOPDES');
    for (const caller of [ANALYST, officerOf('financing')]) {
      const { body } = await sg.query(ADVANCE, { input: { cooperativeId: id, stage: 'OPERATING' }, key: key() }, { caller });
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await auditCount(id)).toBe(0);
  });
});
