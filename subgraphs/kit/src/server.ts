import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { SpanStatusCode } from '@opentelemetry/api';
import { GraphQLError, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import type { Database } from './database';
import { documentBoundsFromEnv, SUBGRAPH_DOCUMENT_BOUNDS, type DocumentBounds } from './document-bounds';
import { DocumentGuard } from './document-guard';
import { mapDatabaseError } from './errors';
import { fastPathFromEnv, leanPath } from './fast-path';
import { drainable, headerMap, HttpError, readBody, sendHttpError, sendJson, traceContext } from './http';
import { log } from './log';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics';
import { CALLER_HEADER, callerVerifier, gatewayPublicKeys } from './trust';
import type { CryptoKey } from 'jose';
import { buildFederatedSchema, personalFieldsOf } from './schema';
import { PERSONAL_DATA_HEADER, PERSONAL_FIELDS_HEADER, PersonalReads } from './personal-read';
import { checkPurposesFor, loadPurposes, type PurposeRegistry } from './purposes';
import type { RawSql } from './writes';
import { currentStatementScope, withStatementScope, type StatementScope } from './statements';
import { graphqlAttributes, graphqlSpanName, startServerSpan, tracingFromEnv, type Tracing } from './tracing';
import type { AnySubgraph, SubgraphContext } from './subgraph';

export interface SubgraphServer {
  name: string;
  /** Starts listening; port 0 picks a free port. Resolves to the GraphQL URL. */
  listen(port?: number, host?: string): Promise<string>;
  url(): string;
  /** Stops accepting requests, finishes in-flight ones (up to `deadlineMs`, default 10 s), closes the database. */
  stop(deadlineMs?: number): Promise<void>;
  http: http.Server;
  db: Database<unknown>;
  metrics: MetricsRegistry;
}

function formatError(this: void, formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const mapped = mapDatabaseError(original);
  if (mapped) return { ...formatted, message: mapped.message, extensions: { ...formatted.extensions, ...mapped.extensions } };
  if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  const scope = currentStatementScope();
  log.error('resolver failed', {
    requestId: scope?.requestId,
    traceId: scope?.traceId,
    error: original instanceof Error ? original.stack : String(original),
    path: formatted.path,
  });
  return {
    message: 'Internal error in this subgraph; it has been logged.',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

export interface SubgraphServerOptions {
  /** The gateway's public key(s) for caller tokens (two during a rotation); default from KOPDES_GATEWAY_PUBLIC_KEY(_FILE) or .secrets/. */
  gatewayKey?: CryptoKey | CryptoKey[];
  /** Purposes of use; default from KOPDES_PURPOSES_FILE or schema/purposes.json (read only by subgraphs holding personal data). */
  purposes?: PurposeRegistry;
  /** Bounds on each document and its variables, checked before Apollo parses; default from SUBGRAPH_MAX_* (see document-bounds.ts). */
  documentBounds?: DocumentBounds;
  /** OpenTelemetry traces; default from the OTEL_* variables (off unless an OTLP endpoint is set). */
  tracing?: Tracing;
  /** Answer the common request without Apollo Server's pipeline (fast-path.ts); default from SUBGRAPH_FAST_PATH (on). */
  fastPath?: boolean;
}

/** A transaction on the subgraph's Prisma client, for the access record (short: PGlite holds every other query meanwhile). */
function recordTransaction(prisma: unknown) {
  const client = prisma as { $transaction<T>(fn: (tx: RawSql) => Promise<T>, options?: { maxWait?: number; timeout?: number }): Promise<T> };
  // Waits behind other transactions on a busy embedded database rather than failing the read.
  return <T>(fn: (tx: RawSql) => Promise<T>) => client.$transaction(fn, { maxWait: 10_000, timeout: 10_000 });
}

/** Prometheus metrics every subgraph serves at /metrics. */
function subgraphMetrics(subgraph: string, db: Database<unknown>) {
  const registry = new MetricsRegistry();
  return {
    registry,
    requests: registry.counter({
      name: 'kopdes_subgraph_requests_total',
      help: 'HTTP requests, by operation and status.',
      labelNames: ['subgraph', 'operation', 'status'],
    }),
    errors: registry.counter({ name: 'kopdes_subgraph_errors_total', help: 'GraphQL errors returned, by code.', labelNames: ['subgraph', 'code'] }),
    fastPath: registry.counter({
      name: 'kopdes_subgraph_fast_path_total',
      help: 'GraphQL requests answered without Apollo Server (the rest go through it).',
      labelNames: ['subgraph'],
    }),
    duration: registry.histogram({
      name: 'kopdes_subgraph_request_duration_seconds',
      help: 'GraphQL request duration, by operation.',
      labelNames: ['subgraph', 'operation'],
    }),
    statements: registry.histogram({
      name: 'kopdes_subgraph_sql_statements_per_request',
      help: 'SQL statements one GraphQL request ran, by operation.',
      labelNames: ['subgraph', 'operation'],
      buckets: [0, 1, 2, 3, 5, 10, 20, 50, 100, 500],
    }),
    // The database counts every statement, including seeding and migrations: mirrored when scraped.
    sqlTotal: registry.counter({
      name: 'kopdes_subgraph_sql_statements_total',
      help: "SQL statements run by this subgraph's database.",
      labelNames: ['subgraph'],
      collect: (counter) => {
        counter.reset();
        counter.inc({ subgraph }, db.statements.total);
      },
    }),
  };
}

const READY_TIMEOUT_MS = 2_000;

/**
 * GET /ready: 200 when the database answers and holds every migration this build knows; 503
 * otherwise, so a load balancer or Kubernetes sends no traffic to a replica that cannot serve it.
 */
async function readiness(db: Database<unknown>, closing: boolean): Promise<{ status: number; body: Record<string, unknown> }> {
  if (closing) return { status: 503, body: { status: 'stopping' } };
  const expected = db.migrations.applied.length + db.migrations.alreadyApplied;
  let timer: NodeJS.Timeout | undefined;
  try {
    const rows = await Promise.race([
      db.sql.query<{ applied: number }>('SELECT count(*)::int AS applied FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL'),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      }),
    ]);
    const applied = rows[0]?.applied ?? 0;
    if (applied < expected) return { status: 503, body: { status: 'migrating', migrations: { applied, expected } } };
    return { status: 200, body: { status: 'ready', database: db.kind, migrations: { applied, expected }, syntheticData: db.synthetic } };
  } catch (error) {
    return { status: 503, body: { status: 'database unreachable', error: (error as Error).message } };
  } finally {
    clearTimeout(timer);
  }
}

/** Builds a subgraph's HTTP server around its definition and open database. Does not listen. */
export async function createSubgraphServer(definition: AnySubgraph, db: Database<unknown>, options: SubgraphServerOptions = {}): Promise<SubgraphServer> {
  const gatewayKeys = options.gatewayKey ? [options.gatewayKey].flat() : await gatewayPublicKeys();
  const schema = await buildFederatedSchema(definition);
  const personal = personalFieldsOf(schema);
  const purposes = options.purposes ?? (personal.size > 0 ? loadPurposes() : { file: '(none needed)', purposes: new Map() });
  checkPurposesFor(purposes, definition.name, personal);
  const transaction = recordTransaction(db.prisma);
  const metrics = subgraphMetrics(definition.name, db);
  metrics.registry.processMetrics();
  const tracing = options.tracing ?? tracingFromEnv(`kopdes-${definition.name}`);
  // Names the request's span after its operation (GraphQL semantic conventions), once it is resolved.
  const nameSpan = (operation: OperationDefinitionNode | undefined, operationName: string | null, source: string | undefined) => {
    const span = currentStatementScope()?.trace?.span;
    if (!span || !operation) return;
    span.updateName(graphqlSpanName(operation.operation, operationName));
    span.setAttributes(graphqlAttributes({ name: operationName, type: operation.operation, document: source }));
  };
  const traceOperation: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName, source }) {
          nameSpan(operation, operationName, source);
        },
      };
    },
  };
  const countErrors = (errors: readonly GraphQLError[]) => {
    for (const error of errors) metrics.errors.inc({ subgraph: definition.name, code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
  };
  const countErrorsPlugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          countErrors(errors);
        },
      };
    },
  };
  const introspection = process.env.NODE_ENV !== 'production';
  const apollo = new ApolloServer<BaseContext>({
    schema,
    csrfPrevention: true,
    introspection,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // runSubgraph drains HTTP first, then stops Apollo
    // Nothing reports to Apollo, whatever APOLLO_KEY says. No subgraph declares cache hints, so the
    // cache-control plugin only ever said no-store, at the price of wrapping every field resolver:
    // the kit says no-store itself (below).
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      countErrorsPlugin,
      ...(tracing.tracer ? [traceOperation] : []),
    ],
    formatError,
  });
  await apollo.start();
  // The same schema, hooks and error formatting as Apollo's, for the requests it is sure to answer alike.
  const lean =
    (options.fastPath ?? fastPathFromEnv()) &&
    leanPath({
      schema,
      introspection,
      formatError,
      didResolveOperation: tracing.tracer ? nameSpan : () => {},
      didEncounterErrors: countErrors,
    });
  const verifyCaller = callerVerifier(gatewayKeys);
  const guard = new DocumentGuard(options.documentBounds ?? documentBoundsFromEnv(process.env, SUBGRAPH_DOCUMENT_BOUNDS));

  async function graphql(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    requestId: string,
    labels: { operation: string },
    tally: StatementScope,
  ): Promise<void> {
    if (gatewayKeys.length === 0) throw new HttpError(401, 'No gateway key is configured (KOPDES_GATEWAY_PUBLIC_KEY), so this subgraph refuses every request.');
    const caller = await verifyCaller(req.headers[CALLER_HEADER] as string | undefined);
    const body = req.method === 'POST' ? await readBody(req) : '';
    const parsed = guard.parseBody(body) as { operationName?: unknown } | undefined;
    const operationName = parsed?.operationName ?? url.searchParams.get('operationName');
    if (typeof operationName === 'string' && operationName) labels.operation = operationName;
    guard.checkRequest({ method: req.method ?? 'GET', search: url.search, body: parsed });
    const declared = new Set(
      String(req.headers[PERSONAL_FIELDS_HEADER] ?? '')
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean),
    );
    const personalReads = new PersonalReads({ subgraph: definition.name, caller, requestId, personal, declared, purposes, transaction });
    const context = async (): Promise<SubgraphContext> => ({
      caller,
      db,
      prisma: db.prisma,
      loaders: definition.createLoaders(db.prisma, db),
      requestId,
      statements: tally,
      personal: personalReads,
    });
    const taken = lean ? lean.take(req.method, req.headers, parsed) : undefined;
    const answered = lean && taken ? await lean.answer(taken, context) : undefined;
    if (answered) metrics.fastPath.inc({ subgraph: definition.name });
    const response =
      answered ??
      (await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMap(req), search: url.search, body: parsed },
        context: context as never,
      }));
    metrics.statements.observe(tally.statements, { subgraph: definition.name, operation: labels.operation });
    const out: Record<string, string> = { 'x-request-id': requestId, 'x-sql-statements': String(tally.statements), 'cache-control': 'no-store' };
    if (personalReads.touched) out[PERSONAL_DATA_HEADER] = 'read';
    for (const [key, value] of response.headers) out[key] = value;
    if (response.body.kind !== 'complete') throw new HttpError(500, 'Incremental delivery is not supported.');
    res.writeHead(response.status ?? 200, { ...out, 'content-length': Buffer.byteLength(response.body.string) });
    res.end(response.body.string);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/health')
      return sendJson(
        res,
        drain.closing() ? 503 : 200,
        { status: drain.closing() ? 'stopping' : 'ok', subgraph: definition.name, database: db.kind, syntheticData: db.synthetic },
        { 'cache-control': 'no-store' },
      );
    if (url.pathname === '/ready') {
      void readiness(db, drain.closing()).then(
        ({ status, body }) => sendJson(res, status, { ...body, subgraph: definition.name }, { 'cache-control': 'no-store' }),
        (error: Error) => sendJson(res, 503, { status: 'error', error: error.message, subgraph: definition.name }, { 'cache-control': 'no-store' }),
      );
      return;
    }
    if (url.pathname === '/metrics') {
      metrics.registry.render().then(
        (text) => {
          res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
          res.end(text);
        },
        (error: unknown) => sendJson(res, 500, { error: `Metrics could not be collected: ${(error as Error).message}` }),
      );
      return;
    }
    if (url.pathname !== '/graphql' && url.pathname !== '/') return sendJson(res, 404, { error: `No route ${url.pathname}; GraphQL is at /graphql.` });
    const requestId = String(req.headers['x-request-id'] ?? randomUUID());
    const incoming = traceContext(req.headers.traceparent);
    const served =
      tracing.tracer &&
      startServerSpan(tracing.tracer, `${req.method ?? 'GET'} ${url.pathname}`, incoming, {
        'http.request.method': req.method ?? 'GET',
        'url.path': url.pathname,
        'kopdes.subgraph': definition.name,
      });
    const traceId = served?.trace.traceId ?? incoming.traceId;
    const labels = { subgraph: definition.name, operation: 'anonymous' };
    const done = metrics.duration.startTimer();
    res.once('finish', () => {
      done(labels);
      metrics.requests.inc({ ...labels, status: String(res.statusCode) });
    });
    if (served) {
      res.once('close', () => {
        served.span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500 || !res.writableFinished) served.span.setStatus({ code: SpanStatusCode.ERROR });
        served.span.end();
      });
    }
    const traced = served && tracing.tracer ? { tracer: tracing.tracer, span: served.span, parent: served.context } : undefined;
    // The request's scope: its statements (each a span of its own when tracing), and its ids for logs.
    const tally: StatementScope = { statements: 0, requestId, traceId, ...(traced ? { trace: traced } : {}) };
    withStatementScope(tally, () => graphql(req, res, url, requestId, labels, tally)).catch((error: unknown) => {
      const known = error instanceof HttpError ? error : new HttpError(500, 'Internal error');
      if (known.status >= 500)
        log.error('request failed', { subgraph: definition.name, requestId, traceId, error: error instanceof Error ? error.stack : String(error) });
      metrics.errors.inc({ subgraph: definition.name, code: known.code ?? (known.status === 401 ? 'UNAUTHENTICATED' : String(known.status)) });
      if (!res.headersSent) sendHttpError(res, known, { 'x-request-id': requestId });
    });
  });
  server.keepAliveTimeout = 65_000;
  const drain = drainable(server);

  let boundUrl = '';
  return {
    name: definition.name,
    http: server,
    db,
    metrics: metrics.registry,
    url: () => boundUrl,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          boundUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}/graphql`;
          resolve(boundUrl);
        });
      });
    },
    async stop(deadlineMs = 10_000) {
      const cut = await drain.close(deadlineMs);
      if (cut > 0) log.warn('subgraph stopped with requests still running', { subgraph: definition.name, cut });
      await apollo.stop();
      await db.close();
      await tracing.shutdown();
    },
  };
}
