/**
 * Bounded load test on 127.0.0.1 (`npm run bench:load`): N concurrent clients for D seconds
 * against the real gateway and subgraphs, each in its own process on the test region
 * (KOPDES_SEED_SCOPE=35.14, a temporary KOPDES_DATA_DIR); one subgraph is restarted midway.
 * Reports requests, errors other than the expected partial answers (goal 0), latency
 * percentiles, and the gateway's RSS before and after.
 *
 *   npm run bench:load -- [--connections 50] [--duration 30] [--restart financing] [--restart-at 10]
 *   (or LOAD_CONNECTIONS, LOAD_DURATION, LOAD_RESTART, LOAD_RESTART_AT)
 */
// The gateway sets this itself; every script that may build a gateway sets it too.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { generateSigningKeys, printFederatedSchema, repoRoot, sampleValue } from '@kopdes/kit';
import { SignJWT } from 'jose';
import { composeSdl } from './lib/composition';
import { waitForHttp } from './lib/processes';
import { loadSubgraphs } from './lib/registry';

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  onResponse?: (status: number, body: string) => void;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult> & { stop(): void };
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function option(flag: string, env: string, fallback: string): string {
  const i = process.argv.indexOf(`--${flag}`);
  return (i > 0 ? process.argv[i + 1] : undefined) ?? process.env[env] ?? fallback;
}
const connections = Number(option('connections', 'LOAD_CONNECTIONS', '50'));
const duration = Number(option('duration', 'LOAD_DURATION', '30'));
const restarted = option('restart', 'LOAD_RESTART', 'financing');
const restartAt = Number(option('restart-at', 'LOAD_RESTART_AT', String(Math.round(duration / 3))));
if (!(connections > 0 && connections <= 500 && duration > 0 && duration <= 600)) {
  console.error('--connections must be 1..500 and --duration 1..600 seconds: this test is bounded.');
  process.exit(2);
}

const work = mkdtempSync(path.join(tmpdir(), 'kopdes-load-'));
const children = new Set<ChildProcess>();
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Runs a TypeScript entry in its own Node process (Node itself, tsx as a loader: signals reach it directly). */
function start(name: string, script: string, env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  const out = createWriteStream(path.join(work, `${name}.log`), { flags: 'a' });
  // Embedded databases only: no DATABASE_URL from the caller's shell reaches the children.
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/DATABASE_URL$/.test(key)));
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function cleanup(): Promise<void> {
  await Promise.allSettled([...children].map(stopChild));
  if (!process.env.LOAD_KEEP) rmSync(work, { recursive: true, force: true });
}
process.once('SIGINT', () => {
  void cleanup().then(() => process.exit(130));
});
// A hard bound: whatever happens, the test ends.
setTimeout(
  () => {
    console.error('Load test exceeded its time bound.');
    void cleanup().then(() => process.exit(1));
  },
  (duration + 600) * 1000,
).unref();

try {
  const keys = await generateSigningKeys();
  const secret = randomBytes(32).toString('base64url');
  const shared = { KOPDES_DATA_DIR: work, KOPDES_SEED_SCOPE: '35.14', HOST: '127.0.0.1', NODE_ENV: 'development' };
  const loaded = await loadSubgraphs();
  if (!loaded.some((s) => s.entry.name === restarted)) throw new Error(`No subgraph named ${restarted} to restart.`);

  log(`starting ${loaded.length} subgraphs (each its own process, embedded database seeded with region 35.14)…`);
  const ports = new Map<string, number>();
  const processes = new Map<string, ChildProcess>();
  const subgraphEnv = (name: string) => ({ ...shared, PORT: String(ports.get(name)), KOPDES_GATEWAY_PUBLIC_KEY: keys.publicKeyPem });
  const script = (name: string) => path.join(repoRoot, 'subgraphs', name, 'src/index.ts');
  for (const { entry } of loaded) {
    if (!existsSync(script(entry.name))) throw new Error(`${script(entry.name)} not found`);
    ports.set(entry.name, await freePort());
    processes.set(entry.name, start(entry.name, script(entry.name), subgraphEnv(entry.name)));
  }
  await Promise.all(loaded.map(({ entry }) => waitForHttp(`http://127.0.0.1:${ports.get(entry.name)}/health`, 600_000)));

  const composed = composeSdl(
    await Promise.all(
      loaded.map(async ({ entry, definition }) => ({
        name: entry.name,
        sdl: await printFederatedSchema(definition),
        url: `http://127.0.0.1:${ports.get(entry.name)}/graphql`,
      })),
    ),
  );
  if (!composed.supergraphSdl) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
  const supergraphPath = path.join(work, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);

  const gatewayPort = await freePort();
  // RSS is compared after a full garbage collection, which this hook runs on SIGUSR2 (load test only).
  const gcHook = path.join(work, 'gc-on-sigusr2.mjs');
  writeFileSync(gcHook, "process.on('SIGUSR2', () => globalThis.gc?.());\n");
  const gateway = start(
    'gateway',
    path.join(repoRoot, 'gateway/src/index.ts'),
    {
      ...shared,
      PORT: String(gatewayPort),
      SUPERGRAPH_PATH: supergraphPath,
      AUTH_HS256_SECRET: secret,
      KOPDES_GATEWAY_PRIVATE_KEY: keys.privateKeyPem,
      RATE_LIMIT_MAX: '1000000000',
      SUBGRAPH_TIMEOUT_MS: '10000',
    },
    ['--expose-gc', '--import', gcHook, ...(process.env.LOAD_GATEWAY_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])],
  );
  const base = `http://127.0.0.1:${gatewayPort}`;
  await waitForHttp(`${base}/health`, 120_000);

  const token = await new SignJWT({ role: 'analyst' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('load-test')
    .setAudience('kopdes-graph')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
  // Cache-Control: no-cache: every request is executed by the subgraphs. The response cache
  // would otherwise answer these three repeated queries, and hide the restart this test is about.
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'cache-control': 'no-cache' };
  const queries = [
    {
      query:
        'query LoadCooperative($id: ID!) { cooperative(id: $id) { id name stage members village { name district { name } regency { name } } financing { outstanding inArrears loans { lender plafond status } } } }',
      variables: { id: 'KDMP-35.14.01.2001' },
    },
    {
      query:
        'query LoadPage { cooperatives(first: 20, filter: { regionCode: "35.14.02" }) { totalCount edges { node { id name kind stage village { name } financing { outstanding inArrears } } } } }',
    },
    {
      query: 'query LoadVillage { village(code: "35.14.14.1001") { name kind district { name } cooperatives { id name members financing { outstanding } } } }',
    },
  ];

  // Answers are classified here: full, partial naming the restarted subgraph (expected), or anything else.
  const tally = { full: 0, partial: 0, unexpected: 0 };
  const samples: string[] = [];
  const classify = (status: number, body: string) => {
    let parsed: { data?: unknown; errors?: { message: string; extensions?: { code?: string; serviceName?: string } }[] } | undefined;
    try {
      parsed = JSON.parse(body) as never;
    } catch {
      /* counted below */
    }
    const expected = parsed?.errors?.every((e) => e.extensions?.serviceName === restarted && /^SUBGRAPH_/.test(e.extensions?.code ?? ''));
    if (status === 200 && parsed && !parsed.errors) tally.full += 1;
    else if (status === 200 && parsed?.data && expected) tally.partial += 1;
    else {
      tally.unexpected += 1;
      if (samples.length < 5) samples.push(`${status} ${body.slice(0, 300)}`);
    }
  };
  const requests: AutocannonRequest[] = queries.map((q) => ({ method: 'POST', path: '/graphql', headers, body: JSON.stringify(q), onResponse: classify }));

  for (const q of queries) {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify(q) });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`warm-up query failed: ${JSON.stringify(body.errors)}`);
  }
  // Warm-up at full concurrency, so RSS is compared at steady state (JIT, pools, caches filled).
  const warmup = Math.max(3, Math.min(10, Math.round(duration / 3)));
  log(`warming up (${warmup} s)…`);
  await autocannon({ url: base, connections, duration: warmup, requests: requests.map(({ onResponse: _, ...r }) => r) });
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const sample = async (url: string, name: string) => sampleValue(await (await fetch(url)).text(), name) ?? NaN;
  const rss = () => sample(`${base}/metrics`, 'process_resident_memory_bytes');
  const heap = () => sample(`${base}/metrics`, 'nodejs_heap_used_bytes');
  const heapAfterGc: number[] = [];
  const rssAfterGc = async () => {
    gateway.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 1_000));
    heapAfterGc.push(await heap());
    return rss();
  };
  // CPU seconds per process: where the time goes, whatever else the machine is running.
  const cpu = async () => {
    const out: Record<string, number> = { gateway: await sample(`${base}/metrics`, 'process_cpu_seconds_total') };
    for (const [name, port] of ports) out[name] = await sample(`http://127.0.0.1:${port}/metrics`, 'process_cpu_seconds_total').catch(() => NaN);
    return out;
  };
  const rssBefore = await rssAfterGc();
  const cpuBefore = await cpu();

  log(`load: ${connections} connections for ${duration} s; restarting ${restarted} at ${restartAt} s`);
  let restart: { downMs?: number; error?: string } = {};
  const restartTimer = setTimeout(() => {
    const started = Date.now();
    const old = processes.get(restarted)!;
    log(`restarting ${restarted} (SIGTERM, then start again on the same port and data)`);
    stopChild(old)
      .then(async () => {
        processes.set(restarted, start(restarted, script(restarted), subgraphEnv(restarted)));
        await waitForHttp(`http://127.0.0.1:${ports.get(restarted)}/health`, 120_000);
        restart = { downMs: Date.now() - started };
        log(`${restarted} back after ${restart.downMs} ms`);
      })
      .catch((error: Error) => {
        restart = { error: error.message };
      });
  }, restartAt * 1000);
  const timeline: string[] = [];
  const sampler = setInterval(() => {
    fetch(`${base}/metrics`)
      .then((r) => r.text())
      .then(
        (text) => {
          timeline.push(`${mb(sampleValue(text, 'process_resident_memory_bytes') ?? NaN)} (heap ${mb(sampleValue(text, 'nodejs_heap_used_bytes') ?? NaN)})`);
        },
        () => {},
      );
  }, 5_000);
  const result = await autocannon({ url: base, connections, duration, timeout: 30, requests });
  clearTimeout(restartTimer);
  clearInterval(sampler);
  const rssAfter = await rss();
  const cpuAfter = await cpu();
  await new Promise((r) => setTimeout(r, 3_000));
  const rssIdle = await rssAfterGc();

  // Full answers are back once the subgraph is.
  await waitForHttp(`http://127.0.0.1:${ports.get(restarted)}/health`, 120_000);
  const after = (await (await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify(queries[0]) })).json()) as { errors?: unknown };
  const metrics = await (await fetch(`${base}/metrics`)).text();

  const report = {
    connections,
    durationSeconds: duration,
    restarted,
    restartAtSeconds: restartAt,
    restartDowntimeMs: restart.downMs ?? null,
    restartError: restart.error,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    fullAnswers: tally.full,
    expectedPartialAnswers: tally.partial,
    unexpectedErrors: tally.unexpected + result.errors + result.timeouts,
    transportErrors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    // before and afterGc: after a full collection; after: the moment the load stops.
    gatewayRss: { before: mb(rssBefore), after: mb(rssAfter), afterGc: mb(rssIdle), growth: mb(rssIdle - rssBefore), every5s: timeline },
    gatewayHeapAfterGc: { before: mb(heapAfterGc[0]!), after: mb(heapAfterGc[1]!), growth: mb(heapAfterGc[1]! - heapAfterGc[0]!) },
    // The restarted subgraph's counter starts again at its restart.
    cpuMsPerRequest: Object.fromEntries(
      Object.keys(cpuAfter).map((name) => [
        name,
        Math.round((((cpuAfter[name]! - (name === restarted ? 0 : cpuBefore[name]!)) * 1000) / result.requests.total) * 100) / 100,
      ]),
    ),
    machineLoadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
    subgraphFetchErrors: sampleValue(metrics, 'kopdes_gateway_subgraph_errors_total', { subgraph: restarted }) ?? 0,
    fullAnswerAfterRestart: after.errors === undefined,
    ...(samples.length ? { unexpectedSamples: samples } : {}),
  };
  console.log(JSON.stringify(report, null, 2));
  await stopChild(gateway);
  await cleanup();
  process.exit(report.unexpectedErrors === 0 && report.fullAnswerAfterRestart ? 0 : 1);
} catch (error) {
  console.error(`Load test failed: ${(error as Error).stack ?? String(error)}\nLogs: ${work} (kept)`);
  process.env.LOAD_KEEP = '1';
  await cleanup();
  process.exit(1);
}
