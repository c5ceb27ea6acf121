import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSubgraphDatabase, readRecords, repoRoot, runImport, type Database } from '@kopdes/kit';
import { TEST_SCOPE } from '@kopdes/kit/testing';
import { cooperatives, cooperativesImporters } from '../src/subgraph';

/** The import on the production path: a PostgreSQL server named by COOPERATIVES_DATABASE_URL. */
const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const name = `kopdes_import_${process.pid}_${Date.now().toString(36)}`;
const url = Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();
const admin = new pg.Client({ connectionString: SERVER });
let db: Database<unknown>;
let dir: string;

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  ({ db } = await openSubgraphDatabase(cooperatives, { url, scope: TEST_SCOPE, seed: true }));
  dir = mkdtempSync(path.join(tmpdir(), 'kopdes-import-pg-'));
});
afterAll(async () => {
  await db?.close();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('import on PostgreSQL', () => {
  it('writes all or nothing and re-imports as a no-op, through npm run import and COOPERATIVES_DATABASE_URL', async () => {
    const ids = (await db.sql.query<{ id: string }>(`SELECT id FROM "Cooperative" WHERE NOT units @> '[{"type": "LPG"}]' ORDER BY id LIMIT 2`)).map(
      (r) => r.id,
    );
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, `cooperativeId,type,status\n${ids[0]},LPG,PLANNED\n${ids[1]},LPG,SOMEDAY\n`);
    const refused = await runImport({
      db: db.sql,
      importer: cooperativesImporters['business-units']!,
      name: 'business-units',
      items: readRecords(bad, 'csv'),
      actor: 'test',
      source: 'bad',
    });
    expect(refused).toMatchObject({ written: false, issues: [{ line: 3 }] });

    const good = path.join(dir, 'good.ndjson');
    writeFileSync(good, ids.map((id) => JSON.stringify({ cooperativeId: id, type: 'LPG', status: 'PLANNED' })).join('\n'));
    const cli = () =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          path.join(repoRoot, 'node_modules/.bin/tsx'),
          [path.join(repoRoot, 'scripts/import.ts'), 'cooperatives', good, '--json'],
          {
            cwd: repoRoot,
            encoding: 'utf8',
            env: { ...process.env, COOPERATIVES_DATABASE_URL: url },
          },
          (error, stdout, stderr) => resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const first = await cli();
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({ database: expect.stringMatching(/^PostgreSQL postgresql:/), changedRows: 2, written: true });
    const again = await cli();
    expect(JSON.parse(again.stdout)).toMatchObject({ changedRows: 0, unchangedRows: 2, written: false });
    const units = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Cooperative" WHERE units @> '[{"type": "LPG", "status": "PLANNED"}]' AND id = ANY($1)`,
      [ids],
    );
    expect(units[0]!.n).toBe(2);
  }, 120_000);

  it('applies the stage rules on PostgreSQL too', async () => {
    const [coop] = await db.sql.query<{ id: string }>(
      `UPDATE "Cooperative" SET stage = 'NOTARY_DEED', "ahuDecreeNumber" = NULL, "ahuDecreeDate" = NULL WHERE id = (SELECT min(id) FROM "Cooperative") RETURNING id`,
    );
    const file = path.join(dir, 'stages.csv');
    writeFileSync(file, `cooperativeId,stage,ahuDecreeNumber,ahuDecreeDate\n${coop!.id},AHU_DECREE,AHU-0012345.AH.01.29.TAHUN 2025,2025-10-01\n`);
    const report = await runImport({
      db: db.sql,
      importer: cooperativesImporters.stages!,
      name: 'stages',
      items: readRecords(file, 'csv'),
      actor: 'test',
      source: 'stages',
    });
    expect(report).toMatchObject({ issues: [], changedRows: 1, written: true });
    const [row] = await db.sql.query<{ stage: string; date: string }>(
      `SELECT stage::text AS stage, to_char("ahuDecreeDate", 'YYYY-MM-DD') AS date FROM "Cooperative" WHERE id = $1`,
      [coop!.id],
    );
    expect(row).toEqual({ stage: 'AHU_DECREE', date: '2025-10-01' });
  });
});
