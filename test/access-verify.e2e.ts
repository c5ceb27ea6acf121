/**
 * `npm run access:verify -- <subgraph>` as an operator runs it: on the embedded database of
 * `npm start` and on PostgreSQL (DATABASE_URL). A clean record verifies (exit 0, head printed);
 * an edited or deleted row fails with exit 1 naming the first bad row.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ACCESS_RECORD, openDatabase, rawSql, recordRead, type Database } from '@kopdes/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cooperatives } from '../subgraphs/cooperatives/src/subgraph';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..');

async function verify(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string }> {
  return run(process.execPath, ['--import', 'tsx', 'scripts/access-record.ts', 'verify', 'cooperatives', ...args], {
    cwd: repo,
    env: { ...process.env, KOPDES_LOG: 'silent', ...env },
    timeout: 120_000,
  }).then(
    ({ stdout }) => ({ code: 0, out: stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stderr + e.stdout }),
  );
}

/** Opens the database the command will read, writes a few reads, runs `change`, closes it (the embedded one has one user). */
async function withDatabase(target: { url?: string; dataDir?: string }, change: (db: Database<unknown>) => Promise<void>): Promise<void> {
  const db = await openDatabase(cooperatives.createClient, { subgraph: 'cooperatives', migrationsDir: cooperatives.migrationsDir, ...target });
  try {
    await change(db);
  } finally {
    await db.close();
  }
}

const fill = (db: Database<unknown>) =>
  db.sql.transaction((tx) =>
    recordRead(rawSql(tx), {
      requestId: 'verify-cli',
      caller: { subject: 'cli-test', role: 'admin', purpose: 'data-protection-oversight' },
      purpose: 'data-protection-oversight',
      entity: 'Cooperative',
      fields: ['BoardMember.nik', 'Cooperative.board'],
      persons: new Map(['3514010101010001', '3514010101010002', '3514010101010003'].map((n) => [n, new Set(['KDMP-35.14.01.2001'])])),
    }),
  );
const tamper = (sql: string) => (db: Database<unknown>) =>
  db.sql.exec(`ALTER TABLE "${ACCESS_RECORD}" DISABLE TRIGGER USER; ${sql}; ALTER TABLE "${ACCESS_RECORD}" ENABLE TRIGGER USER;`);

describe('access:verify on the embedded database', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kopdes-verify-'));
  const env = { KOPDES_DATA_DIR: dataDir, DATABASE_URL: '', COOPERATIVES_DATABASE_URL: '' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('verifies a clean record, then names an edited row and a deleted row', async () => {
    await withDatabase({ dataDir: path.join(dataDir, 'cooperatives') }, async (db) => {
      expect(await fill(db)).toBe(3);
    });
    const clean = await verify(env);
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/^The cooperatives access record verifies: 3 row\(s\), head row 3 at .*, hash [0-9a-f]{64}\./);
    const head = /hash ([0-9a-f]{64})/.exec(clean.out)![1]!;
    await withDatabase(
      { dataDir: path.join(dataDir, 'cooperatives') },
      tamper(`UPDATE "${ACCESS_RECORD}" SET purpose = 'registry-board-verification' WHERE id = 2`),
    );
    expect(await verify(env)).toEqual({
      code: 1,
      out: expect.stringMatching(/^The cooperatives access record does NOT verify: first bad row 2: row 2 was changed after it was written/),
    });
    await withDatabase({ dataDir: path.join(dataDir, 'cooperatives') }, tamper(`DELETE FROM "${ACCESS_RECORD}" WHERE id = 2`));
    expect(await verify(env)).toEqual({ code: 1, out: expect.stringMatching(/first bad row 2: row 2 is missing \(deleted\) between rows 1 and 3/) });
    await withDatabase({ dataDir: path.join(dataDir, 'cooperatives') }, tamper(`DELETE FROM "${ACCESS_RECORD}" WHERE id >= 2`));
    expect((await verify(env)).code).toBe(0); // a cut-off end leaves a valid chain...
    expect(await verify(env, '--head', head)).toEqual({ code: 1, out: expect.stringMatching(/first bad row 2: the expected head .* is not in the chain/) }); // ...unless its head was noted
  }, 300_000);
});

describe('access:verify on PostgreSQL', () => {
  const name = `kopdes_verify_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const url = `postgresql://postgres@127.0.0.1:5432/${name}`;
  const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/test' });
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('verifies a clean record and names an edited row', async () => {
    await withDatabase({ url }, async (db) => {
      expect(await fill(db)).toBe(3);
    });
    expect(await verify({ DATABASE_URL: url })).toEqual({ code: 0, out: expect.stringMatching(/^The cooperatives access record verifies: 3 row\(s\)/) });
    await withDatabase({ url }, tamper(`UPDATE "${ACCESS_RECORD}" SET data_subject = '3514019999999999' WHERE id = 3`));
    expect(await verify({ DATABASE_URL: url })).toEqual({ code: 1, out: expect.stringMatching(/first bad row 3: row 3 was changed after it was written/) });
  }, 300_000);
});
