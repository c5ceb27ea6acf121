import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Database } from './database';
import { mapDatabaseError } from './errors';
import { headerMap, HttpError, parseJsonBody, readBody, sendJson } from './http';
import { log } from './log';
import { CALLER_HEADER, gatewayPublicKey, verifyCaller } from './trust';
import type { CryptoKey } from 'jose';
import { buildFederatedSchema } from './schema';
import { withStatementScope, type StatementScope } from './statements';
import type { AnySubgraph, SubgraphContext } from './subgraph';


export interface SubgraphServer {
  name: string;
  /** Starts listening; port 0 picks a free port. Resolves to the GraphQL URL. */
  listen(port?: number, host?: string): Promise<string>;
  url(): string;
  /** Stops accepting requests, finishes in-flight ones, closes the database. */
  stop(): Promise<void>;
  http: http.Server;
  db: Database<unknown>;
}

function formatError(this: void, formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const mapped = mapDatabaseError(original);
  if (mapped) return { ...formatted, message: mapped.message, extensions: { ...formatted.extensions, ...mapped.extensions } };
  if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  log.error('resolver failed', { error: original instanceof Error ? original.stack : String(original), path: formatted.path });
  return { message: 'Internal error in this subgraph; it has been logged.', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

export interface SubgraphServerOptions {
  /** The gateway's public key for caller tokens; default from KOPDES_GATEWAY_PUBLIC_KEY(_FILE) or .secrets/. */
  gatewayKey?: CryptoKey;
}

/** Builds a subgraph's HTTP server around its definition and open database. Does not listen. */
export async function createSubgraphServer(definition: AnySubgraph, db: Database<unknown>, options: SubgraphServerOptions = {}): Promise<SubgraphServer> {
  const gatewayKey = options.gatewayKey ?? (await gatewayPublicKey());
  const schema = await buildFederatedSchema(definition);
  const apollo = new ApolloServer<BaseContext>({
    schema,
    csrfPrevention: true,
    introspection: process.env.NODE_ENV !== 'production',
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
    formatError,
  });
  await apollo.start();
  let requests = 0;
  let failures = 0;

  async function graphql(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const requestId = String(req.headers['x-request-id'] ?? randomUUID());
    if (!gatewayKey) throw new HttpError(401, 'No gateway key is configured (KOPDES_GATEWAY_PUBLIC_KEY), so this subgraph refuses every request.');
    const caller = await verifyCaller(req.headers[CALLER_HEADER] as string | undefined, gatewayKey);
    const body = req.method === 'POST' ? await readBody(req) : '';
    const parsed = parseJsonBody(body);
    const headers = headerMap(req);
    const tally: StatementScope = { statements: 0 };
    const context = async (): Promise<SubgraphContext> => ({
      caller,
      db, prisma: db.prisma, loaders: definition.createLoaders(db.prisma), requestId, statements: tally,
    });
    const response = await withStatementScope(tally, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed },
        context: context as never,
      }),
    );
    const out: Record<string, string> = { 'x-request-id': requestId, 'x-sql-statements': String(tally.statements) };
    for (const [key, value] of response.headers) out[key] = value;
    if (response.body.kind !== 'complete') throw new HttpError(500, 'Incremental delivery is not supported.');
    if ((response.status ?? 200) >= 400) failures += 1;
    res.writeHead(response.status ?? 200, { ...out, 'content-length': Buffer.byteLength(response.body.string) });
    res.end(response.body.string);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    requests += 1;
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok', subgraph: definition.name, database: db.kind });
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(
        `# TYPE kopdes_subgraph_requests_total counter\nkopdes_subgraph_requests_total{subgraph="${definition.name}"} ${requests}\n` +
        `# TYPE kopdes_subgraph_http_errors_total counter\nkopdes_subgraph_http_errors_total{subgraph="${definition.name}"} ${failures}\n` +
        `# TYPE kopdes_subgraph_sql_statements_total counter\nkopdes_subgraph_sql_statements_total{subgraph="${definition.name}"} ${db.statements.total}\n`,
      );
      return;
    }
    if (url.pathname !== '/graphql' && url.pathname !== '/') return sendJson(res, 404, { error: `No route ${url.pathname}; GraphQL is at /graphql.` });
    graphql(req, res, url).catch((error: unknown) => {
      failures += 1;
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log.error('request failed', { error: error instanceof Error ? error.stack : String(error) });
      const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : status === 401 ? 'UNAUTHENTICATED' : 'BAD_REQUEST';
      if (!res.headersSent) sendJson(res, status, { errors: [{ message: error instanceof HttpError ? error.message : 'Internal error', extensions: { code } }] });
    });
  });
  server.keepAliveTimeout = 65_000;

  let boundUrl = '';
  return {
    name: definition.name,
    http: server,
    db,
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
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      await db.close();
    },
  };
}
