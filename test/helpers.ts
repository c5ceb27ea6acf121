import '../gateway/src/telemetry';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { printFederatedSchema } from '@kopdes/kit';
import { startTestSubgraph, TEST_SCOPE, testSigningKeys, type TestSubgraph } from '@kopdes/kit/testing';
import { SignJWT } from 'jose';
import type { Caller } from '@kopdes/kit';
import { configFromEnv, createGatewayServer, type GatewayConfig, type GatewayServer } from '../gateway/src/server';
import { FaultProxy } from './fault-proxy';
import { composeSdl } from '../scripts/lib/composition';
import { loadSubgraphs } from '../scripts/lib/registry';

export const TEST_JWT_SECRET = new TextEncoder().encode('test-only-secret-not-used-anywhere-else-0123456789');

/** A bearer token as an identity provider would issue it (HS256, test secret); `expiresIn: null` leaves out `exp`. */
export async function bearer(
  caller: Caller,
  options: { expiresIn?: string | null; audience?: string; issuer?: string; secret?: Uint8Array } = {},
): Promise<string> {
  const jwt = new SignJWT({
    role: caller.role,
    ...(caller.ministry ? { ministry: caller.ministry } : {}),
    ...(caller.purpose ? { purpose: caller.purpose } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(caller.subject)
    .setAudience(options.audience ?? 'kopdes-graph')
    .setIssuedAt();
  if (options.issuer) jwt.setIssuer(options.issuer);
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '10m');
  return `Bearer ${await jwt.sign(options.secret ?? TEST_JWT_SECRET)}`;
}

export interface TestPlatform {
  gateway: GatewayServer;
  url: string;
  subgraphs: Map<string, TestSubgraph>;
  /** With `faults: true`: the proxy in front of each subgraph, to slow it down or kill it. */
  proxies: Map<string, FaultProxy>;
  /** The supergraph file the gateway serves (rewrite it to hot-reload). */
  supergraphPath: string;
  supergraphSdl: string;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{
    status: number;
    headers: Headers;
    body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  }>;
  /** Another gateway over the same subgraphs (stopped with the platform); `supergraphPath` may point elsewhere. */
  startGateway(config?: Partial<GatewayConfig>): Promise<GatewayServer>;
  stop(): Promise<void>;
}

/**
 * Test gateway configuration: defaults, with rate limiting, the response cache and the entity cache
 * off unless a test turns them on (most tests count what each request costs the subgraphs, or break
 * a subgraph and expect to see it).
 */
export function testGatewayConfig(config: Partial<GatewayConfig> = {}): GatewayConfig {
  const defaults = configFromEnv({});
  return {
    ...defaults,
    ...config,
    limits: { ...defaults.limits, ...config.limits },
    rateLimit: { ...defaults.rateLimit, max: 0, ...config.rateLimit },
    responseCache: { ...defaults.responseCache, enabled: false, warm: false, ...config.responseCache },
    entityCache: { ...defaults.entityCache, enabled: false, ...config.entityCache },
  };
}

/**
 * Every registered subgraph on port 0 (in-memory databases seeded with the test region,
 * or PostgreSQL databases when `databaseUrls` names them), composed and served by the real gateway.
 */
export async function startPlatform(
  options: { databaseUrls?: Record<string, string>; scope?: string; faults?: boolean; gateway?: Partial<GatewayConfig> } = {},
): Promise<TestPlatform> {
  const subgraphs = new Map<string, TestSubgraph>();
  const proxies = new Map<string, FaultProxy>();
  const gateways: GatewayServer[] = [];
  const loaded = await loadSubgraphs();
  try {
    for (const { entry, definition } of loaded) {
      const subgraph = await startTestSubgraph(definition, { url: options.databaseUrls?.[entry.name], scope: options.scope ?? TEST_SCOPE });
      subgraphs.set(entry.name, subgraph);
      if (options.faults) {
        const proxy = new FaultProxy(subgraph.url);
        await proxy.listen();
        proxies.set(entry.name, proxy);
      }
    }
    const composed = composeSdl(
      await Promise.all(
        loaded.map(async ({ entry, definition }) => ({
          name: entry.name,
          sdl: await printFederatedSchema(definition),
          url: proxies.get(entry.name)?.url ?? subgraphs.get(entry.name)!.url,
        })),
      ),
    );
    if (!composed.supergraphSdl) throw new Error(composed.errors.map((e) => `[${e.subgraph}] ${e.message}`).join('\n'));
    const dir = mkdtempSync(path.join(tmpdir(), 'kopdes-supergraph-'));
    const supergraphPath = path.join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composed.supergraphSdl);
    const keys = await testSigningKeys();
    const startGateway = async (config: Partial<GatewayConfig> = {}) => {
      const gateway = await createGatewayServer(testGatewayConfig({ supergraphPath, ...options.gateway, ...config }), {
        signingKey: keys.privateKey,
        auth: { audience: 'kopdes-graph', hs256Secret: TEST_JWT_SECRET },
      });
      gateways.push(gateway);
      await gateway.listen(0);
      return gateway;
    };
    const gateway = await startGateway();
    const url = gateway.url();
    return {
      gateway,
      url,
      subgraphs,
      proxies,
      supergraphPath,
      supergraphSdl: composed.supergraphSdl,
      startGateway,
      async query(query, variables, headers = {}) {
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query, variables }),
        });
        return { status: res.status, headers: res.headers, body: (await res.json()) as never };
      },
      async stop() {
        await Promise.allSettled(gateways.map((g) => g.stop()));
        await Promise.allSettled([...proxies.values()].map((p) => p.close()));
        await Promise.all([...subgraphs.values()].map((s) => s.stop()));
      },
    };
  } catch (error) {
    await Promise.allSettled(gateways.map((g) => g.stop()));
    await Promise.allSettled([...proxies.values()].map((p) => p.close()));
    await Promise.allSettled([...subgraphs.values()].map((s) => s.stop()));
    throw error;
  }
}

/** Compares with a checked-in golden file; UPDATE_GOLDEN=1 rewrites it. */
export async function golden(name: string, actual: unknown): Promise<unknown> {
  const file = path.join(import.meta.dirname, 'golden', `${name}.json`);
  const text = JSON.stringify(actual, null, 2) + '\n';
  const { existsSync, readFileSync } = await import('node:fs');
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI) throw new Error(`Golden file ${file} is missing; run the tests locally with UPDATE_GOLDEN=1 and commit it.`);
    writeFileSync(file, text);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}
