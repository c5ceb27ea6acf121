import './telemetry';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { CALLER_HEADER, gatewayPrivateKey, headerMap, HttpError, log, parseJsonBody, readBody, sendJson, signCaller, type Caller } from '@kopdes/kit';
import type { CryptoKey } from 'jose';
import { authConfigFromEnv, authenticate, type AuthConfig } from './auth';
import type { GraphQLFormattedError } from 'graphql';
import { configFromEnv, type GatewayConfig } from './config';
import { loadOperations } from './operations';
import { serveUi } from './static';

export { configFromEnv, type GatewayConfig };

interface GatewayContext extends BaseContext {
  requestId: string;
  caller: Caller;
  /** The caller, signed once per request for the subgraphs. */
  callerToken: () => Promise<string>;
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

export interface GatewayServer {
  listen(port?: number, host?: string): Promise<string>;
  url(): string;
  stop(): Promise<void>;
  http: http.Server;
}

/** Sends each subgraph fetch with the request id, a timeout, and the deployment URL. */
class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    if (!context?.callerToken) return;
    request.http?.headers.set('x-request-id', context.requestId);
    request.http?.headers.set(CALLER_HEADER, await context.callerToken());
  }
}

function timedFetch(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

/** Internal errors are masked for clients and logged with the request id. */
function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  log.error('gateway error', { error: formatted.message, path: formatted.path });
  return { ...formatted, message: 'Internal error; it has been logged.', extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: formatted.extensions?.serviceName } };
}

/** Builds the federated gateway over a supergraph file. Does not listen. */
export async function createGatewayServer(config: GatewayConfig = configFromEnv(), secrets?: GatewaySecrets): Promise<GatewayServer> {
  const { auth, signingKey } = secrets ?? (await secretsFromEnv());
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new SubgraphSource({ url: config.subgraphUrls[name] ?? url, fetcher: timedFetch(config.subgraphTimeoutMs) as never }),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: !config.production,
    formatError,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await apollo.start();
  const operationsJson = JSON.stringify(loadOperations(config.operationsDir));
  let ready = true;

  async function graphql(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const requestId = String(req.headers['x-request-id'] ?? randomUUID());
    const caller = await authenticate(req.headers.authorization, auth);
    let signed: Promise<string> | undefined;
    const callerToken = () => (signed ??= signCaller(caller, signingKey));
    const body = req.method === 'POST' ? parseJsonBody(await readBody(req)) : undefined;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMap(req), search: url.search, body },
      context: async () => ({ requestId, caller, callerToken }),
    });
    const headers: Record<string, string> = { 'x-request-id': requestId };
    for (const [key, value] of response.headers) headers[key] = value;
    if (response.body.kind !== 'complete') throw new HttpError(500, 'Incremental delivery is not supported.');
    res.writeHead(response.status ?? 200, { ...headers, 'content-length': Buffer.byteLength(response.body.string) });
    res.end(response.body.string);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === '/health') return sendJson(res, ready ? 200 : 503, { status: ready ? 'ok' : 'starting' });
    if (url.pathname === '/operations.json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(operationsJson);
      return;
    }
    if (url.pathname === '/graphql') {
      graphql(req, res, url).catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        if (status === 500) log.error('request failed', { error: error instanceof Error ? error.stack : String(error) });
        const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : status === 401 ? 'UNAUTHENTICATED' : 'BAD_REQUEST';
        if (!res.headersSent) sendJson(res, status, { errors: [{ message: error instanceof HttpError ? error.message : 'Internal error', extensions: { code } }] });
      });
      return;
    }
    if (serveUi(req, res)) return;
    sendJson(res, 404, { error: `No route ${url.pathname}. GraphQL: POST /graphql; GraphiQL: GET /.` });
  });
  server.keepAliveTimeout = 65_000;

  let boundUrl = '';
  return {
    http: server,
    url: () => boundUrl,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          boundUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}`;
          resolve(boundUrl);
        });
      });
    },
    async stop() {
      ready = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}
