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
  const server = await bootSubgraph(definition, {
    dataDir: options.url ? undefined : 'memory://',
    url: options.url,
    scope: options.scope ?? TEST_SCOPE,
    gatewayKey: keys.publicKey,
    purposes: options.purposes,
    seed: true,
  });
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
