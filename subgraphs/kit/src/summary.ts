import { createHash } from 'node:crypto';
import type { RegionColumn } from './disclosure-loader';
import type { SqlExecutor } from './migrate';

/**
 * A region aggregate kept summarised per province and per regency, so that reading every province
 * (the dashboard) is a read of a few hundred rows, not a GROUP BY over every cooperative.
 *
 * The summary is the aggregate's own grouped select, stored: `_kopdes_summary_<name>` holds its
 * output rows for both levels (column `level` says which). Statement-level triggers on the base
 * tables recompute the regencies and provinces a statement touched, from the base rows, in the
 * writing transaction: a write and the figures it changes commit together, whichever code path
 * wrote (mutation, import, psql). Villages are not summarised: a regency's villages are a few
 * hundred base rows read through an index.
 */
export interface RegionSummary {
  /** Aggregate name, e.g. "financing": names the summary table and its triggers. */
  name: string;
  /** Base tables whose rows the figures are computed from; each carries "regencyCode" and "provinceCode". */
  tables: readonly string[];
  /**
   * The figures per region of one level, grouped by that level's column AS code: the select the
   * subgraph's loader runs (regionGroupsSql's `select`). It must take no parameters: `where` is the
   * only filter (on the table aliased `alias`, when given).
   */
  select(column: RegionColumn, where: (alias?: string) => string): string;
  /** A numeric column the select groups by besides the region (e.g. "year"): a loader's `table` selects its value. */
  tableColumn?: string;
}

/** Changes to the trigger code below rebuild every summary (the hash covers it). */
const FORMAT = 'region-summary/2';
const SUMMARY_LEVELS = ['provinceCode', 'regencyCode'] as const;

const ident = (name: string) => {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new Error(`Region summary name or table "${name}" must be letters, digits and _ (it names SQL objects).`);
  return name;
};
export const summaryTable = (summary: Pick<RegionSummary, 'name'>) => `_kopdes_summary_${ident(summary.name)}`;
const refreshFunction = (summary: RegionSummary) => `${summaryTable(summary)}_refresh`;
const triggerName = (summary: RegionSummary, table: string, op: string) => `${summaryTable(summary)}_${ident(table).toLowerCase()}_${op}`;

/** The stored select of one level, filtered by `filter` on that level's column (an SQL expression). */
function levelSelect(summary: RegionSummary, column: RegionColumn, filter: (columnRef: string) => string): string {
  return `SELECT '${column}'::text AS level, s.* FROM (${summary.select(column, (alias) => filter(`${alias ? `${alias}.` : ''}"${column}"`))}) s`;
}

/**
 * The trigger function: the regencies of the rows a statement inserted, updated (old and new) or
 * deleted, and their provinces, recomputed from the base tables. `kopdes.summary_bulk` = 'on'
 * (a bulk load in one transaction) skips it; the load then calls refillRegionSummaries.
 */
function refreshFunctionSql(summary: RegionSummary): string {
  const table = summaryTable(summary);
  return `CREATE OR REPLACE FUNCTION "${refreshFunction(summary)}"() RETURNS trigger LANGUAGE plpgsql AS $kopdes$
DECLARE
  _kopdes_regencies text[];
  _kopdes_provinces text[];
BEGIN
  IF current_setting('kopdes.summary_bulk', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT "regencyCode") INTO _kopdes_regencies FROM kopdes_new;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT "regencyCode") INTO _kopdes_regencies FROM kopdes_old;
  ELSE
    SELECT array_agg(DISTINCT r) INTO _kopdes_regencies FROM (SELECT "regencyCode" AS r FROM kopdes_new UNION SELECT "regencyCode" FROM kopdes_old) c;
  END IF;
  IF _kopdes_regencies IS NULL THEN RETURN NULL; END IF;
  -- First, so it serialises refreshes: a concurrent writer waits here for this transaction to end, and
  -- its statements below (new snapshots, READ COMMITTED) then see what this one wrote: no duplicate rows.
  UPDATE "_kopdes_summary" SET version = version + 1, refreshed_at = now() WHERE aggregate = '${ident(summary.name)}';
  _kopdes_provinces := ARRAY(SELECT DISTINCT split_part(r, '.', 1) FROM unnest(_kopdes_regencies) r);
  DELETE FROM "${table}" WHERE (level = 'regencyCode' AND code = ANY(_kopdes_regencies)) OR (level = 'provinceCode' AND code = ANY(_kopdes_provinces));
  INSERT INTO "${table}" ${levelSelect(summary, 'regencyCode', (c) => `${c} = ANY(_kopdes_regencies)`)};
  INSERT INTO "${table}" ${levelSelect(summary, 'provinceCode', (c) => `${c} = ANY(_kopdes_provinces)`)};
  RETURN NULL;
END
$kopdes$`;
}

function triggersSql(summary: RegionSummary): string[] {
  return summary.tables.flatMap((base) => [
    `CREATE TRIGGER "${triggerName(summary, base, 'ins')}" AFTER INSERT ON "${ident(base)}" REFERENCING NEW TABLE AS kopdes_new FOR EACH STATEMENT EXECUTE FUNCTION "${refreshFunction(summary)}"()`,
    `CREATE TRIGGER "${triggerName(summary, base, 'upd')}" AFTER UPDATE ON "${ident(base)}" REFERENCING OLD TABLE AS kopdes_old NEW TABLE AS kopdes_new FOR EACH STATEMENT EXECUTE FUNCTION "${refreshFunction(summary)}"()`,
    `CREATE TRIGGER "${triggerName(summary, base, 'del')}" AFTER DELETE ON "${ident(base)}" REFERENCING OLD TABLE AS kopdes_old FOR EACH STATEMENT EXECUTE FUNCTION "${refreshFunction(summary)}"()`,
  ]);
}

function dropTriggersSql(summary: RegionSummary): string[] {
  return summary.tables.flatMap((base) => ['ins', 'upd', 'del'].map((op) => `DROP TRIGGER IF EXISTS "${triggerName(summary, base, op)}" ON "${ident(base)}"`));
}

/** What the summary is built from: its select at both levels, its tables and the trigger code. */
export function summaryDefinitionHash(summary: RegionSummary): string {
  return createHash('sha256')
    .update(JSON.stringify([FORMAT, summary.tables, refreshFunctionSql(summary), triggersSql(summary)]))
    .digest('hex');
}

/** Replaces every row of the summary with a recomputation from the base tables (both levels, one statement each). */
async function fill(tx: SqlExecutor, summary: RegionSummary): Promise<void> {
  const table = summaryTable(summary);
  await tx.query(`DELETE FROM "${table}"`);
  for (const level of SUMMARY_LEVELS) await tx.query(`INSERT INTO "${table}" ${levelSelect(summary, level, () => 'true')}`);
}

export interface SummaryInstall {
  name: string;
  /** True when the table and triggers were (re)built and filled; false when they were current. */
  built: boolean;
}

/**
 * Creates (or, when its definition changed, rebuilds) each summary table, fills it from the base
 * tables and installs its triggers, in one transaction per summary. Run at start-up after the
 * migrations and the seed, under the migration lock: an existing database gets its summaries on
 * its first start with this code, and an up-to-date one costs one lookup per summary.
 */
export async function installRegionSummaries(db: SqlExecutor, summaries: readonly RegionSummary[]): Promise<SummaryInstall[]> {
  const done: SummaryInstall[] = [];
  for (const summary of summaries) {
    const hash = summaryDefinitionHash(summary);
    const [current] = await db.query<{ definition_hash: string }>(`SELECT definition_hash FROM "_kopdes_summary" WHERE aggregate = $1`, [summary.name]);
    if (current?.definition_hash === hash) {
      done.push({ name: summary.name, built: false });
      continue;
    }
    await db.transaction(async (tx) => {
      const table = summaryTable(summary);
      for (const statement of dropTriggersSql(summary)) await tx.query(statement);
      await tx.query(`DROP TABLE IF EXISTS "${table}"`);
      await tx.query(`CREATE TABLE "${table}" AS ${levelSelect(summary, 'provinceCode', () => 'false')} WITH NO DATA`);
      await tx.query(`CREATE INDEX "${table}_level_code_idx" ON "${table}" (level, code)`);
      await fill(tx, summary);
      await tx.query(refreshFunctionSql(summary));
      for (const statement of triggersSql(summary)) await tx.query(statement);
      await tx.query(
        `INSERT INTO "_kopdes_summary" (aggregate, definition_hash) VALUES ($1, $2)
         ON CONFLICT (aggregate) DO UPDATE SET definition_hash = $2, version = "_kopdes_summary".version + 1, filled_at = now(), refreshed_at = now()`,
        [summary.name, hash],
      );
    });
    done.push({ name: summary.name, built: true });
  }
  return done;
}

/**
 * For a bulk load in one transaction (a national import): skip the per-statement refresh for the
 * rest of `tx`, then refill the summaries once at the end with refillRegionSummaries.
 */
export async function deferSummaryRefresh(tx: SqlExecutor): Promise<void> {
  await tx.query(`SELECT set_config('kopdes.summary_bulk', 'on', true)`);
}

/** Recomputes every row of the summaries from the base tables, inside `tx`, and turns the per-statement refresh back on. */
export async function refillRegionSummaries(tx: SqlExecutor, summaries: readonly RegionSummary[]): Promise<void> {
  await tx.query(`SELECT set_config('kopdes.summary_bulk', 'off', true)`);
  for (const summary of summaries) {
    const [exists] = await tx.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`"${summaryTable(summary)}"`]);
    if (!exists?.exists) continue; // installed (and filled) at the next start
    await fill(tx, summary);
    await tx.query(`UPDATE "_kopdes_summary" SET version = version + 1, refreshed_at = now() WHERE aggregate = $1`, [summary.name]);
  }
}
