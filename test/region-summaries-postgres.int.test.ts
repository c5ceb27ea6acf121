import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveRegionRows, openSubgraphDatabase, summaryTable, type Database } from '@kopdes/kit';
import { TEST_SCOPE } from '@kopdes/kit/testing';
import { labour } from '@kopdes/labour';

/**
 * On PostgreSQL, two transactions writing in the same regency at once: the second one's refresh
 * waits for the first to commit and then recomputes from what both wrote, so the summary holds one
 * row per region, equal to a recomputation (without that wait both would insert their rows).
 */
const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const name = `kopdes_test_summary_${process.pid}_${Date.now().toString(36)}`;
const url = (() => {
  const u = new URL(SERVER);
  u.pathname = `/${name}`;
  return u.toString();
})();
const admin = new pg.Client({ connectionString: SERVER });
let db: Database<unknown>;
const LABOUR_SUMMARY = labour.summaries![0]!;

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  ({ db } = await openSubgraphDatabase(labour, { url, scope: TEST_SCOPE, seed: true }));
});

afterAll(async () => {
  await db?.close();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

describe('region summaries on PostgreSQL', () => {
  it('stay one row per region under concurrent writes to the same regency', async () => {
    const [a, b] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all([a.connect(), b.connect()]);
    try {
      const ids = (await a.query<{ cooperativeId: string }>(`SELECT "cooperativeId" FROM "Workforce" ORDER BY 1 LIMIT 2`)).rows.map((r) => r.cooperativeId);
      const bPid = (await b.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await a.query('BEGIN');
      await b.query('BEGIN');
      await a.query(`UPDATE "Workforce" SET employees = employees + 11 WHERE "cooperativeId" = $1`, [ids[0]]);
      let bDone = false;
      const bWrite = b.query(`UPDATE "Workforce" SET employees = employees + 13 WHERE "cooperativeId" = $1`, [ids[1]]).then(() => {
        bDone = true;
      });
      // b's refresh waits for a's transaction (a lock wait, seen in pg_stat_activity), however long that takes.
      for (let waited = false; !waited;) {
        const [row] = (await a.query<{ wait: string | null }>('SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1', [bPid])).rows;
        waited = row?.wait === 'Lock';
        if (!waited) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(bDone).toBe(false);
      await a.query('COMMIT');
      await bWrite;
      await b.query('COMMIT');
    } finally {
      await Promise.allSettled([a.end(), b.end()]);
    }
    const [rows] = await Promise.all([
      db.sql.query<{ level: string; code: string; n: number }>(
        `SELECT level, code, count(*)::int AS n FROM "${summaryTable(LABOUR_SUMMARY)}" GROUP BY 1, 2 HAVING count(*) > 1`,
      ),
    ]);
    expect(rows).toEqual([]);
    const stored = await db.sql.query<{ code: string; employees: number }>(
      `SELECT code, employees FROM "${summaryTable(LABOUR_SUMMARY)}" ORDER BY level, code`,
    );
    const prisma = db.prisma as Parameters<typeof liveRegionRows>[0];
    const expected = [
      ...(await liveRegionRows<{ code: string; employees: number }>(prisma, LABOUR_SUMMARY, [{ column: 'provinceCode', within: null }])),
      ...(await liveRegionRows<{ code: string; employees: number }>(prisma, LABOUR_SUMMARY, [{ column: 'regencyCode', within: null }])),
    ].map((r) => ({ code: r.code, employees: r.employees }));
    expect(stored.map((r) => ({ code: r.code, employees: r.employees }))).toEqual(expected);
  });
});
