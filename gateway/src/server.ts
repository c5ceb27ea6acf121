import './telemetry';
import { gatewayPrivateKey, PROMETHEUS_CONTENT_TYPE, sendJson, tracingFromEnv } from '@kopdes/kit';
import type { CryptoKey } from 'jose';
import { startApollo } from './apollo';
import { authConfigFromEnv, type AuthConfig } from './auth';
import { configFromEnv, type GatewayConfig } from './config';
import { documentBounds } from './document-bounds';
import { edge } from './edge';
import { createCaches } from './caches';
import { exportStage } from './export';
import { serve, type GatewayServer } from './lifecycle';
import type { GatewayMetrics } from './metrics';
import { loadOperations } from './operations';
import { Pipeline, type Incoming, type Outcome, type Parsed } from './pipeline';
import { RateLimiter } from './rate-limit';
import { readiness } from './readiness';
import { router, sendText, type Route } from './router';
import { budget, createIdentity, execute, limits, observe, readGraphql, responseCache } from './stages';
import { fileSupergraph } from './supergraph';
import { warmUp } from './warm-up';

export { configFromEnv, type GatewayConfig, type GatewayServer };
export type { SubgraphStatus } from './readiness';

/** Keys the gateway needs: how to verify bearer tokens, and how to sign callers for subgraphs. */
export interface GatewaySecrets {
  auth: AuthConfig;
  signingKey: CryptoKey;
}

export async function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<GatewaySecrets> {
  const signingKey = await gatewayPrivateKey(env);
  if (!signingKey)
    throw new Error(
      'No gateway signing key: set KOPDES_GATEWAY_PRIVATE_KEY or KOPDES_GATEWAY_PRIVATE_KEY_FILE (npm start generates development keys in .secrets/).',
    );
  return { auth: authConfigFromEnv(env), signingKey };
}

/** Builds the federated gateway over a supergraph file: its parts, and the stages of each route. Does not listen. */
export async function createGatewayServer(config: GatewayConfig = configFromEnv(), secrets?: GatewaySecrets): Promise<GatewayServer> {
  const { auth, signingKey } = secrets ?? (await secretsFromEnv());
  const { cache, entities, executionBudget, metrics } = createCaches(config);
  const onReload = (outcome: 'applied' | 'rejected') => {
    metrics.reloads.inc({ outcome });
    if (outcome === 'applied') cache.clear(); // answers of the old schema
  };
  const supergraph = fileSupergraph(config.supergraphPath, { watchFile: config.watchSupergraph, overrides: config.subgraphUrls, onReload });
  const registered = loadOperations(config.operationsDir);
  const limiter = RateLimiter.fromConfig(config.rateLimit);
  const tracing = tracingFromEnv('kopdes-gateway', process.env, { global: true });
  const apollo = await startApollo(config, supergraph, registered, metrics, entities, executionBudget).catch(async (error: unknown) => {
    await Promise.all([limiter?.close(), cache.close(), tracing.shutdown()]);
    throw error;
  });
  const identity = createIdentity(auth, signingKey);
  const bounds = documentBounds(config.documentBounds);

  // The request path, stage by stage in request order (README, "The gateway's request path"):
  // a stage is added or removed here. The warm-up enters at `cache`; /export swaps `read` for `export`.
  const cached = Pipeline.start<Parsed>().then(responseCache(cache, metrics)).end(execute(apollo));
  const checked = Pipeline.start<Parsed>()
    .then(limits(config.limits))
    .then(budget(limiter, config.rateLimit, metrics))
    .then(bounds.stage)
    .end(cached);
  const graphql = Pipeline.start<Incoming>().then(identity.identify).then(readGraphql(config.limits.maxBodyBytes, bounds.parseBody)).end(checked);
  const exporter = Pipeline.start<Incoming>()
    .then(identity.identify)
    .then(exportStage({ operation: (name) => registered.find((op) => op.name === name), maxBodyBytes: config.limits.maxBodyBytes, bounds }))
    .end(checked);

  const routeDeps = { metrics, observe: observe(metrics), trustProxy: config.rateLimit.trustProxy, tracer: tracing.tracer };
  const warm = warmUp({
    registered,
    run: cached,
    tokenFor: identity.tokenFor,
    allUp: async () => (await probes.probeSubgraphs()).every((s) => s.status === 'up'),
    stopping: () => served.stopping(),
  });
  const probes = readiness(supergraph, {
    path: config.supergraphPath,
    timeoutMs: config.readyTimeoutMs,
    stopping: () => served.stopping(),
    warmUp: () => warm.status,
  });
  const served = serve({
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    // Without the cache, running every operation would only load the subgraphs.
    onListening: () => void (config.responseCache.warm && cache.enabled && warm.start()),
    release: async () => {
      await apollo.stop();
      await Promise.all([limiter?.close(), cache.close(), tracing.shutdown()]);
    },
    listener: router(
      routes({ graphql, exporter, routeDeps, probes, metrics, operationsJson: JSON.stringify(registered), stopping: () => served.stopping() }),
      config.corsOrigins,
    ),
  });
  return {
    http: served.server,
    metrics,
    url: served.url,
    listen: served.listen,
    stop: served.stop,
    supergraph: () => supergraph.current(),
    probeSubgraphs: probes.probeSubgraphs,
  };
}

interface RouteParts {
  graphql: (state: Incoming) => Promise<Outcome>;
  exporter: (state: Incoming) => Promise<Outcome>;
  routeDeps: Parameters<typeof edge>[1];
  probes: ReturnType<typeof readiness>;
  metrics: GatewayMetrics;
  operationsJson: string;
  stopping: () => boolean;
}

/** The gateway's routes: the two pipelines at their edge, the probes, the metrics and the registered operations. */
function routes({ graphql, exporter, routeDeps, probes, metrics, operationsJson, stopping }: RouteParts): Record<string, Route> {
  return {
    '/graphql': edge(graphql, routeDeps),
    '/export': edge(exporter, routeDeps),
    '/health': (_req, res) => sendJson(res, 200, { status: stopping() ? 'stopping' : 'ok' }, { 'cache-control': 'no-store' }),
    '/ready': (_req, res) => void probes.ready(res).catch((error: unknown) => sendJson(res, 500, { status: 'error', error: (error as Error).message })),
    '/metrics': (_req, res) =>
      void metrics.registry.render().then(
        (text) => sendText(res, PROMETHEUS_CONTENT_TYPE, text, { 'cache-control': 'no-store' }),
        (error: unknown) => sendJson(res, 500, { error: `Metrics could not be collected: ${(error as Error).message}` }),
      ),
    '/operations.json': (_req, res) => sendText(res, 'application/json; charset=utf-8', operationsJson),
  };
}
