import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Minimal SQL access the migrator and seeders need, for PGlite and node-postgres alike. */
export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<void>;
  /** Runs fn inside one transaction on one connection. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

const migrationsTable = (table: string) => `CREATE TABLE IF NOT EXISTS "${table}" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies `prisma/migrations/<name>/migration.sql` files in order, each in its own
 * transaction, recording them in Prisma's own `_prisma_migrations` table so that
 * `prisma migrate deploy` and this migrator agree on what has run. A migration whose file
 * changed after it was applied stops start-up: history is never rewritten silently.
 */
export async function applyMigrations(db: SqlExecutor, migrationsDir: string, table = '_prisma_migrations'): Promise<MigrationResult> {
  await db.exec(migrationsTable(table));
  const done = new Map(
    (
      await db.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "${table}" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
    ).map((r) => [r.migration_name, r.checksum]),
  );
  const names = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const applied: string[] = [];
  for (const name of names) {
    const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    const previous = done.get(name);
    if (previous !== undefined) {
      if (previous !== checksum) {
        throw new Error(`Migration ${name} in ${migrationsDir} was edited after it was applied. Add a new migration instead of changing an applied one.`);
      }
      continue;
    }
    await db.transaction(async (tx) => {
      await tx.exec(sql);
      await tx.query(
        `INSERT INTO "${table}" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), checksum, name],
      );
    });
    applied.push(name);
  }
  return { applied, alreadyApplied: names.length - applied.length };
}

/**
 * Key of the PostgreSQL advisory lock every replica of a subgraph takes around migrating (and
 * seeding). One database per subgraph, so one key serves them all.
 */
export const MIGRATION_LOCK_KEY = 4_101_015_025;

/**
 * Runs fn while holding the migration lock on `session` (one connection, kept for the whole
 * of fn): replicas starting together migrate one after the other, and each later one finds the
 * migrations applied. The lock is released when fn ends, or by the server if the process dies.
 */
export async function withMigrationLock<T>(session: SqlExecutor, fn: () => Promise<T>): Promise<T> {
  await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    return await fn();
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}

/** The kit's own tables (idempotency keys, audit log), tracked apart from the subgraph's Prisma history. */
export const KIT_MIGRATIONS_DIR = new URL('../migrations', import.meta.url).pathname;

export async function applyKitMigrations(db: SqlExecutor): Promise<MigrationResult> {
  return applyMigrations(db, KIT_MIGRATIONS_DIR, '_kopdes_kit_migrations');
}
