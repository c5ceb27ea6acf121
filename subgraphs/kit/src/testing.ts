import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bootSubgraph } from './boot';
import type { SubgraphServer } from './server';
import type { PurposeRegistry } from './purposes';
import type { AnySubgraph, Caller } from './subgraph';
export { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { CALLER_HEADER, generateSigningKeys, signCaller, type SigningKeys } from './trust';

export const ADMIN: Caller = { subject: 'test-admin', role: 'admin' };
export const ANALYST: Caller = { subject: 'test-analyst', role: 'analyst' };
export const PUBLIC: Caller = { subject: 'anonymous', role: 'public' };
export const officerOf = (ministry: string): Caller => ({ subject: `test-officer-${ministry}`, role: 'officer', ministry });
/** The same caller, reading under a registered purpose of use (schema/purposes.json). */
export const withPurpose = (caller: Caller, purpose: string): Caller => ({ ...caller, purpose });

let sharedKeys: Promise<SigningKeys> | undefined;
/** One signing key pair per test process, playing the gateway. */
export function testSigningKeys(): Promise<SigningKeys> {
  sharedKeys ??= generateSigningKeys();
  return sharedKeys;
}

/** Where the test run keeps its seeded in-memory databases (set by the run's global setup, removed after it). */
export const TEST_SNAPSHOTS_ENV = 'KOPDES_TEST_SNAPSHOTS';

/**
 * The file holding a subgraph's freshly seeded test database, when the run keeps snapshots:
 * building one (initdb, migrations, seed, summaries) takes about 3 s of CPU, restoring it about
 * 0.5 s, and an end-to-end test file starts all eight. The key covers everything that decides the
 * contents (name, scope, migrations folder, seed code); the folder lives for one run only, so a
 * change to the code between runs never meets an old snapshot.
 */
function snapshotPath(definition: AnySubgraph, scope: string): string | undefined {
  const dir = process.env[TEST_SNAPSHOTS_ENV];
  if (!dir) return undefined;
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        definition.name,
        scope,
        definition.migrationsDir,
        String(definition.seed),
        definition.syntheticSeed,
        definition.summaries?.map((s) => s.name),
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  return path.join(dir, `${definition.name}-${key}.tar`);
}

/** The fixed small region every test seeds: Kabupaten Pasuruan, Jawa Timur (365 villages). */
export const TEST_SCOPE = '35.14';

export interface TestSubgraph {
  server: SubgraphServer;
  url: string;
  /** Runs a GraphQL document; returns the parsed body and the SQL statements it cost. */
  /** Runs a document as `caller` (default admin), signed like the gateway does. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { caller?: Caller | null; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
    statements: number;
  }>;
  stop(): Promise<void>;
}

/** Boots a subgraph on an in-memory database seeded with the test region, on port 0. */
export async function startTestSubgraph(
  definition: AnySubgraph,
  options: { url?: string; scope?: string; purposes?: PurposeRegistry } = {},
): Promise<TestSubgraph> {
  const keys = await testSigningKeys();
  const scope = options.scope ?? TEST_SCOPE;
  const snapshotFile = options.url ? undefined : snapshotPath(definition, scope);
  const snapshot = snapshotFile && existsSync(snapshotFile) ? new Blob([readFileSync(snapshotFile)]) : undefined;
  const server = await bootSubgraph(definition, {
    dataDir: options.url ? undefined : 'memory://',
    url: options.url,
    scope,
    gatewayKey: keys.publicKey,
    purposes: options.purposes,
    seed: true,
    snapshot,
  });
  if (snapshotFile && !snapshot && server.db.dump) {
    // Written whole, then renamed: a test process starting the same subgraph reads all of it or none.
    const partial = `${snapshotFile}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await (await server.db.dump()).arrayBuffer()));
    renameSync(partial, snapshotFile);
  }
  const url = await server.listen(0);
  return {
    server,
    url,
    async query(query, variables, { caller = ADMIN, headers = {} } = {}) {
      const auth: Record<string, string> = caller ? { [CALLER_HEADER]: await signCaller(caller, keys.privateKey) } : {};
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as never, statements: Number(res.headers.get('x-sql-statements') ?? NaN) };
    },
    stop: () => server.stop(),
  };
}
