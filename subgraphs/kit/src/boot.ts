import { pruneAccessRecord, retentionDaysFromEnv } from './access-record';
import { databaseUrlFor, openDatabase, type Database } from './database';
import { log } from './log';
import { holdsSyntheticData, seedOnce } from './seed';
import { createSubgraphServer, type SubgraphServer } from './server';
import { installRegionSummaries } from './summary';
import type { AnySubgraph } from './subgraph';

export interface BootOptions {
  /** PostgreSQL URL; default from `<NAME>_DATABASE_URL` / `DATABASE_URL`, else embedded PGlite. */
  url?: string;
  /** Embedded data folder (or `memory://`). */
  dataDir?: string;
  /** The embedded database's starting contents (tests; see DatabaseConfig.snapshot). */
  snapshot?: Blob;
  /**
   * Seed an empty database with the synthetic slice. Default: the embedded database yes; a
   * PostgreSQL database only with KOPDES_SEED_SYNTHETIC=true (see `seedPolicy`). Tests and
   * benchmarks pass `true`.
   */
  seed?: boolean;
  /** Region prefix to seed, e.g. "35.14"; national when absent. */
  scope?: string;
  /** Gateway public keys for caller tokens (tests); default from env or .secrets/. */
  gatewayKey?: import('jose').CryptoKey | import('jose').CryptoKey[];
  /** Purposes-of-use registry (tests); default from KOPDES_PURPOSES_FILE or schema/purposes.json. */
  purposes?: import('./purposes').PurposeRegistry;
}

/**
 * Whether a start seeds: the embedded database of `npm start` does; a PostgreSQL database is a
 * ministry's real one and is never seeded unless KOPDES_SEED_SYNTHETIC=true says the data may be invented.
 */
export function seedPolicy(options: Pick<BootOptions, 'seed'>, url: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (options.seed !== undefined) return options.seed;
  if (!url) return true;
  const flag = env.KOPDES_SEED_SYNTHETIC?.trim();
  if (flag && flag !== 'true' && flag !== 'false') throw new Error(`KOPDES_SEED_SYNTHETIC must be "true" or "false"; got "${flag}".`);
  return flag === 'true';
}

/** Opens the subgraph's database, migrates, seeds when empty and allowed (see `seedPolicy`). */
export async function openSubgraphDatabase(
  definition: AnySubgraph,
  options: BootOptions = {},
): Promise<{ db: Database<unknown>; seeded: boolean; seedMs: number }> {
  const url = options.url ?? databaseUrlFor(definition.name);
  const seeding = Boolean(definition.seed) && seedPolicy(options, url);
  const db = await openDatabase(definition.createClient, {
    subgraph: definition.name,
    migrationsDir: definition.migrationsDir,
    url,
    dataDir: options.dataDir,
    snapshot: options.snapshot,
  });
  const started = Date.now();
  let seeded = false;
  try {
    if (definition.seed && seeding) {
      const seed = definition.seed;
      // Under the same lock as migrations: two replicas told to seed seed once.
      seeded = await db.exclusive(() =>
        seedOnce(db.sql, definition.name, (tx) => seed(tx, options.scope), { synthetic: definition.syntheticSeed !== false, scope: options.scope }),
      );
      db.synthetic = await holdsSyntheticData(db.sql);
    }
    // After the seed, so a first start fills the summaries once from the seeded rows.
    const summaries = definition.summaries ?? [];
    if (summaries.length > 0) await db.exclusive(() => installRegionSummaries(db.sql, summaries));
  } catch (error) {
    await db.close();
    throw error;
  }
  return { db, seeded, seedMs: Date.now() - started };
}

/**
 * Access-record retention for a subgraph holding personal data: prunes reads older than
 * ACCESS_RECORD_RETENTION_DAYS now and once a day (a failure is logged and retried the next day).
 */
export function scheduleRetention(definition: AnySubgraph, db: Database<unknown>, days = retentionDaysFromEnv()): () => Promise<void> {
  if (!definition.personalData?.length) return async () => {};
  const prune = () =>
    pruneAccessRecord(db.sql, days).then(
      ({ pruned }) => {
        if (pruned > 0) log.info('access record pruned', { subgraph: definition.name, pruned, retentionDays: days });
      },
      (error: unknown) => log.error('access record pruning failed', { subgraph: definition.name, error: (error as Error).message }),
    );
  const first = prune();
  let running = first;
  const timer = setInterval(() => {
    running = prune();
  }, 86_400_000).unref();
  return async () => {
    clearInterval(timer);
    await running; // the database closes after
  };
}

/** Database + server, ready to listen: what tests and the dev runner use. */
export async function bootSubgraph(definition: AnySubgraph, options: BootOptions = {}): Promise<SubgraphServer> {
  const { db } = await openSubgraphDatabase(definition, options);
  try {
    const server = await createSubgraphServer(definition, db, { gatewayKey: options.gatewayKey, purposes: options.purposes });
    const stopRetention = scheduleRetention(definition, db);
    const stop = server.stop.bind(server);
    server.stop = async (deadlineMs) => {
      await stopRetention();
      return stop(deadlineMs);
    };
    return server;
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * Entry point for a subgraph process: PORT, HOST, signals, non-zero exit on failure.
 * With `--migrate-only` it migrates its database and exits (a Kubernetes Job or init container).
 */
export async function runSubgraph(definition: AnySubgraph): Promise<void> {
  try {
    if (process.argv.includes('--migrate-only')) {
      const { db } = await openSubgraphDatabase(definition, { seed: false });
      log.info('subgraph database migrated', { subgraph: definition.name, database: db.location, applied: db.migrations.applied });
      await db.close();
      process.exit(0);
    }
    const server = await bootSubgraph(definition, { scope: process.env.KOPDES_SEED_SCOPE || undefined });
    const url = await server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
    log.info('subgraph listening', { subgraph: definition.name, url, database: server.db.kind, syntheticData: server.db.synthetic });
    const shutdown = () => {
      server.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (error) {
    log.error('subgraph failed to start', { subgraph: definition.name, error: error instanceof Error ? error.stack : String(error) });
    process.exit(1);
  }
}
