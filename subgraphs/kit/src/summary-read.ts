import { LRUCache } from 'lru-cache';
import { type RegionGroup, regionGroupsSql } from './disclosure-loader';
import { summaryTable, type RegionSummary } from './summary';
import type { RawSql } from './writes';

export const SUMMARIES_ENV = 'REGION_SUMMARIES';

/**
 * Whether region aggregates are read from their summaries (default) or computed from the base rows
 * on every request (REGION_SUMMARIES=false: to measure what the summaries buy, or to rule them out).
 * The triggers keep the summaries current either way.
 */
export function summariesEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const text = env[SUMMARIES_ENV]?.trim();
  if (!text || text === 'true') return true;
  if (text === 'false') return false;
  throw new Error(`${SUMMARIES_ENV}="${text}" must be "true" or "false".`);
}

/** Numeric column values a read must match besides the region (e.g. { year: 2025 }); written into the SQL as numbers. */
export type SummaryMatch = Readonly<Record<string, number>>;

function matchSql(match: SummaryMatch): string {
  return Object.entries(match)
    .map(([column, value]) => {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(column) || !Number.isFinite(value)) throw new Error(`Bad summary match ${column}=${value}.`);
      return ` AND "${column}" = ${Number(value)}`;
    })
    .join('');
}

/** The aggregate's select over the base rows, for the groups (what every read did before summaries). */
export function liveRegionRows<Raw>(db: RawSql, summary: RegionSummary, groups: readonly RegionGroup[], match: SummaryMatch = {}): Promise<Raw[]> {
  const { sql, params } = regionGroupsSql(groups, (column, where) => summary.select(column, (alias) => `${where(alias)}${matchSql(match)}`));
  return db.$queryRawUnsafe<Raw[]>(sql, ...params);
}

/**
 * The rows for a batch of region groups, in one statement: provinces and regencies from the summary,
 * villages from the base rows (the summary table has the select's columns after `level`, so the two
 * line up in a UNION ALL), with the summary's version read in the same snapshot. With summaries off
 * (REGION_SUMMARIES=false), all from the base rows, and no version.
 */
export async function summaryRows<Raw>(
  db: RawSql,
  summary: RegionSummary,
  groups: readonly RegionGroup[],
  match: SummaryMatch = {},
): Promise<Raw[] & { summaryVersion?: string }> {
  if (!summariesEnabled()) return liveRegionRows<Raw>(db, summary, groups, match);
  const params: unknown[] = [summary.name];
  const version = `(SELECT version FROM "_kopdes_summary" WHERE aggregate = $1)::text AS "_summaryVersion"`;
  const selects = groups
    .filter((g) => g.column !== 'villageCode')
    .map((group) => {
      const within = group.within ? ` AND split_part(code, '.', 1) = ANY($${params.push([...group.within])})` : '';
      return `SELECT *, ${version} FROM "${summaryTable(summary)}" WHERE level = '${group.column}'${within}${matchSql(match)}`;
    });
  const villages = groups.filter((g) => g.column === 'villageCode');
  if (villages.length > 0) {
    const live = regionGroupsSql(
      villages,
      (column, where) =>
        `SELECT '${column}'::text AS level, s.*, ${version} FROM (${summary.select(column, (alias) => `${where(alias)}${matchSql(match)}`)}) s`,
      params.length + 1,
    );
    params.push(...live.params);
    selects.push(live.sql);
  }
  const rows = await db.$queryRawUnsafe<(Raw & { level?: string; _summaryVersion?: string })[]>(selects.join('\nUNION ALL\n'), ...params);
  const summaryVersion = rows[0]?._summaryVersion;
  for (const row of rows) {
    delete row.level;
    delete row._summaryVersion;
  }
  return Object.assign(rows as Raw[], { summaryVersion });
}

/**
 * What disclosedAggregateLoader needs to read an aggregate through its summary: the rows of a batch
 * (folded by `fold` when the select's rows are not yet the aggregate's; a loader's table, when the
 * summary has a tableColumn, is that column's value) and the memo of its decisions.
 */
export function summarisedAggregate<Raw, Row = Raw>(
  db: RawSql,
  summary: RegionSummary,
  fold?: (rows: Raw[]) => Row[],
): { fetch(groups: RegionGroup[], table: string): Promise<Row[] & { summaryVersion?: string }>; memo?: DecisionMemo } {
  return {
    fetch: async (groups, table) => {
      const rows = await summaryRows<Raw>(db, summary, groups, summary.tableColumn && table !== '' ? { [summary.tableColumn]: Number(table) } : {});
      return Object.assign(fold ? fold(rows) : (rows as unknown as Row[]), { summaryVersion: rows.summaryVersion });
    },
    memo: decisionMemo(db, summary),
  };
}

/**
 * Disclosure decisions memoised per summary version: a cell's decision depends only on the rows of
 * its groups, which change only when the version does (a write's trigger bumps it in the writing
 * transaction). Per database (a process may host one subgraph on several databases, as tests do),
 * bounded, and off with the summaries.
 */
export interface DecisionMemo {
  /** The summary's current version, read from the database. */
  version(): Promise<string | null>;
  /** Per table and regions asked: the version the decisions were made at, and the decisions. */
  cache: LRUCache<string, { version: string; decided: unknown }>;
}

const memos = new WeakMap<object, Map<string, DecisionMemo>>();

/** The memo of one summary on one database (`db`: the subgraph's Prisma client). */
export function decisionMemo(db: RawSql, summary: RegionSummary): DecisionMemo | undefined {
  if (!summariesEnabled()) return undefined;
  let byName = memos.get(db);
  if (!byName) memos.set(db, (byName = new Map()));
  let memo = byName.get(summary.name);
  if (!memo) {
    memo = {
      version: async () => {
        const rows = await db.$queryRawUnsafe<{ version: string }[]>(
          `SELECT version::text AS version FROM "_kopdes_summary" WHERE aggregate = $1`,
          summary.name,
        );
        return rows[0]?.version ?? null;
      },
      // A decided group holds its rows: 64 groups are a few MB at most (a regency's villages).
      cache: new LRUCache<string, { version: string; decided: unknown }>({ max: 64 }),
    };
    byName.set(summary.name, memo);
  }
  return memo;
}
