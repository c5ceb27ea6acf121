import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainable, log } from '@kopdes/kit';
import type { GatewayMetrics } from './metrics';
import type { SubgraphStatus } from './readiness';
import type { SupergraphState } from './supergraph';

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

export interface Lifecycle {
  listener: http.RequestListener;
  shutdownTimeoutMs: number;
  /** Runs once listening (the warm-up). */
  onListening(): void;
  /** Releases what the gateway holds, after in-flight requests are done. */
  release(): Promise<void>;
}

/** An HTTP server that drains in-flight requests before releasing the gateway; `stopping` says whether that began. */
export function serve(options: Lifecycle): {
  server: http.Server;
  stopping: () => boolean;
  url: () => string;
  listen: GatewayServer['listen'];
  stop: GatewayServer['stop'];
} {
  const server = http.createServer(options.listener);
  server.keepAliveTimeout = 65_000;
  const drain = drainable(server);
  let boundUrl = '';
  let stopped: Promise<void> | undefined;
  return {
    server,
    stopping: () => stopped !== undefined,
    url: () => boundUrl,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          boundUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}`;
          resolve(boundUrl);
          options.onListening();
        });
      });
    },
    stop() {
      stopped ??= (async () => {
        const inFlight = drain.inFlight();
        const cut = await drain.close(options.shutdownTimeoutMs);
        if (inFlight > 0 || cut > 0) log.info('gateway drained', { finished: inFlight - cut, cut });
        await options.release();
      })();
      return stopped;
    },
  };
}
