import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export interface GatewayConfig {
  /** A Federation 2 supergraph file (ours or anyone's). */
  supergraphPath: string;
  /** Subgraph URL overrides by subgraph name, for deployment. */
  subgraphUrls: Record<string, string>;
  /** Where registered client operations live (saved questions, persisted queries). */
  operationsDir: string;
  introspection: boolean;
  production: boolean;
  /** Per-subgraph fetch timeout. */
  subgraphTimeoutMs: number;
}

/**
 * Reads configuration from the environment:
 * SUPERGRAPH_PATH, SUBGRAPH_<NAME>_URL, OPERATIONS_DIR, NODE_ENV, INTROSPECTION, SUBGRAPH_TIMEOUT_MS.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match && value) subgraphUrls[match[1]!.toLowerCase().replace(/_/g, '-')] = value;
  }
  const production = env.NODE_ENV === 'production';
  return {
    supergraphPath: path.resolve(env.SUPERGRAPH_PATH ?? path.join(repoRoot, 'schema/supergraph.graphql')),
    subgraphUrls,
    operationsDir: path.resolve(env.OPERATIONS_DIR ?? path.join(repoRoot, 'schema/operations')),
    introspection: env.INTROSPECTION ? env.INTROSPECTION === 'true' : !production,
    production,
    subgraphTimeoutMs: Number(env.SUBGRAPH_TIMEOUT_MS ?? 10_000),
  };
}
