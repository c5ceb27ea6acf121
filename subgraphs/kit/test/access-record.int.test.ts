import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_RECORD,
  openDatabase,
  pruneAccessRecord,
  rawSql,
  recordRead,
  verifyAccessRecord,
  type Caller,
  type Database,
  type PersonalRead,
} from '@kopdes/kit';

/**
 * The access record's chain on a bare kit database (no ministry schema): PGlite as `npm start`
 * runs it, PostgreSQL as production does. Tampering is done as an attacker with the table owner's
 * rights would: the append-only trigger switched off first.
 */
const officer: Caller = { subject: 'officer-1', role: 'officer', ministry: 'cooperatives', purpose: 'registry-board-verification' };
const noClient = () => ({ $disconnect: async () => {} });
const openKitDatabase = (url?: string) =>
  openDatabase(noClient, { subgraph: 'access-record-test', migrationsDir: '/nonexistent', url, dataDir: url ? undefined : 'memory://' });

function read(requestId: string, subjects: string[], entity = 'KDMP-1', fields = ['BoardMember.name', 'Cooperative.board']): PersonalRead {
  return {
    requestId,
    caller: officer,
    purpose: officer.purpose!,
    entity: 'Cooperative',
    fields,
    persons: new Map(subjects.map((s) => [s, new Set([entity])])),
  };
}

const append = (db: Database<unknown>, r: PersonalRead) => db.sql.transaction((tx) => recordRead(rawSql(tx), r));
const verify = (db: Database<unknown>, expectHead?: string) => verifyAccessRecord(rawSql(db.sql), { expectHead });
const asAttacker = (db: Database<unknown>, sql: string) =>
  db.sql.exec(`ALTER TABLE "${ACCESS_RECORD}" DISABLE TRIGGER USER; ${sql}; ALTER TABLE "${ACCESS_RECORD}" ENABLE TRIGGER USER;`);

describe('access record on PGlite', () => {
  let db: Database<unknown>;
  beforeAll(async () => {
    db = await openKitDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('appends one row per person and request; a later read in the same request adds only what it did not cover', async () => {
    expect(await append(db, read('r1', ['A', 'B', 'C']))).toBe(3);
    expect(await append(db, read('r1', ['A', 'B']))).toBe(0); // an entity batch reading the same people again
    expect(await append(db, read('r1', ['A'], 'KDMP-2'))).toBe(1); // the same person read from another cooperative
    expect(await append(db, read('r2', ['A']))).toBe(1); // another request
    const rows = await db.sql.query<{ id: string; request_id: string; data_subject: string }>(
      `SELECT id::text AS id, request_id, data_subject FROM "${ACCESS_RECORD}" ORDER BY "${ACCESS_RECORD}".id`,
    );
    expect(rows.map((r) => [r.id, r.request_id, r.data_subject])).toEqual([
      ['1', 'r1', 'A'],
      ['2', 'r1', 'B'],
      ['3', 'r1', 'C'],
      ['4', 'r1', 'A'],
      ['5', 'r2', 'A'],
    ]);
    const result = await verify(db);
    expect(result).toMatchObject({ ok: true, rows: 5, head: { id: '5' } });
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await expect(db.sql.exec(`UPDATE "${ACCESS_RECORD}" SET reader_subject = 'x'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(db.sql.exec(`DELETE FROM "${ACCESS_RECORD}"`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.sql.exec(`TRUNCATE "${ACCESS_RECORD}"`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await verify(db)).ok).toBe(true);
  });

  it('names the first bad row when a row is edited, and when its hash is recomputed to hide it', async () => {
    await asAttacker(db, `UPDATE "${ACCESS_RECORD}" SET reader_subject = 'someone-else' WHERE id = 2`);
    expect(await verify(db)).toMatchObject({
      ok: false,
      rows: 1,
      bad: { id: '2', reason: 'row 2 was changed after it was written: its content no longer matches its hash' },
    });
    await asAttacker(db, `UPDATE "${ACCESS_RECORD}" SET reader_subject = 'officer-1' WHERE id = 2`);
    expect((await verify(db)).ok).toBe(true);
    // Rewriting row 2 with a matching hash breaks the link row 3 holds.
    const [row] = await db.sql.query<{ hash: string }>(`SELECT hash FROM "${ACCESS_RECORD}" WHERE id = 2`);
    await asAttacker(db, `UPDATE "${ACCESS_RECORD}" SET hash = '${'f'.repeat(64)}' WHERE id = 2`);
    expect((await verify(db)).bad).toEqual({ id: '2', reason: expect.stringMatching(/^row 2 was changed/) });
    await asAttacker(db, `UPDATE "${ACCESS_RECORD}" SET hash = '${row!.hash}' WHERE id = 2`);
  });

  it('names a deleted row, a deleted start, and (with the head noted earlier) a deleted end', async () => {
    const head = (await verify(db)).head!;
    const snapshot = await db.sql.query<Record<string, unknown>>(`SELECT * FROM "${ACCESS_RECORD}" ORDER BY "${ACCESS_RECORD}".id`);
    const restore = async () => {
      await asAttacker(db, `DELETE FROM "${ACCESS_RECORD}"`);
      await db.sql.query(`INSERT INTO "${ACCESS_RECORD}" SELECT * FROM jsonb_populate_recordset(NULL::"${ACCESS_RECORD}", $1::jsonb)`, [
        JSON.stringify(snapshot),
      ]);
      expect((await verify(db, head.hash)).ok).toBe(true);
    };
    await asAttacker(db, `DELETE FROM "${ACCESS_RECORD}" WHERE id = 3`);
    expect((await verify(db)).bad).toEqual({ id: '3', reason: 'row 3 is missing (deleted) between rows 2 and 4' });
    await restore();
    await asAttacker(db, `DELETE FROM "${ACCESS_RECORD}" WHERE id <= 2`);
    expect((await verify(db)).bad).toEqual({
      id: '3',
      reason: expect.stringMatching(
        /^row 3 is the first row but does not start the chain, and no checkpoint accounts for the rows before it: rows 1-2 were deleted/,
      ),
    });
    await restore();
    await asAttacker(db, `DELETE FROM "${ACCESS_RECORD}" WHERE id = 5`);
    expect((await verify(db)).ok).toBe(true); // a cut-off tail leaves a valid chain...
    expect((await verify(db, head.hash)).bad).toEqual({ id: '5', reason: expect.stringMatching(/expected head .* is not in the chain/) }); // ...unless the head was noted
    await restore();
  });

  it('prunes reads older than the retention with a checkpoint, so what is kept still verifies', async () => {
    await asAttacker(db, `UPDATE "${ACCESS_RECORD}" SET at = at - interval '400 days' WHERE id <= 3`); // age three rows...
    // ...then re-chain them as if they had been written then (the hash covers the time).
    const { rowHash, fromStored, ROW_COLUMNS } = await import('@kopdes/kit');
    let prev = '0'.repeat(64);
    for (const stored of await db.sql.query<never>(`SELECT ${ROW_COLUMNS} FROM "${ACCESS_RECORD}" ORDER BY "${ACCESS_RECORD}".id`)) {
      const { hash: _old, ...row } = fromStored(stored);
      const hash = rowHash({ ...row, prevHash: prev });
      await asAttacker(db, `UPDATE "${ACCESS_RECORD}" SET prev_hash = '${prev}', hash = '${hash}' WHERE id = ${row.id}`);
      prev = hash;
    }
    expect((await verify(db)).ok).toBe(true);
    const pruned = await pruneAccessRecord(db.sql, 365);
    expect(pruned).toMatchObject({ pruned: 3, checkpoint: { prunedThroughId: '3', prunedRows: 3 } });
    const kinds = await db.sql.query<{ id: string; kind: string }>(`SELECT id::text AS id, kind FROM "${ACCESS_RECORD}" ORDER BY "${ACCESS_RECORD}".id`);
    expect(kinds).toEqual([
      { id: '4', kind: 'read' },
      { id: '5', kind: 'read' },
      { id: '6', kind: 'checkpoint' },
    ]);
    expect(await verify(db)).toMatchObject({ ok: true, rows: 3 });
    expect(await pruneAccessRecord(db.sql, 365)).toEqual({ pruned: 0 });
    expect(await append(db, read('r3', ['D']))).toBe(1);
    expect(await verify(db)).toMatchObject({ ok: true, rows: 4, head: { id: '7' } });
    // Deleting the checkpoint leaves the first kept row unaccounted for.
    await asAttacker(db, `DELETE FROM "${ACCESS_RECORD}" WHERE id = 6`);
    expect((await verify(db)).bad).toEqual({
      id: '4',
      reason: expect.stringMatching(/^row 4 is the first row but does not start the chain, and no checkpoint accounts for the rows before it/),
    });
  });
});

describe('access record on PostgreSQL', () => {
  const name = `kopdes_access_record_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/test' });
  let db: Database<unknown>;
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    db = await openKitDatabase(`postgresql://postgres@127.0.0.1:5432/${name}`);
  });
  afterAll(async () => {
    await db?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  });

  it('keeps one valid chain under concurrent requests (appends serialised by an advisory lock)', async () => {
    const requests = Array.from({ length: 24 }, (_, i) => append(db, read(`concurrent-${i}`, [`P${i}-a`, `P${i}-b`, `P${i}-c`])));
    expect(await Promise.all(requests)).toEqual(Array(24).fill(3));
    const ids = await db.sql.query<{ id: string }>(`SELECT id::text AS id FROM "${ACCESS_RECORD}" ORDER BY "${ACCESS_RECORD}".id`);
    expect(ids.map((r) => Number(r.id))).toEqual(Array.from({ length: 72 }, (_, i) => i + 1));
    expect(await verify(db)).toMatchObject({ ok: true, rows: 72 });
  });

  it('detects an edited row there too', async () => {
    await asAttacker(db, `UPDATE "${ACCESS_RECORD}" SET fields = ARRAY['BoardMember.name'] WHERE id = 40`);
    expect((await verify(db)).bad).toEqual({ id: '40', reason: 'row 40 was changed after it was written: its content no longer matches its hash' });
  });
});
