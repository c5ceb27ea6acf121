import { bootSubgraph } from './boot';
import type { SubgraphServer } from './server';
import type { AnySubgraph } from './subgraph';

/** The fixed small region every test seeds: Kabupaten Pasuruan, Jawa Timur (365 villages). */
export const TEST_SCOPE = '35.14';

export interface TestSubgraph {
  server: SubgraphServer;
  url: string;
  /** Runs a GraphQL document; returns the parsed body and the SQL statements it cost. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] }; statements: number }>;
  stop(): Promise<void>;
}

/** Boots a subgraph on an in-memory database seeded with the test region, on port 0. */
export async function startTestSubgraph(definition: AnySubgraph, options: { url?: string; scope?: string } = {}): Promise<TestSubgraph> {
  const server = await bootSubgraph(definition, { dataDir: options.url ? undefined : 'memory://', url: options.url, scope: options.scope ?? TEST_SCOPE });
  const url = await server.listen(0);
  return {
    server,
    url,
    async query(query, variables, headers = {}) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: (await res.json()) as never, statements: Number(res.headers.get('x-sql-statements') ?? NaN) };
    },
    stop: () => server.stop(),
  };
}
