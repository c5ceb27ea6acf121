/**
 * Hostile documents under load (`npm run bench:hostile`): starts the gateway and the subgraph
 * host (all subgraphs in one process, as `npm start` runs them) on free loopback ports, on
 * embedded databases seeded with one regency (35.14) in a temporary folder. Per configuration
 * (document bounds on, then off with DOCUMENT_BOUNDS=false) and per phase (normal load alone,
 * then normal load while the hostile corpus is sent as the public), it reports:
 * - the normal load (every registered query as an analyst, in turn, as clients send them: repeats
 *   answered by the response cache; with --executed, `Cache-Control: no-cache`, every one executed
 *   by the subgraphs), at a fixed rate (--rate req/s; 0: as fast as the gateway answers, which
 *   saturates it by design): req/s, p50/p99 latency, answers that were not 200 without errors;
 * - event-loop delay (p50/p99/max) inside the gateway and inside the subgraph host, from their
 *   /metrics (a 10 ms timer's gaps, the 10 ms included);
 * - /health latency (p50/p99/max) of both, polled every 50 ms throughout;
 * - per hostile request (scripts/lib/hostile-documents.ts), to the gateway and straight to a
 *   subgraph (regions, with a caller token as the gateway signs it): status, code, time to answer.
 * Every hostile request is made distinct per send, so the bounds' memo never answers it. The normal
 * load and the hostile sender run each in a process of their own (scripts/lib/bench-hostile-client.ts),
 * the /health polls in this one. After the load, each hostile request is sent 3 times alone, for the
 * CPU time the gateway and the subgraph host spend on it (a figure the machine's other load barely moves).
 * The rate limit is lifted (RATE_LIMIT_MAX): with it, the public sender would get 429s instead.
 * Cached answers do not expire during the run (RESPONSE_CACHE_TTL_MS), so both phases see the same cache.
 *
 *   npm run bench:hostile -- [--duration 20] [--connections 4] [--rate 200] [--executed]
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { SignJWT } from 'jose';
import { CALLER_HEADER, generateSigningKeys, printFederatedSchema, repoRoot, signCaller } from '@kopdes/kit';
import { loadOperations } from '../gateway/src/operations';
import { composeSdl } from './lib/composition';
import { HOSTILE_REQUESTS } from './lib/hostile-documents';
import { cpuPerRequest, describeOutcomes, loopDelay, percentile, pollHealth, refusedWithCode, type HostileOutcome, type LoopDelay } from './lib/hostile-bench';
import { startNode, stopProcess } from './lib/bench-process';
import { firstJsonLine, waitForHttp } from './lib/processes';
import { loadSubgraphs } from './lib/registry';

const option = (flag: string, fallback: number) => {
  const i = process.argv.indexOf(`--${flag}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const duration = option('duration', 20);
const connections = option('connections', 4);
const rate = option('rate', 200);
const executed = process.argv.includes('--executed');
if (!(duration > 0 && duration <= 120 && connections > 0 && connections <= 64 && rate >= 0))
  throw new Error('--duration is 1..120 s, --connections 1..64 and --rate ≥ 0: this benchmark is bounded.');

const work = mkdtempSync(path.join(tmpdir(), 'kopdes-hostile-'));
const children = new Set<ChildProcess>();
const cleanup = async () => {
  await Promise.allSettled([...children].map((c) => stopProcess(c)));
  rmSync(work, { recursive: true, force: true });
};
setTimeout(() => {
  console.error('bench:hostile exceeded its time bound (30 min).');
  void cleanup().then(() => process.exit(1));
}, 30 * 60_000).unref();
process.once('SIGINT', () => {
  void cleanup().then(() => process.exit(130));
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const keys = await generateSigningKeys();
const secret = randomBytes(32).toString('base64url');
const shared = { KOPDES_DATA_DIR: path.join(work, 'data'), KOPDES_SEED_SCOPE: '35.14', KOPDES_LOG: 'silent', NODE_ENV: 'development' };
const loaded = await loadSubgraphs();
const analyst = `Bearer ${await new SignJWT({ role: 'analyst' })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject('bench-hostile-analyst')
  .setAudience('kopdes-graph')
  .setIssuedAt()
  .setExpirationTime('2h')
  .sign(new TextEncoder().encode(secret))}`;
let caller = { token: '', signedAt: 0 };
/** The public caller as the gateway forwards it; caller tokens live 60 s. */
const publicCaller = async () => {
  if (Date.now() - caller.signedAt > 30_000)
    caller = { token: await signCaller({ subject: 'bench-hostile-public', role: 'public' }, keys.privateKey), signedAt: Date.now() };
  return { [CALLER_HEADER]: caller.token };
};

interface Stack {
  gateway: string;
  subgraph: string;
  stop(): Promise<void>;
}

/** The subgraph host and the gateway, both with DOCUMENT_BOUNDS as given; the first start seeds the databases. */
async function startStack(bounds: boolean): Promise<Stack> {
  const env = { ...shared, DOCUMENT_BOUNDS: String(bounds) };
  const host = startNode(
    path.join(repoRoot, 'scripts/host.ts'),
    { ...env, KOPDES_EPHEMERAL_PORTS: 'true', KOPDES_GATEWAY_PUBLIC_KEY: keys.publicKeyPem },
    path.join(work, 'host.log'),
  );
  children.add(host);
  const hosted = await firstJsonLine<{ subgraphs: { name: string; url: string }[] }>(host);
  const urls = new Map(hosted.subgraphs.map((s) => [s.name, s.url]));
  const composed = composeSdl(
    await Promise.all(
      loaded.map(async ({ entry, definition }) => ({ name: entry.name, sdl: await printFederatedSchema(definition), url: urls.get(entry.name)! })),
    ),
  );
  if (!composed.supergraphSdl) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
  const supergraphPath = path.join(work, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
  const port = await freePort();
  const gateway = startNode(
    path.join(repoRoot, 'gateway/src/index.ts'),
    {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SUPERGRAPH_PATH: supergraphPath,
      SUPERGRAPH_WATCH: 'false',
      AUTH_HS256_SECRET: secret,
      KOPDES_GATEWAY_PRIVATE_KEY: keys.privateKeyPem,
      RATE_LIMIT_MAX: '1000000000',
      RESPONSE_CACHE_WARM: 'false',
      // Cached answers outlive the run: a 30 s expiry would re-execute the national aggregates in whichever phase it falls.
      RESPONSE_CACHE_TTL_MS: '3600000',
    },
    path.join(work, 'gateway.log'),
  );
  children.add(gateway);
  await waitForHttp(`http://127.0.0.1:${port}/health`, 120_000);
  return {
    gateway: `http://127.0.0.1:${port}`,
    subgraph: urls.get('regions')!,
    async stop() {
      await Promise.all([stopProcess(gateway), stopProcess(host)]);
      children.delete(gateway);
      children.delete(host);
    },
  };
}

const queries = loadOperations(path.join(repoRoot, 'schema/operations')).filter((op) => /^\s*query\b/.test(op.document));
const normalRequests = queries.map((op) => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', authorization: analyst, ...(executed ? { 'cache-control': 'no-cache' } : {}) },
  body: JSON.stringify({ query: op.document, ...(op.variables ? { variables: op.variables } : {}) }),
}));
const corpus = HOSTILE_REQUESTS.map((request) => ({ request, body: request.body() }));

/** CPU ms per request, per hostile request: [gateway, subgraph host] when sent to the gateway, and the host's when sent to the subgraph. */
async function cpuCosts(stack: Stack): Promise<{ viaGateway: number[]; direct: number }[]> {
  const metrics = [`${stack.gateway}/metrics`, stack.subgraph.replace(/\/graphql$/, '/metrics')];
  const costs: { viaGateway: number[]; direct: number }[] = [];
  for (const { body } of corpus) {
    const viaGateway = await cpuPerRequest(`${stack.gateway}/graphql`, body, {}, metrics);
    const [, direct] = await cpuPerRequest(stack.subgraph, body, await publicCaller(), metrics);
    costs.push({ viaGateway, direct: direct! });
  }
  return costs;
}

interface PhaseResult {
  normal: { rps: number; p50: number; p99: number; max: number; bad: number; requests: number };
  loop: { gateway: LoopDelay; subgraphs: LoopDelay };
  health: { gateway: number[]; subgraphs: number[] };
  hostile?: { gateway: HostileOutcome[][]; subgraph: HostileOutcome[][] };
}

/** Runs a client (scripts/lib/bench-hostile-client.ts) in its own process; resolves to the JSON line it prints. */
function client<T>(role: 'normal' | 'hostile', seconds: number, env: Record<string, string>): Promise<T> {
  const child = startNode(
    path.join(repoRoot, 'scripts/lib/bench-hostile-client.ts'),
    { ...env, BENCH_CLIENT: role, BENCH_DURATION: String(seconds) },
    path.join(work, `client-${role}.log`),
  );
  children.add(child);
  return firstJsonLine<T>(child).finally(() => children.delete(child));
}

const normalLoad = (stack: Stack, seconds: number) =>
  client<PhaseResult['normal']>('normal', seconds, {
    BENCH_URL: stack.gateway,
    BENCH_REQUESTS: JSON.stringify(normalRequests),
    BENCH_CONNECTIONS: String(connections),
    BENCH_RATE: String(rate),
  });

async function phase(stack: Stack, hostile: boolean): Promise<PhaseResult> {
  const subgraphMetrics = stack.subgraph.replace(/\/graphql$/, '/metrics');
  await Promise.all([loopDelay(`${stack.gateway}/metrics`), loopDelay(subgraphMetrics)]); // a new window starts now
  const polls = [pollHealth(`${stack.gateway}/health`), pollHealth(stack.subgraph.replace(/\/graphql$/, '/health'))];
  const [normal, sent] = await Promise.all([
    normalLoad(stack, duration),
    hostile
      ? client<NonNullable<PhaseResult['hostile']>>('hostile', duration, {
          BENCH_GATEWAY: stack.gateway,
          BENCH_SUBGRAPH: stack.subgraph,
          BENCH_CALLER_KEY: keys.privateKeyPem,
        })
      : undefined,
  ]);
  const [gatewayHealth, subgraphHealth] = await Promise.all(polls.map((p) => p.stop()));
  const [gatewayLoop, subgraphLoop] = await Promise.all([loopDelay(`${stack.gateway}/metrics`), loopDelay(subgraphMetrics)]);
  return {
    normal,
    loop: { gateway: gatewayLoop, subgraphs: subgraphLoop },
    health: { gateway: gatewayHealth!, subgraphs: subgraphHealth! },
    ...(sent ? { hostile: sent } : {}),
  };
}

const uptime = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
const f = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '–');
const results: Record<string, { normal: PhaseResult; hostile: PhaseResult; cpu: { viaGateway: number[]; direct: number }[] }> = {};
const loadBefore = uptime();
try {
  for (const bounds of [true, false]) {
    const label = bounds ? 'bounds on' : 'bounds off (DOCUMENT_BOUNDS=false)';
    console.error(`[${label}] starting the subgraph host and the gateway…`);
    const stack = await startStack(bounds);
    // Warm-up: JIT, query plans and connection pools. The hostile corpus is sent cold.
    await normalLoad(stack, 5);
    console.error(`[${label}] normal load alone, ${duration} s…`);
    const normal = await phase(stack, false);
    console.error(`[${label}] normal load and the hostile corpus, ${duration} s…`);
    const hostile = await phase(stack, true);
    console.error(`[${label}] CPU per hostile request, each sent 3 times alone…`);
    results[label] = { normal, hostile, cpu: await cpuCosts(stack) };
    await stack.stop();
  }
} catch (error) {
  console.error(`bench:hostile failed: ${(error as Error).stack ?? String(error)}\nLogs kept in ${work}`);
  await Promise.allSettled([...children].map((c) => stopProcess(c)));
  process.exit(1);
}
const loadAfter = uptime();

const stats = (v: number[]) => `${f(percentile(v, 50))} / ${f(percentile(v, 99))} / ${f(Math.max(...v))}`;
console.log(
  `\nbench:hostile, ${new Date().toISOString().slice(0, 10)}; load average (1, 5, 15 min) ${loadBefore} before, ${loadAfter} after; ${queries.length} registered queries as an analyst (${executed ? 'Cache-Control: no-cache, every one executed' : 'as clients send them: repeats from the response cache'}), ${connections} connections${rate ? ` at ${rate} req/s in all` : ' as fast as answered'}, ${duration} s per phase; ${corpus.length} hostile requests.\n`,
);
console.log(
  '| configuration | phase | normal req/s | normal p50 / p99 ms | normal not-OK | gateway loop delay p99 / max ms | subgraph host loop delay p99 / max ms | gateway /health p50 / p99 / max ms | subgraph /health p50 / p99 / max ms | hostile sent (gateway + subgraph) |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const [label, phases] of Object.entries(results)) {
  for (const [name, r] of [
    ['normal load', phases.normal],
    ['normal + hostile', phases.hostile],
  ] as const) {
    const sent = r.hostile ? r.hostile.gateway.flat().length + r.hostile.subgraph.flat().length : 0;
    console.log(
      `| ${label} | ${name} | ${f(r.normal.rps)} | ${f(r.normal.p50)} / ${f(r.normal.p99)} | ${r.normal.bad} of ${r.normal.requests} | ${f(r.loop.gateway.p99)} / ${f(r.loop.gateway.max)} | ${f(r.loop.subgraphs.p99)} / ${f(r.loop.subgraphs.max)} | ${stats(r.health.gateway)} | ${stats(r.health.subgraphs)} | ${sent} |`,
    );
  }
}
const labels = Object.keys(results);
console.log(
  `\nPer hostile request: answer, time to answer (ms, p50 / max, during the load), and CPU ms per request spent by the gateway + the subgraph host (sent to the gateway) or by the subgraph host (sent straight to a subgraph), each sent 3 times alone after the load.\n`,
);
console.log(`| hostile request | ${labels.map((l) => `${l}: gateway answer | ms | CPU ms | subgraph answer | ms | CPU ms`).join(' | ')} |`);
console.log(`|---|${labels.map(() => '---|---|---|---|---|---').join('|')}|`);
corpus.forEach(({ request }, i) => {
  const cells = labels.map((l) => {
    const {
      hostile: { hostile: sent },
      cpu,
    } = results[l]!;
    const times = (o: HostileOutcome[]) =>
      `${f(
        percentile(
          o.map((x) => x.ms),
          50,
        ),
      )} / ${f(Math.max(...o.map((x) => x.ms)))}`;
    const { viaGateway, direct } = cpu[i]!;
    return `${describeOutcomes(sent!.gateway[i]!)} | ${times(sent!.gateway[i]!)} | ${f(viaGateway[0]!)} + ${f(viaGateway[1]!)} | ${describeOutcomes(sent!.subgraph[i]!)} | ${times(sent!.subgraph[i]!)} | ${f(direct)}`;
  });
  console.log(`| ${request.name} | ${cells.join(' | ')} |`);
});
const cpuTotal = (l: string) => results[l]!.cpu.reduce((sum, c) => sum + c.viaGateway[0]! + c.viaGateway[1]! + c.direct, 0);
console.log(`\nCPU for one pass of the corpus (to the gateway and to a subgraph): ${labels.map((l) => `${l} ${f(cpuTotal(l))} ms`).join('; ')}.`);
const on = results[labels[0]!]!.hostile;
const refused = on.hostile!.gateway.every(refusedWithCode) && on.hostile!.subgraph.every(refusedWithCode);
const goal = Math.max(on.loop.gateway.p99, on.loop.subgraphs.p99) <= 50 && Math.max(on.loop.gateway.max, on.loop.subgraphs.max) <= 200;
console.log(
  `\nWith bounds on: every hostile request refused with a 4xx and a code: ${refused ? 'yes' : 'NO'}; event-loop delay p99 ≤ 50 ms and max ≤ 200 ms in both processes: ${goal ? 'yes' : 'NO'}.`,
);
await cleanup();
process.exit(refused ? 0 : 1);
