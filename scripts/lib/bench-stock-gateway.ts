/**
 * Benchmark contender: a stock @apollo/gateway behind a stock @apollo/server standalone server,
 * default settings. Two bench-only additions, neither a tuning: telemetry off (as everywhere in
 * this project), and the static caller header the subgraphs require (see bench-caller-token).
 * Env: BENCH_SUPERGRAPH, BENCH_PORT, BENCH_CALLER_KEY (PEM).
 */
import '../../gateway/src/telemetry';
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { CALLER_HEADER, refreshingCallerToken } from './bench-caller-token';

let callerToken = '';
await refreshingCallerToken(process.env.BENCH_CALLER_KEY!, (token) => {
  callerToken = token;
});

class StaticCallerSource extends RemoteGraphQLDataSource {
  override willSendRequest({ request }: GraphQLDataSourceProcessOptions): void {
    request.http?.headers.set(CALLER_HEADER, callerToken);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH!, 'utf8'),
  buildService: ({ url }) => new StaticCallerSource({ url }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(process.env.BENCH_PORT) } });
console.log(JSON.stringify({ ready: true, url }));

const stop = () => void server.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
