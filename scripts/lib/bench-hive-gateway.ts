/**
 * Benchmark contender: @graphql-hive/gateway's runtime serving the supergraph file on a plain
 * Node HTTP server, default settings: what `hive-gateway supergraph <file>` runs, in one
 * process (the CLI's default --fork 1 outside production). No Hive or GraphOS reporting is
 * configured, so nothing leaves loopback. The one bench-only addition is the static caller
 * header the subgraphs require, given as a transport header read from the environment.
 * Env: BENCH_SUPERGRAPH, BENCH_PORT, BENCH_CALLER_KEY (PEM).
 */
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { CALLER_HEADER, refreshingCallerToken } from './bench-caller-token';

await refreshingCallerToken(process.env.BENCH_CALLER_KEY!, (token) => {
  process.env.BENCH_CALLER_TOKEN = token;
});

const gateway = createGatewayRuntime({
  supergraph: process.env.BENCH_SUPERGRAPH!,
  // Interpolated per subgraph request from process.env, so the refreshed token is picked up.
  transportEntries: { '*.http': { headers: [[CALLER_HEADER, '{env.BENCH_CALLER_TOKEN}']] } },
});
const server = createServer(gateway);
await new Promise<void>((resolve) => server.listen(Number(process.env.BENCH_PORT), '127.0.0.1', resolve));
console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${process.env.BENCH_PORT}/graphql` }));

const stop = () => {
  server.close();
  void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
