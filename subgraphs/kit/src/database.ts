import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite, type PGliteOptions, type Transaction } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { applyKitMigrations, applyMigrations, withMigrationLock, type MigrationResult, type SqlExecutor } from './migrate';
import { holdsSyntheticData } from './seed';
import { log } from './log';
import { retryOnLostConnection } from './lost-connection';
import { lockEmbeddedDatabase } from './embedded-lock';
import { embeddedDataDir } from './paths';
import { countingAdapter, StatementCounter } from './statements';
import { pgCountedRead, prismaCountedRead, type CountedRead } from './counted-read';

export { EmbeddedDatabaseBusyError } from './embedded-lock';

/** What a generated PrismaClient takes. The PGlite adapter ships its own copy of Prisma's adapter types; the runtime contract is the same. */
export type DriverAdapter = PrismaPg;

export interface DatabaseConfig {
  /** Subgraph name: names the embedded data folder and the env override. */
  subgraph: string;
  migrationsDir: string;
  /** PostgreSQL server URL; when absent the embedded PGlite database is used. */
  url?: string;
  /** Embedded data folder; `memory://` keeps it in memory (tests). */
  dataDir?: string;
  /**
   * The embedded database's starting contents, as `dump()` wrote them (tests: a seeded database
   * restored instead of built again). Migrations and the seed then find their work done.
   */
  snapshot?: Blob;
}

type PGliteAssets = Required<Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>>;
type WasmModule = PGliteAssets['pgliteWasmModule'];

let assets: Promise<PGliteAssets> | undefined;

/**
 * PGlite's WebAssembly modules and file bundle, compiled and read once per process: every
 * embedded database of the process (eight under `npm start`, many in the tests) shares them
 * instead of compiling its own (measured: opening the eight national databases 2.1-2.3 s → 1.1-1.8 s).
 */
function pgliteAssets(): Promise<PGliteAssets> {
  assets ??= (async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const file = (name: string) => readFileSync(path.join(dist, name));
    // The global exists in Node; the packages' tsconfigs (no DOM lib) do not declare it.
    const { compile } = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([compile(file('pglite.wasm')), compile(file('initdb.wasm'))]);
    return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([file('pglite.data')]) };
  })();
  return assets;
}

export interface Database<C> {
  prisma: C;
  sql: SqlExecutor;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for logs (no credentials). */
  location: string;
  statements: StatementCounter;
  /** A counted read by plain SQL, rows typed as Prisma reads them (counted-read.ts): what keyLoader uses. */
  read: CountedRead;
  migrations: MigrationResult;
  /** True when a seed loaded synthetic rows (the `_kopdes_seed` marker): served figures say so. */
  synthetic: boolean;
  /** Runs fn holding the migration lock (PostgreSQL advisory lock; PGlite has one connection and a lock file). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** An embedded database's contents, for `snapshot` (PGlite's data folder as a tar file); absent on PostgreSQL. */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
}

/** `<SUBGRAPH>_DATABASE_URL`, else `DATABASE_URL`, else undefined (embedded). */
export function databaseUrlFor(subgraph: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[`${subgraph.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`] ?? env.DATABASE_URL ?? undefined;
}

// Several embedded databases share one process in development: keep each one's
// buffers small (measured: ~45 MB per extra instance instead of ~260 MB).
const EMBEDDED_SETTINGS = ['shared_buffers=16MB', 'work_mem=8MB', 'temp_buffers=4MB'];

function pgliteExecutor(db: PGlite | Transaction): SqlExecutor {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      return (await db.query<R>(sql, params)).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
      if (!('transaction' in db)) return fn(pgliteExecutor(db));
      return db.transaction((tx) => fn(pgliteExecutor(tx)));
    },
  };
}

function pgExecutor(db: pg.Pool | pg.ClientBase): SqlExecutor {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      return (await db.query(sql, params)).rows as R[];
    },
    async exec(sql: string) {
      await db.query(sql);
    },
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>) {
      if (!(db instanceof pg.Pool)) return fn(pgExecutor(db));
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(pgExecutor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgresql://(unparseable url)';
  }
}

/**
 * Opens a subgraph's own database (PGlite by default, PostgreSQL when a URL is given),
 * applies its migrations, and returns a Prisma client whose statements are counted.
 */
export async function openDatabase<C extends { $disconnect(): Promise<void> }>(
  createClient: (adapter: DriverAdapter) => C,
  config: DatabaseConfig,
): Promise<Database<C>> {
  const statements = new StatementCounter();
  if (config.url) {
    const pool = new pg.Pool({ connectionString: config.url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    // An idle connection dropped by the server (restart, failover) must not crash the subgraph.
    pool.on('error', (error) => log.warn('idle database connection lost', { subgraph: config.subgraph, error: error.message }));
    const sql = pgExecutor(pool);
    const url = config.url;
    // The lock lives on a connection of its own, outside the pool: a pool of one must still migrate.
    const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
      const session = new pg.Client({ connectionString: url });
      await session.connect();
      try {
        return await withMigrationLock(pgExecutor(session), fn);
      } finally {
        await session.end().catch(() => undefined);
      }
    };
    try {
      const migrations = await exclusive(async () => {
        await applyKitMigrations(sql);
        return applyMigrations(sql, config.migrationsDir);
      });
      const synthetic = await holdsSyntheticData(sql);
      const prisma = createClient(countingAdapter(retryOnLostConnection(new PrismaPg(pool), config.subgraph), statements));
      return {
        prisma,
        sql,
        kind: 'postgres',
        location: redact(config.url),
        statements,
        migrations,
        synthetic,
        exclusive,
        read: pgCountedRead(pool, statements, config.subgraph),
        async close() {
          await prisma.$disconnect();
          await pool.end();
        },
      };
    } catch (error) {
      await pool.end();
      throw error;
    }
  }
  const dataDir = config.dataDir ?? embeddedDataDir(config.subgraph);
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => {} : lockEmbeddedDatabase(dataDir);
  let lite: PGlite | undefined;
  try {
    lite = new PGlite(dataDir, { ...(await pgliteAssets()), postgresqlconf: EMBEDDED_SETTINGS, ...(config.snapshot ? { loadDataDir: config.snapshot } : {}) });
    await lite.waitReady;
    const sql = pgliteExecutor(lite);
    await applyKitMigrations(sql);
    const migrations = await applyMigrations(sql, config.migrationsDir);
    const synthetic = await holdsSyntheticData(sql);
    const prisma = createClient(countingAdapter(new PrismaPGlite(lite) as unknown as DriverAdapter, statements));
    const opened = lite;
    return {
      prisma,
      sql,
      kind: 'pglite',
      location: dataDir,
      statements,
      migrations,
      synthetic,
      read: prismaCountedRead(prisma),
      exclusive: (fn) => fn(),
      dump: () => opened.dumpDataDir('none'),
      async close() {
        await prisma.$disconnect();
        await opened.close();
        unlock();
      },
    };
  } catch (error) {
    await lite?.close().catch(() => undefined);
    unlock();
    throw error;
  }
}
