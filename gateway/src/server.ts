import './telemetry';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import {
  clientAddress, drainable, formatTraceparent, gatewayPrivateKey, headerMap, HttpError, log, PROMETHEUS_CONTENT_TYPE, readBody,
  sendHttpError, sendJson, signCaller, traceContext, type Caller, type TraceContext,
} from '@kopdes/kit';
import { HeaderMap } from '@apollo/server';
import { decodeJwt, type CryptoKey } from 'jose';
import { Kind, parse, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import { authConfigFromEnv, authenticate, type AuthConfig } from './auth';
import { configFromEnv, type GatewayConfig } from './config';
import { ExpiringCache } from './cache';
import { applyCors } from './cors';
import { documentBoundsStage } from './document-bounds';
import { createExportHandler, type ExportRequest } from './export';
import { aliasLimitRule, costLimitPlugin, depthLimitRule, limitCode } from './limits';
import { gatewayMetrics, type GatewayMetrics } from './metrics';
import { loadOperations } from './operations';
import { persistedDocuments, safelistPlugin } from './persisted';
import { RateLimiter } from './rate-limit';
import { ResponseCache, type CachedAnswer } from './response-cache';
import { serveUi } from './static';
import { SubgraphSource, type FetchContext } from './subgraph-source';
import { fileSupergraph, type SupergraphState } from './supergraph';

export { configFromEnv, type GatewayConfig };

/** What one HTTP request accumulates for its metrics and its log line (a batch shares one). */
interface RequestRecord {
  /** Names as resolved by Apollo; `declared` (from the body) stands in when parsing failed. */
  operations: string[];
  declared: string[];
  /** query, mutation or subscription, per operation resolved. */
  kinds: string[];
  errors: number;
  subgraphErrors: Set<string>;
}

interface GatewayContext extends BaseContext, FetchContext {
  record: RequestRecord;
}

/** Keys the gateway needs: how to verify bearer tokens, and how to sign callers for subgraphs. */
export interface GatewaySecrets {
  auth: AuthConfig;
  signingKey: CryptoKey;
}

export async function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<GatewaySecrets> {
  const signingKey = await gatewayPrivateKey(env);
  if (!signingKey) throw new Error('No gateway signing key: set KOPDES_GATEWAY_PRIVATE_KEY or KOPDES_GATEWAY_PRIVATE_KEY_FILE (npm start generates development keys in .secrets/).');
  return { auth: authConfigFromEnv(env), signingKey };
}

export interface SubgraphStatus {
  name: string;
  url: string;
  status: 'up' | 'down';
  latencyMs?: number;
  error?: string;
}

export interface GatewayServer {
  listen(port?: number, host?: string): Promise<string>;
  url(): string;
  /** Stops accepting, finishes in-flight requests (up to SHUTDOWN_TIMEOUT_MS), then releases everything. */
  stop(): Promise<void>;
  /** The supergraph being served: its hash and subgraphs. */
  supergraph(): SupergraphState | undefined;
  /** Each subgraph's /health, as GET /ready reports it. */
  probeSubgraphs(): Promise<SubgraphStatus[]>;
  metrics: GatewayMetrics;
  http: http.Server;
}

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** Client-facing errors: limit codes restored, internal errors masked and logged with the request id. */
function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const limit = limitCode(error, formatted.message);
  if (limit) return { ...formatted, message: limit.message ?? formatted.message, extensions: { ...formatted.extensions, code: limit.code } };
  if (formatted.message.startsWith('GraphQL introspection is not allowed')) {
    return { ...formatted, message: 'Introspection is off on this gateway (production or safelist mode); an operator can enable it with INTROSPECTION=true.' };
  }
  if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  return { ...formatted, message: 'Internal error; it has been logged.', extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR', serviceName: formatted.extensions?.serviceName } };
}

/** Per-request bookkeeping: operation names and error codes for metrics and the request log. */
function observePlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operationName, operation }) {
          contextValue.record.operations.push(operationName ?? 'anonymous');
          contextValue.record.kinds.push(operation?.operation ?? 'unknown');
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = limitCode(error, error.message)?.code ?? String((error as GraphQLError).extensions?.code ?? 'INTERNAL_SERVER_ERROR');
            // Logged here with the request id: the client only sees the masked message (formatError).
            if (code === 'INTERNAL_SERVER_ERROR') log.error('gateway error', { requestId: contextValue.requestId, traceId: contextValue.trace.traceId, error: error.message, path: error.path });
            metrics.errors.inc({ code });
            contextValue.record.errors += 1;
            const service = (error as GraphQLError).extensions?.serviceName;
            if (typeof service === 'string') contextValue.record.subgraphErrors.add(service);
          }
        },
      };
    },
  };
}

/** Builds the federated gateway over a supergraph file. Does not listen. */
export async function createGatewayServer(config: GatewayConfig = configFromEnv(), secrets?: GatewaySecrets): Promise<GatewayServer> {
  const { auth, signingKey } = secrets ?? (await secretsFromEnv());
  const { limits } = config;
  const cache = new ResponseCache(config.responseCache);
  const metrics = gatewayMetrics(() => cache.size());
  const supergraph = fileSupergraph(config.supergraphPath, {
    watchFile: config.watchSupergraph,
    overrides: config.subgraphUrls,
    onReload: (outcome) => {
      metrics.reloads.inc({ outcome });
      if (outcome === 'applied') cache.clear(); // answers of the old schema
    },
  });
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.hook,
    buildService: ({ name, url }) => new SubgraphSource(name, config.subgraphUrls[name] ?? url!, config.subgraphTimeoutMs, metrics),
  });
  const registered = loadOperations(config.operationsDir);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true,
    persistedQueries: persistedDocuments(registered, config),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: !config.production,
    allowBatchedHttpRequests: limits.maxBatchSize > 1,
    stopOnTerminationSignals: false, // index.ts drains first, then stops Apollo
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)],
    formatError,
    plugins: [
      safelistPlugin(registered, config), // first: an unregistered operation gets this refusal, not the cost limit's
      costLimitPlugin(limits) as ApolloServerPlugin<GatewayContext>,
      observePlugin(metrics),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  const bounds = documentBoundsStage(config.documentBounds);
  const limiter = RateLimiter.fromConfig(config.rateLimit);
  try {
    await apollo.start();
  } catch (error) {
    await limiter?.close();
    await cache.close();
    throw error;
  }
  const operationsJson = JSON.stringify(registered);
  const registeredByName = new Map(registered.map((op) => [op.name, op]));
  const corsOrigins = new Set(config.corsOrigins);
  let stopping = false;

  // Clients send the same bearer token with every request, and the same caller recurs: verify
  // and sign once (crypto was the gateway's largest own cost per request), for at most a minute.
  const verified = new ExpiringCache<Caller>();
  const signedCallers = new ExpiringCache<Promise<string>>();
  async function verifyBearer(header: string | undefined): Promise<Caller> {
    if (!header) return authenticate(header, auth);
    const known = verified.get(header);
    if (known) return known;
    const caller = await authenticate(header, auth);
    const exp = decodeJwt(header.trim().replace(/^Bearer\s+/i, '')).exp;
    verified.set(header, caller, Math.min(exp ? exp * 1000 : Infinity, Date.now() + 60_000));
    return caller;
  }
  function callerToken(caller: Caller): Promise<string> {
    const key = `${caller.role}\u0000${caller.ministry ?? ''}\u0000${caller.subject}`;
    let token = signedCallers.get(key);
    if (!token) {
      // Caller tokens live 60 s; subgraphs get one at least 30 s from expiry.
      token = signCaller(caller, signingKey);
      token.catch(() => signedCallers.delete(key)); // a failure is not remembered
      signedCallers.set(key, token, Date.now() + 30_000);
    }
    return token;
  }

  /** The bearer token's caller, recorded in `context` (401 for a bad token). */
  async function identify(req: http.IncomingMessage, context: GatewayContext): Promise<Caller> {
    const caller = await verifyBearer(req.headers.authorization);
    context.caller = caller;
    context.callerToken = () => callerToken(caller);
    return caller;
  }

  /** Takes `operations` from the caller's rate budget (429 once it is spent). */
  async function takeBudget(req: http.IncomingMessage, res: http.ServerResponse, caller: Caller, operations: number): Promise<void> {
    if (!limiter) return;
    const client = caller.role === 'public' ? `ip:${clientAddress(req, config.rateLimit.trustProxy)}` : `sub:${caller.subject}`;
    const decision = await limiter.take(client, operations);
    res.setHeader('ratelimit-limit', String(decision.limit));
    res.setHeader('ratelimit-remaining', String(decision.remaining));
    res.setHeader('ratelimit-reset', String(decision.resetSeconds));
    if (!decision.allowed) {
      metrics.rateLimited.inc();
      throw new HttpError(429, `Rate limit exceeded: at most ${decision.limit} operations per ${config.rateLimit.windowMs / 1000} s per client (RATE_LIMIT_MAX). Retry after ${decision.resetSeconds} s.`,
        { 'retry-after': String(decision.resetSeconds) }, 'RATE_LIMITED');
    }
  }

  type HttpGraphQLRequest = Parameters<typeof apollo.executeHTTPGraphQLRequest>[0]['httpGraphQLRequest'];

  /** Apollo's answer to one HTTP GraphQL request; the subgraphs it wrote to are invalidated in the response cache. */
  async function run(context: GatewayContext, httpGraphQLRequest: HttpGraphQLRequest): Promise<CachedAnswer> {
    try {
      const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => ({ ...context }) });
      if (response.body.kind !== 'complete') throw new HttpError(500, 'Incremental delivery is not supported.');
      const headers: Record<string, string> = {};
      for (const [key, value] of response.headers) headers[key] = value;
      return { status: response.status ?? 200, headers, body: response.body.string, operations: context.record.operations };
    } finally {
      for (const subgraph of context.subgraphsWritten ?? []) cache.invalidate(subgraph);
    }
  }

  /**
   * The response cache's key for a single JSON operation, per class of caller (role, and
   * ministry for officers: all that decides what a caller may see); none for batches and GETs.
   */
  function cacheKey(caller: Caller, request: HttpGraphQLRequest): string | undefined {
    const body = request.body as Record<string, unknown> | undefined;
    if (!cache.enabled || request.method !== 'POST' || !body || typeof body !== 'object' || Array.isArray(body)) return undefined;
    // The body is the same whatever the client accepts; only the content type follows `accept`.
    const accept = request.headers.get('accept')?.includes('application/graphql-response+json') ? 'graphql-response' : 'json';
    return ResponseCache.key({
      role: caller.role, ministry: caller.role === 'officer' ? caller.ministry : undefined, accept,
      query: body.query, operationName: body.operationName, extensions: body.extensions,
      variables: body.variables && typeof body.variables === 'object' && Object.keys(body.variables).length > 0 ? body.variables : undefined,
    });
  }

  /** Whether an answer may be reused: every operation a query, no error, HTTP 200. */
  function reusable(context: GatewayContext, answer: CachedAnswer): boolean {
    const { kinds, errors } = context.record;
    return answer.status === 200 && kinds.length > 0 && kinds.every((k) => k === 'query') && errors === 0 && !answer.body.includes('"errors":');
  }

  /** One request, from the response cache, shared with an identical one in flight, or executed. */
  async function execute(context: GatewayContext, request: HttpGraphQLRequest): Promise<CachedAnswer> {
    bounds.check(request); // before the cache: a hit answers only what a miss would
    const key = cacheKey(context.caller, request);
    if (!key) return run(context, request);
    const fresh = /\bno-cache\b/.test(request.headers.get('cache-control') ?? '');
    const hit = fresh ? undefined : cache.get(key);
    if (hit) {
      metrics.responseCache.inc({ outcome: 'hit' });
      context.record.operations.push(...hit.operations);
      return { ...hit, headers: { ...hit.headers, 'x-cache': 'hit' } };
    }
    const snapshot = cache.snapshot();
    const executeAndKeep = async () => {
      const answer = await run(context, request);
      const cacheable = reusable(context, answer);
      if (cacheable) cache.set(key, answer, context.subgraphsRead ?? [], snapshot);
      return { answer, cacheable };
    };
    // no-cache: executed for this request, not shared with one already in flight.
    const { answer, from } = fresh ? { answer: (await executeAndKeep()).answer, from: 'executed' as const } : await cache.shared(key, snapshot, executeAndKeep);
    metrics.responseCache.inc({ outcome: from === 'shared' ? 'shared' : 'miss' });
    if (from === 'shared') context.record.operations.push(...answer.operations);
    return { ...answer, headers: { ...answer.headers, 'x-cache': from === 'shared' ? 'shared' : 'miss' } };
  }

  async function graphql(req: http.IncomingMessage, res: http.ServerResponse, url: URL, context: GatewayContext): Promise<void> {
    const caller = await identify(req, context);
    const body = req.method === 'POST' ? bounds.parseBody(await readBody(req, limits.maxBodyBytes)) : undefined;
    const operations = Array.isArray(body) ? body.length : 1;
    for (const op of Array.isArray(body) ? body : [body]) {
      const name = (op as { operationName?: unknown } | undefined)?.operationName;
      if (typeof name === 'string' && name) context.record.declared.push(name);
    }
    if (Array.isArray(body) && body.length > limits.maxBatchSize) {
      throw new HttpError(400, `Batch of ${body.length} operations; at most ${limits.maxBatchSize} per request (MAX_BATCH_SIZE). Split it into several requests.`, {}, 'BATCH_TOO_LARGE');
    }
    await takeBudget(req, res, caller, operations);
    const answer = await execute(context, { method: req.method ?? 'GET', headers: headerMap(req), search: url.search, body });
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  }

  /** /export's way into the /graphql pipeline: same caller, rate budget, limits and roles, one query. */
  async function executeForExport(req: http.IncomingMessage, res: http.ServerResponse, context: GatewayContext, request: ExportRequest): Promise<{ status: number; body: string }> {
    const caller = await identify(req, context);
    if (request.operationName) context.record.declared.push(request.operationName);
    await takeBudget(req, res, caller, 1);
    const headers = headerMap(req);
    headers.set('content-type', 'application/json'); // the export may arrive as a GET; the query goes in as a JSON POST
    const { status, body } = await execute(context, { method: 'POST', headers, search: '', body: request });
    return { status, body };
  }
  const serveExport = createExportHandler<{ res: http.ServerResponse; context: GatewayContext }>({
    operation: (name) => registeredByName.get(name),
    maxBodyBytes: limits.maxBodyBytes,
    bounds,
    execute: (req, request, { res, context }) => executeForExport(req, res, context, request),
  });

  function requestContext(requestId: string, trace: TraceContext, tracestate?: string): GatewayContext {
    return {
      requestId, trace, tracestate,
      caller: { subject: 'anonymous', role: 'public' } satisfies Caller,
      callerToken: () => Promise.reject(new Error('not authenticated yet')),
      record: { operations: [], declared: [], kinds: [], errors: 0, subgraphErrors: new Set() },
      subgraphsRead: new Set(), subgraphsWritten: new Set(),
    };
  }

  /**
   * Each registered operation once, as the public role and the way the dashboard sends it:
   * query plans are built and public answers cached before the first visitor. Operations the
   * public may not read, or that need variables, only get their plan built.
   */
  const warmUp: { status: 'off' | 'running' | 'done'; operations: number; cached: number; ms?: number } = { status: 'off', operations: 0, cached: 0 };
  async function warm(): Promise<void> {
    const started = performance.now();
    let cached = 0;
    warmUp.status = 'running';
    // npm start boots the subgraphs beside the gateway: wait (up to two minutes) until they all answer.
    for (const deadline = Date.now() + 120_000; Date.now() < deadline && !stopping;) {
      if ((await probeSubgraphs()).every((s) => s.status === 'up')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    for (const op of registered) {
      if (stopping) return;
      const definition = parse(op.document).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
      if (definition?.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'query') continue;
      const context = requestContext(`warm-${op.name}`, traceContext(undefined));
      const caller: Caller = { subject: 'gateway-warm-up', role: 'public' };
      context.caller = caller;
      context.callerToken = () => callerToken(caller);
      const headers = new HeaderMap([['content-type', 'application/json'], ['accept', 'application/json']]);
      try {
        const answer = await execute(context, { method: 'POST', headers, search: '', body: { query: op.document, operationName: definition.name?.value, ...(op.variables ? { variables: op.variables } : {}) } });
        warmUp.operations += 1;
        if (answer.headers['x-cache'] === 'miss' && reusable(context, answer)) warmUp.cached = ++cached;
      } catch (error) {
        log.warn('warm-up: operation failed', { operation: op.name, error: (error as Error).message });
      }
    }
    Object.assign(warmUp, { status: 'done', ms: Math.round(performance.now() - started) });
    log.info('warm-up done', { operations: registered.length, cached, ms: warmUp.ms });
  }

  type Route = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, context: GatewayContext) => Promise<void>;

  /** Request id, trace, metrics, log line and error answer around /graphql and /export. */
  function serveGraphql(req: http.IncomingMessage, res: http.ServerResponse, url: URL, route: Route = graphql): void {
    const started = process.hrtime.bigint();
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    const trace = traceContext(req.headers.traceparent);
    const tracestate = typeof req.headers.tracestate === 'string' ? req.headers.tracestate : undefined;
    res.setHeader('x-request-id', requestId);
    res.setHeader('traceparent', formatTraceparent(trace, trace.spanId));
    const context = requestContext(requestId, trace, tracestate);
    metrics.inFlight.inc();
    res.once('close', () => {
      metrics.inFlight.dec();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const { operations, declared } = context.record;
      const operation = (operations.length ? operations : declared).join(',') || 'anonymous';
      metrics.duration.observe(seconds, { operation });
      metrics.requests.inc({ operation, status: String(res.statusCode) });
      log.info('request', {
        requestId, traceId: trace.traceId, method: req.method, operation, status: res.statusCode, durationMs: Math.round(seconds * 1e4) / 10,
        role: context.caller.role, ...(context.caller.ministry ? { ministry: context.caller.ministry } : {}),
        ...(context.record.errors ? { errors: context.record.errors } : {}),
        ...(context.record.subgraphErrors.size ? { subgraphErrors: [...context.record.subgraphErrors] } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    route(req, res, url, context).catch((error: unknown) => {
      const known = error instanceof HttpError ? error : new HttpError(500, 'Internal error; it has been logged.');
      if (known.status >= 500) log.error('request failed', { requestId, traceId: trace.traceId, error: error instanceof Error ? error.stack : String(error) });
      const code = known.code ?? (known.status === 401 ? 'UNAUTHENTICATED' : known.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
      metrics.errors.inc({ code });
      context.record.errors += 1;
      if (!res.headersSent) sendHttpError(res, new HttpError(known.status, known.message, known.headers, code));
      else res.destroy();
    });
  }

  let probing: Promise<SubgraphStatus[]> | undefined;
  function probeSubgraphs(): Promise<SubgraphStatus[]> {
    // Concurrent callers share one probe: a burst of /ready calls costs the subgraphs one /health each.
    probing ??= Promise.all((supergraph.current()?.subgraphs ?? []).map(async ({ name, url }): Promise<SubgraphStatus> => {
      const started = performance.now();
      try {
        const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(config.readyTimeoutMs) });
        await res.arrayBuffer();
        const latencyMs = Math.round(performance.now() - started);
        return res.ok ? { name, url, status: 'up', latencyMs } : { name, url, status: 'down', latencyMs, error: `HTTP ${res.status}` };
      } catch (error) {
        const e = error as { name?: string; cause?: { code?: string }; message?: string };
        const reason = e.name === 'TimeoutError' ? `no answer within ${config.readyTimeoutMs} ms` : (e.cause?.code ?? e.message ?? 'unreachable');
        return { name, url, status: 'down', error: reason };
      }
    })).finally(() => { probing = undefined; });
    return probing;
  }

  async function ready(res: http.ServerResponse): Promise<void> {
    const state = supergraph.current();
    if (!state || stopping) return sendJson(res, 503, { status: stopping ? 'stopping' : 'starting' }, { 'cache-control': 'no-store' });
    const subgraphs = await probeSubgraphs();
    const down = subgraphs.filter((s) => s.status === 'down').map((s) => s.name);
    sendJson(res, 200, {
      status: down.length ? 'degraded' : 'ready',
      warmUp,
      supergraph: { hash: state.hash, loadedAt: state.loadedAt.toISOString(), path: config.supergraphPath },
      subgraphs: Object.fromEntries(subgraphs.map(({ name, ...rest }) => [name, rest])),
      ...(down.length ? { message: `Serving partial data: ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down; their fields come back null with an error naming them.` } : {}),
    }, { 'cache-control': 'no-store' });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (corsOrigins.size > 0 || req.method === 'OPTIONS') {
      if (applyCors(req, res, corsOrigins)) return;
    }
    switch (url.pathname) {
      case '/graphql':
        return serveGraphql(req, res, url);
      case '/export':
        return serveGraphql(req, res, url, (req, res, url, context) => serveExport(req, res, url, { res, context }));
      case '/health':
        return sendJson(res, 200, { status: stopping ? 'stopping' : 'ok' }, { 'cache-control': 'no-store' });
      case '/ready':
        ready(res).catch((error: unknown) => sendJson(res, 500, { status: 'error', error: (error as Error).message }));
        return;
      case '/metrics':
        res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
        res.end(metrics.registry.render());
        return;
      case '/operations.json':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(operationsJson);
        return;
    }
    if (serveUi(req, res)) return;
    sendJson(res, 404, { error: `No route ${url.pathname}. GraphQL: POST /graphql; GraphiQL: GET /; probes: /health, /ready, /metrics.` });
  });
  server.keepAliveTimeout = 65_000;
  const drain = drainable(server);

  let boundUrl = '';
  let stopped: Promise<void> | undefined;
  return {
    http: server,
    metrics,
    url: () => boundUrl,
    supergraph: () => supergraph.current(),
    probeSubgraphs,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          boundUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}`;
          resolve(boundUrl);
          // Without the cache, running every operation would only load the subgraphs.
          if (config.responseCache.warm && cache.enabled) void warm();
        });
      });
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        const inFlight = drain.inFlight();
        const cut = await drain.close(config.shutdownTimeoutMs);
        if (inFlight > 0 || cut > 0) log.info('gateway drained', { finished: inFlight - cut, cut });
        await apollo.stop();
        await limiter?.close();
        await cache.close();
      })();
      return stopped;
    },
  };
}
