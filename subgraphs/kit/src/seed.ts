import type { SqlExecutor } from './migrate';

function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Bulk insert: each chunk is ONE statement with ONE parameter, a JSON array that Postgres
 * expands with json_populate_recordset, converting every value to its column's type (enums,
 * dates, bigint, jsonb). Binding one parameter per value was the seed's main cost (measured:
 * about 3x slower on PGlite). Columns left out take their defaults; jsonb columns take
 * objects or arrays as they are.
 */
export async function insertRows(db: SqlExecutor, table: string, columns: string[], rows: unknown[][], chunk = 5000): Promise<void> {
  const cols = columns.map((c) => `"${c}"`).join(', ');
  const sql = `INSERT INTO "${table}" (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::"${table}", $1::json)`;
  for (let start = 0; start < rows.length; start += chunk) {
    const records = rows.slice(start, start + chunk).map((row) => {
      const record: Record<string, unknown> = {};
      columns.forEach((column, i) => {
        record[column] = jsonValue(row[i]);
      });
      return record;
    });
    await db.query(sql, [JSON.stringify(records, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))]);
  }
}

/** The suffix every `source` of a database holding synthetic rows carries (see synthetic-label.ts). */
export const SYNTHETIC_LABEL = 'synthetic development data';

/**
 * The seed marker: one row per completed seed, saying whether what it loaded is synthetic. It is
 * how a database holding invented rows says so wherever its figures are served.
 */
async function ensureSeedTable(db: SqlExecutor): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS "_kopdes_seed" (name TEXT PRIMARY KEY, scope TEXT, seeded_at TIMESTAMPTZ NOT NULL DEFAULT now());
    ALTER TABLE "_kopdes_seed" ADD COLUMN IF NOT EXISTS synthetic BOOLEAN NOT NULL DEFAULT true`);
}

/** Seeds only an empty database: a marker table row says the seed completed, and whether it was synthetic. */
export async function seedOnce(
  db: SqlExecutor,
  seedName: string,
  seed: (tx: SqlExecutor) => Promise<void>,
  options: { synthetic?: boolean; scope?: string } = {},
): Promise<boolean> {
  await ensureSeedTable(db);
  const done = await db.query('SELECT 1 FROM "_kopdes_seed" WHERE name = $1', [seedName]);
  if (done.length > 0) return false;
  await db.transaction(async (tx) => {
    await seed(tx);
    await tx.query('INSERT INTO "_kopdes_seed" (name, scope, synthetic) VALUES ($1, $2, $3)', [
      seedName,
      options.scope ?? 'national',
      options.synthetic ?? true,
    ]);
  });
  return true;
}

/** True when a seed loaded synthetic rows into this database (the marker table says so). */
export async function holdsSyntheticData(db: SqlExecutor): Promise<boolean> {
  const [table] = await db.query<{ exists: boolean }>(`SELECT to_regclass('"_kopdes_seed"') IS NOT NULL AS exists`);
  if (!table?.exists) return false;
  const [row] = await db.query<{ synthetic: boolean | null }>(`SELECT bool_or(synthetic) AS synthetic FROM "_kopdes_seed"`).catch(async () => {
    // A marker table from before the synthetic column: every seed then was synthetic.
    const rows = await db.query('SELECT 1 FROM "_kopdes_seed" LIMIT 1');
    return [{ synthetic: rows.length > 0 }];
  });
  return row?.synthetic === true;
}
