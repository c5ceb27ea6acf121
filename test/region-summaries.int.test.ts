import { afterAll, describe, expect, it } from 'vitest';
import { type AnySubgraph, decisionMemo, deferSummaryRefresh, liveRegionRows, refillRegionSummaries, type RegionSummary, summaryTable } from '@kopdes/kit';
import { PUBLIC, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { cooperatives } from '@kopdes/cooperatives';
import { digital } from '@kopdes/digital';
import { energy } from '@kopdes/energy';
import { financing } from '@kopdes/financing';
import { labour } from '@kopdes/labour';
import { villages } from '@kopdes/villages';

/**
 * Every region summary equals a recomputation from its base rows: after the seed, and after writes
 * that change figures, move rows between regions (the old and the new regency both change) and
 * delete rows, each a plain SQL statement on a base table (so whatever writes, the triggers keep up).
 */
const SUBGRAPHS: AnySubgraph[] = [cooperatives, financing, energy, digital, labour, villages];
/** Each subgraph's aggregate field on Province. */
const FIELD: Record<string, string> = {
  cooperatives: 'registry',
  financing: 'financing',
  energy: 'energy',
  digital: 'digital',
  labour: 'labour',
  villages: 'development',
};

type Row = Record<string, unknown>;
type Sql = { $queryRawUnsafe<T>(sql: string, ...values: unknown[]): Promise<T>; $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number> };

/** A row as comparable text: exact integers and dates, floats to 6 decimals (a sum's order may differ). */
const canonical = (row: Row) =>
  JSON.stringify(
    Object.keys(row)
      .sort()
      .map((k) => {
        const v = row[k];
        if (typeof v === 'bigint') return v.toString();
        if (v instanceof Date) return v.toISOString();
        if (typeof v === 'number' && !Number.isInteger(v)) return v.toFixed(6);
        return v;
      }),
  );

async function stored(db: Sql, summary: RegionSummary): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Row[]>(`SELECT * FROM "${summaryTable(summary)}"`);
  return rows.map(canonical).sort();
}

async function recomputed(db: Sql, summary: RegionSummary): Promise<string[]> {
  const rows: Row[] = [];
  for (const column of ['provinceCode', 'regencyCode'] as const) {
    for (const row of await liveRegionRows<Row>(db, summary, [{ column, within: null }])) rows.push({ level: column, ...row });
  }
  return rows.map(canonical).sort();
}

async function version(db: Sql, summary: RegionSummary): Promise<bigint> {
  const [row] = await db.$queryRawUnsafe<{ version: bigint }[]>(`SELECT version FROM "_kopdes_summary" WHERE aggregate = $1`, summary.name);
  return BigInt(row!.version);
}

const running: TestSubgraph[] = [];
afterAll(async () => {
  await Promise.allSettled(running.map((s) => s.stop()));
});

describe.each(SUBGRAPHS.map((definition) => [definition.name, definition] as const))('%s region summaries', (_name, definition) => {
  let subgraph: TestSubgraph;
  let db: Sql;
  const summaries = definition.summaries ?? [];

  it('declares a summary, filled at start-up to equal a recomputation from the seeded rows', async () => {
    subgraph = await startTestSubgraph(definition);
    running.push(subgraph);
    db = subgraph.server.db.prisma as Sql;
    expect(summaries.length).toBeGreaterThan(0);
    for (const summary of summaries) {
      const expected = await recomputed(db, summary);
      expect(expected.length).toBeGreaterThan(1); // the test region's province and regency at least
      expect(await stored(db, summary)).toEqual(expected);
    }
  });

  it('memoises the public decisions per summary version: a repeat reuses them, a write moves the version', async () => {
    const summary = summaries[0]!;
    const memo = decisionMemo(db, summary)!;
    const ask = async () => {
      const { body } = await subgraph.query(
        `{ _entities(representations: [{ __typename: "Province", code: "35" }]) { ... on Province { ${FIELD[definition.name]} { suppressed { field } } } } }`,
        {},
        { caller: PUBLIC },
      );
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const first = await ask();
    const decided = [...memo.cache.values()];
    expect(decided.map((d) => d.version)).toContain(String(await version(db, summary)));
    expect(await ask()).toEqual(first);
    expect([...memo.cache.values()].map((d) => d.decided)).toEqual(decided.map((d) => d.decided)); // the same decisions, reused
    await db.$executeRawUnsafe(
      `UPDATE "${summary.tables[0]}" SET "regencyCode" = "regencyCode" WHERE "provinceCode" = '35' AND ctid IN (SELECT ctid FROM "${summary.tables[0]}" WHERE "provinceCode" = '35' LIMIT 1)`,
    );
    await ask();
    expect([...memo.cache.values()].map((d) => d.version)).toContain(String(await version(db, summary)));
  });

  it('stays equal to a recomputation after updates, moves between regions and deletes, with its version moving', async () => {
    for (const summary of summaries) {
      for (const table of summary.tables) {
        const before = await version(db, summary);
        // Move the rows of two villages to another regency of another province: the old and the new regions both change.
        const moved = await db.$executeRawUnsafe(
          `UPDATE "${table}" SET "regencyCode" = '36.01', "provinceCode" = '36' WHERE "villageCode" IN (SELECT "villageCode" FROM "${table}" WHERE "provinceCode" <> '36' ORDER BY ctid LIMIT 2)`,
        );
        expect(moved).toBeGreaterThan(0);
        expect(await version(db, summary)).toBeGreaterThan(before);
        // Delete one row (a table others reference may refuse; the update above has checked the triggers on it).
        await db.$executeRawUnsafe(`DELETE FROM "${table}" WHERE ctid IN (SELECT ctid FROM "${table}" ORDER BY ctid DESC LIMIT 1)`).catch(() => 0);
        expect(await stored(db, summary)).toEqual(await recomputed(db, summary));
      }
    }
  });

  it('is refilled once at the end of a bulk load that deferred the per-statement refresh', async () => {
    const sql = subgraph.server.db.sql;
    await sql.transaction(async (tx) => {
      await deferSummaryRefresh(tx);
      for (const summary of summaries) {
        const table = summary.tables[0]!;
        await tx.query(
          `UPDATE "${table}" SET "regencyCode" = '36.02', "provinceCode" = '36' WHERE "villageCode" IN (SELECT "villageCode" FROM "${table}" WHERE "provinceCode" <> '36' ORDER BY ctid LIMIT 3)`,
        );
        // Deferred: the summary still holds what it held before the load.
        const inside = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${summaryTable(summary)}" WHERE code = '36.02'`);
        expect(inside[0]!.n).toBe(0);
      }
      await refillRegionSummaries(tx, summaries);
    });
    for (const summary of summaries) expect(await stored(db, summary)).toEqual(await recomputed(db, summary));
  });
});
