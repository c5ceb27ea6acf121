import type { SqlExecutor } from './migrate';

/**
 * Multi-row INSERTs in chunks: the fastest load path measured on PGlite (83,762 rows in
 * well under a second), and the same SQL on PostgreSQL.
 */
export async function insertRows(db: SqlExecutor, table: string, columns: string[], rows: unknown[][], chunk = 2000): Promise<void> {
  const cols = columns.map((c) => `"${c}"`).join(', ');
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk);
    const params: unknown[] = [];
    const tuples = slice.map((row) => `(${row.map((value) => { params.push(value); return `$${params.length}`; }).join(', ')})`);
    await db.query(`INSERT INTO "${table}" (${cols}) VALUES ${tuples.join(', ')}`, params);
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
