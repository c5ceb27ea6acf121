/**
 * A client of scripts/bench-hostile.ts in its own process, so the clients' work (autocannon's
 * loop; building and sending megabyte bodies) never delays another client or the /health polls.
 * Prints one JSON line with its result. Env: BENCH_CLIENT = normal | hostile, BENCH_DURATION (s);
 * normal: BENCH_URL, BENCH_REQUESTS (autocannon requests), BENCH_CONNECTIONS, BENCH_RATE (req/s in all; 0: unlimited);
 * hostile: BENCH_GATEWAY, BENCH_SUBGRAPH, BENCH_CALLER_KEY (the gateway's caller-signing key, PEM).
 */
import { createRequire } from 'node:module';
import { CALLER_HEADER, gatewayPrivateKey, signCaller } from '@kopdes/kit';
import { HOSTILE_REQUESTS } from './hostile-documents';
import { sendHostile } from './hostile-bench';

type Autocannon = (
  options: Record<string, unknown>,
) => Promise<{ requests: { total: number }; duration: number; latency: { p50: number; p99: number; max: number }; errors: number; timeouts: number }>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const env = process.env;
/** Prints the result line and exits once it is written: a pipe takes a large line in several writes. */
const finish = (result: unknown) => process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0)); // keep-alive sockets would hold the process open
const until = Date.now() + Number(env.BENCH_DURATION) * 1000;

if (env.BENCH_CLIENT === 'normal') {
  let bad = 0;
  const onResponse = (status: number, body: string) => {
    if (status !== 200 || body.includes('"errors":')) bad += 1;
  };
  const requests = (JSON.parse(env.BENCH_REQUESTS!) as Record<string, unknown>[]).map((r) => ({ ...r, onResponse }));
  const rate = Number(env.BENCH_RATE ?? 0);
  const result = await autocannon({
    url: env.BENCH_URL,
    connections: Number(env.BENCH_CONNECTIONS),
    duration: Number(env.BENCH_DURATION),
    timeout: 30,
    requests,
    ...(rate > 0 ? { overallRate: rate } : {}),
  });
  finish({
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    bad: bad + result.errors + result.timeouts,
    requests: result.requests.total,
  });
} else {
  const key = (await gatewayPrivateKey({ KOPDES_GATEWAY_PRIVATE_KEY: env.BENCH_CALLER_KEY }))!;
  let caller = { token: '', signedAt: 0 };
  // The public caller as the gateway forwards it; caller tokens live 60 s.
  const publicCaller = async () => {
    if (Date.now() - caller.signedAt > 30_000)
      caller = { token: await signCaller({ subject: 'bench-hostile-public', role: 'public' }, key), signedAt: Date.now() };
    return { [CALLER_HEADER]: caller.token };
  };
  const corpus = HOSTILE_REQUESTS.map((request) => ({ request, body: request.body() }));
  const done = () => Date.now() >= until;
  const [gateway, subgraph] = await Promise.all([
    sendHostile(`${env.BENCH_GATEWAY}/graphql`, corpus, async () => ({}), done),
    sendHostile(env.BENCH_SUBGRAPH!, corpus, publicCaller, done),
  ]);
  finish({ gateway, subgraph });
}
