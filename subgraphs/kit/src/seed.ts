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
      columns.forEach((column, i) => { record[column] = jsonValue(row[i]); });
      return record;
    });
    await db.query(sql, [JSON.stringify(records, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))]);
  }
}

/** Seeds only an empty database: a marker table row says the seed completed. */
export async function seedOnce(db: SqlExecutor, seedName: string, seed: (tx: SqlExecutor) => Promise<void>): Promise<boolean> {
  await db.exec('CREATE TABLE IF NOT EXISTS "_kopdes_seed" (name TEXT PRIMARY KEY, scope TEXT, seeded_at TIMESTAMPTZ NOT NULL DEFAULT now())');
  const done = await db.query('SELECT 1 FROM "_kopdes_seed" WHERE name = $1', [seedName]);
  if (done.length > 0) return false;
  await db.transaction(async (tx) => {
    await seed(tx);
    await tx.query('INSERT INTO "_kopdes_seed" (name, scope) VALUES ($1, $2)', [seedName, process.env.KOPDES_SEED_SCOPE ?? 'national']);
  });
  return true;
}
