/**
 * Benchmark subgraph host: boots the given subgraphs with the kit (`bootSubgraph`, PostgreSQL,
 * seeding an empty database once) and times every GraphQL request each one serves, from the
 * moment its HTTP server sees the request until the response is written: the subgraph's own
 * time, without the gateway's client or the wire. The kit is not touched: timing is a
 * listener added in front of the kit's own on each server.
 *
 * A control server on loopback (BENCH_CONTROL_PORT) reports the tallies (GET /stats) and
 * records each request's interval while tracing (POST /trace starts, GET /trace returns them).
 * Env: BENCH_SUBGRAPHS = [{ name, port, databaseUrl }], BENCH_CONTROL_PORT.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { bootSubgraph, log, type SubgraphServer } from '@kopdes/kit';
import { loadSubgraph, subgraphEntries } from './registry';

interface HostedSubgraph {
  name: string;
  port: number;
  databaseUrl: string;
}
export interface SubgraphTally {
  requests: number;
  busyMs: number;
  httpErrors: number;
  inFlight: number;
  sqlStatements: number;
}
export interface TraceInterval {
  subgraph: string;
  start: number;
  end: number;
  status: number;
}

const wanted = JSON.parse(process.env.BENCH_SUBGRAPHS ?? '[]') as HostedSubgraph[];
const tallies = new Map<string, Omit<SubgraphTally, 'sqlStatements'>>();
let trace: TraceInterval[] | undefined;

function timed(name: string, server: http.Server): void {
  const tally = { requests: 0, busyMs: 0, httpErrors: 0, inFlight: 0 };
  tallies.set(name, tally);
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/graphql' && path !== '/') return;
    const start = performance.now();
    tally.inFlight += 1;
    res.once('close', () => {
      tally.inFlight -= 1;
    });
    res.once('finish', () => {
      const end = performance.now();
      const origin = performance.timeOrigin;
      tally.requests += 1;
      tally.busyMs += end - start;
      if (res.statusCode >= 400) tally.httpErrors += 1;
      // Epoch milliseconds, so intervals from several host processes line up.
      trace?.push({ subgraph: name, start: origin + start, end: origin + end, status: res.statusCode });
    });
  });
}

const servers: SubgraphServer[] = [];
try {
  await Promise.all(
    wanted.map(async (want) => {
      const entry = subgraphEntries().find((e) => e.name === want.name);
      if (!entry) throw new Error(`Unknown subgraph ${want.name}`);
      // A benchmark database: seeded with the national synthetic dataset (labelled so), whatever KOPDES_SEED_SCOPE says.
      const server = await bootSubgraph(await loadSubgraph(entry), { url: want.databaseUrl, scope: undefined, seed: true });
      servers.push(server);
      timed(want.name, server.http);
      await server.listen(want.port, '127.0.0.1');
    }),
  );
} catch (error) {
  log.error('bench subgraphs failed to start', { error: error instanceof Error ? error.stack : String(error) });
  await Promise.allSettled(servers.map((s) => s.stop()));
  process.exit(1);
}

function stats(): Record<string, SubgraphTally> {
  const out: Record<string, SubgraphTally> = {};
  for (const server of servers) out[server.name] = { ...tallies.get(server.name)!, sqlStatements: server.db.statements.total };
  return out;
}

const control = http.createServer((req, res) => {
  const reply = (body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/stats') return reply(stats());
  if (req.url === '/trace' && req.method === 'POST') {
    trace = [];
    return reply({ tracing: true });
  }
  if (req.url === '/trace') {
    const intervals = trace ?? [];
    trace = undefined;
    return reply(intervals);
  }
  res.writeHead(404).end();
});
control.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => control.listen(Number(process.env.BENCH_CONTROL_PORT), '127.0.0.1', resolve));
console.log(JSON.stringify({ ready: true, subgraphs: servers.map((s) => ({ name: s.name, url: s.url() })) }));

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  control.close();
  await Promise.allSettled(servers.map((s) => s.stop()));
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
