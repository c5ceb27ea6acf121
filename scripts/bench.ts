/**
 * `npm run bench`: this gateway against a stock @apollo/gateway and @graphql-hive/gateway, on
 * the same subgraphs, the same PostgreSQL databases (national dataset, seeded once) and the same
 * supergraph, one gateway at a time, in rounds that alternate the gateways. Loopback only.
 *
 *   npm run bench                   full run: the realistic workload (3 rounds × ~20 s, 20 connections)
 *   npm run bench -- --short        CI guard: this gateway (production settings) and the stock one on
 *                                   Q1–Q3, 2 rounds × ~5 s, 10 connections, then a short realistic
 *                                   workload; exits 1 when this gateway serves fewer requests/s than
 *                                   the stock one on Q1–Q3 or on the realistic workload, or when its
 *                                   executed (not cached) profile requests are slower than the stock one's
 *   options: --rounds N --seconds N --connections N --warmup N --min-waves N --probes N --queries Q1,Q3
 *            --gateways kopdes,kopdes-nocache,stock,hive --reseed --split-subgraphs --port-base N
 *            --workload real|fixed|distinct  (default: real for the full run, fixed + a short real phase for --short)
 *              real      70% profiles (ids of all 83,762 cooperatives, Zipf popularity, exponent --zipf S, default 1),
 *                        15% region lists (all provinces and regencies), 10% the dashboard, 5% regency exports;
 *                        seeded (--seed N), the same sequence for every gateway; response cache as deployed
 *              fixed     each query Q1–Q5 alone, every request identical (a gateway that merges identical
 *                        in-flight subgraph requests, as Hive does by default, skips most subgraph work)
 *              distinct  each query alone, rotating ids and region codes (--distinct is the same)
 *            --mix profile | profile=80,regionList=20,dashboard=0,export=0  the realistic workload's request types
 *                        and weights (default profile=70,regionList=15,dashboard=10,export=5)
 *            --cpu-prof DIR  the subgraph processes and this gateway run under `node --cpu-prof`, profiles in
 *                        DIR/<subgraph>/ and DIR/<gateway>/
 *            --database-url postgresql://postgres@127.0.0.1:5432/postgres (BENCH_DATABASE_URL)
 *
 * Prints a markdown table and writes bench-results/<timestamp>.json (logs next to it).
 *
 * The subgraphs refuse requests without a caller token signed by the gateway's key. This
 * gateway signs one per request, as in production. The other two cannot sign, so they forward
 * one static token for the same analyst, signed with the bench's key (the subgraphs' check is
 * unchanged: they accept it because the bench gives them its public key).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from '@kopdes/kit';
import { createBenchKeys, type BenchKeys } from './lib/bench-keys';
import { percentile, probe, runLoad, SubgraphHosts } from './lib/bench-load';
import { benchGatewayEnv, postgresCpuMs, procSample, sampleRss, startNode, stopProcess } from './lib/bench-process';
import { BENCH_QUERIES, discovered, DISCOVERY, requestBody, type BenchQuery, type Discovered } from './lib/bench-queries';
import { GATEWAY_LABELS, markdownTable, summarise, type GatewayId, type RunRecord } from './lib/bench-report';
import { DEFAULT_MIX, describeMix, loadPools, parseMix, realSequence, runReal, type RealPools } from './lib/bench-real';
import { realTables, summariseReal, type RealRecord } from './lib/bench-real-report';
import { firstJsonLine, waitForHttp } from './lib/processes';
import { subgraphEntries } from './lib/registry';
import { productionCommand } from './deploy/dockerfile';

/** Node's flags in an image's CMD (heap sizes): the bench runs this gateway and the subgraphs as deployed. */
const imageNodeFlags = (kind: 'gateway' | 'subgraph') =>
  productionCommand(kind)
    .argv.slice(1)
    .filter((a, i, all) => a.startsWith('--') && a !== '--import' && all[i - 1] !== '--import');
const GATEWAY_NODE_FLAGS = imageNodeFlags('gateway');
const SUBGRAPH_NODE_FLAGS = imageNodeFlags('subgraph');

// ---------------------------------------------------------------------------------------
// Settings

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0
    ? argv[i + 1]
    : argv
        .find((a) => a.startsWith(`--${name}=`))
        ?.split('=')
        .slice(1)
        .join('=');
};
const numberOption = (name: string, fallback: number) => {
  const value = option(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number; got "${value}".`);
  return n;
};

const short = flag('short');
const settings = {
  mode: short ? 'short' : 'full',
  rounds: numberOption('rounds', short ? 2 : 3),
  seconds: numberOption('seconds', short ? 5 : 20),
  warmupSeconds: numberOption('warmup', short ? 1 : 2),
  connections: numberOption('connections', short ? 10 : 20),
  /** At least this many requests per connection in a measured run, however slow the query. */
  minWaves: numberOption('min-waves', short ? 2 : 3),
  probes: numberOption('probes', short ? 3 : 10),
  gateways: (option('gateways') ?? (short ? 'kopdes,stock' : 'kopdes,kopdes-nocache,stock,hive')).split(',') as GatewayId[],
  queries: (option('queries') ?? (short ? 'Q1,Q2,Q3' : BENCH_QUERIES.map((q) => q.id).join(','))).split(','),
  /** real: the mixed, skewed workload; fixed: one query at a time, identical requests; distinct: one query at a time, rotating variables. */
  workload: (option('workload') ?? (flag('distinct') ? 'distinct' : short ? 'fixed' : 'real')) as 'real' | 'fixed' | 'distinct',
  zipf: numberOption('zipf', 1),
  seed: numberOption('seed', 20_261_204),
  splitSubgraphs: flag('split-subgraphs'),
  reseed: flag('reseed'),
  portBase: numberOption('port-base', 4760),
  /** Where the subgraph processes write V8 CPU profiles (`node --cpu-prof`), one folder per process; profiling slows them. */
  cpuProf: option('cpu-prof'),
  /** The realistic workload's request types and shares (`--mix profile`, `--mix profile=80,regionList=20`). */
  mix: option('mix') ? parseMix(option('mix')!) : DEFAULT_MIX,
  databaseUrl: option('database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
};
if (!['real', 'fixed', 'distinct'].includes(settings.workload)) throw new Error(`--workload must be real, fixed or distinct; got "${settings.workload}".`);
const distinct = settings.workload === 'distinct';
/** One query at a time (Q1–Q5): the fixed or distinct workload, and the guard's first phase. */
const perQuery = settings.workload !== 'real';
/** The realistic workload: the full run's default, and the guard's second phase. */
const realPhase = settings.workload === 'real' || short;
for (const g of settings.gateways)
  if (!(g in GATEWAY_LABELS)) throw new Error(`Unknown gateway "${g}"; choose from ${Object.keys(GATEWAY_LABELS).join(', ')}.`);
const queries = settings.queries.map((id) => {
  const q = BENCH_QUERIES.find((b) => b.id === id);
  if (!q) throw new Error(`Unknown query "${id}"; choose from ${BENCH_QUERIES.map((b) => b.id).join(', ')}.`);
  return q;
});
/** Q1–Q3: the regression guard's queries. */
const GUARDED = ['Q1', 'Q2', 'Q3'];
/** How much slower (p50) this gateway's executed profiles may be than the stock gateway's before the guard fails. */
const EXECUTED_P50_TOLERANCE = 1.5;

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = path.join(repoRoot, 'bench-results');
const logDir = path.join(resultsDir, `${stamp}-logs`);
mkdirSync(logDir, { recursive: true });
const scratch = mkdtempSync(path.join(tmpdir(), 'kopdes-bench-'));
const note = (message: string) => process.stderr.write(`${message}\n`);
const children = new Set<ChildProcess>();

async function cleanup(): Promise<void> {
  await Promise.allSettled([...children].map((c) => stopProcess(c)));
  rmSync(scratch, { recursive: true, force: true });
}
process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));

// ---------------------------------------------------------------------------------------
// Databases: one per subgraph on the PostgreSQL server, seeded once by the subgraphs themselves

const entries = subgraphEntries();
const databaseName = (subgraph: string) => `kopdes_bench_${subgraph.replace(/-/g, '_')}`;
function databaseUrlOf(subgraph: string): string {
  const url = new URL(settings.databaseUrl);
  url.pathname = `/${databaseName(subgraph)}`;
  return url.toString();
}

async function prepareDatabases(): Promise<void> {
  const admin = new pg.Client({ connectionString: settings.databaseUrl });
  await admin.connect().catch((error: Error) => {
    throw new Error(`Cannot reach PostgreSQL at ${settings.databaseUrl.replace(/:[^:@/]*@/, ':***@')} (${error.message}). Start it, or pass --database-url.`);
  });
  try {
    for (const entry of entries) {
      const name = databaseName(entry.name);
      if (settings.reseed) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * Every bench database must hold the national dataset (a scoped seed would flatter everyone);
 * ANALYZE so the planner has statistics right after seeding instead of whenever autovacuum runs.
 */
async function checkDatabases(): Promise<void> {
  for (const entry of entries) {
    const client = new pg.Client({ connectionString: databaseUrlOf(entry.name) });
    await client.connect();
    try {
      const rows = (await client.query<{ scope: string | null }>('SELECT scope FROM "_kopdes_seed"')).rows;
      const scoped = rows.filter((r) => r.scope && r.scope !== 'national');
      if (scoped.length > 0)
        throw new Error(`${databaseName(entry.name)} was seeded with scope ${scoped[0]!.scope}, not the national dataset: run with --reseed.`);
      await client.query('ANALYZE');
    } finally {
      await client.end();
    }
  }
}

// ---------------------------------------------------------------------------------------
// Subgraphs

// Ports: subgraphs at base+1…, subgraph host control at base+20…, gateways at base+30….
const subgraphPort = (index: number) => settings.portBase + 1 + index;

/** schema/supergraph.graphql with each subgraph's URL pointed at its bench port: nothing else changes. */
function benchSupergraph(): string {
  const sdl = readFileSync(path.join(repoRoot, 'schema/supergraph.graphql'), 'utf8');
  const rewritten = sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (_, name: string) => {
    const index = entries.findIndex((e) => e.name === name);
    if (index < 0) throw new Error(`The supergraph names subgraph "${name}", which scripts/subgraphs.json does not list.`);
    return `@join__graph(name: "${name}", url: "http://127.0.0.1:${subgraphPort(index)}/graphql")`;
  });
  const file = path.join(scratch, 'supergraph.graphql');
  writeFileSync(file, rewritten);
  return file;
}

/** The subgraph host processes, whose CPU the realistic workload reports per request. */
const subgraphPids: number[] = [];
const subgraphCpuMs = () => subgraphPids.reduce((sum, pid) => sum + (procSample(pid)?.cpuMs ?? 0), 0);

async function startSubgraphs(keys: BenchKeys): Promise<SubgraphHosts> {
  const groups = settings.splitSubgraphs ? entries.map((e) => [e]) : [entries];
  const controlUrls: string[] = [];
  await Promise.all(
    groups.map(async (group, g) => {
      const port = settings.portBase + 20 + g;
      const child = startNode(
        path.join(repoRoot, 'scripts/lib/bench-subgraphs.ts'),
        {
          NODE_ENV: 'production',
          KOPDES_GATEWAY_PUBLIC_KEY: keys.callerPublicKeyPem,
          BENCH_CONTROL_PORT: String(port),
          BENCH_SUBGRAPHS: JSON.stringify(group.map((e) => ({ name: e.name, port: subgraphPort(entries.indexOf(e)), databaseUrl: databaseUrlOf(e.name) }))),
        },
        path.join(logDir, `subgraphs${groups.length > 1 ? `-${group[0]!.name}` : ''}.log`),
        [
          ...SUBGRAPH_NODE_FLAGS,
          ...(settings.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(settings.cpuProf, group.length > 1 ? 'subgraphs' : group[0]!.name)}`] : []),
        ],
      );
      children.add(child);
      subgraphPids.push(child.pid!);
      await firstJsonLine(child).catch((error: Error) => {
        throw new Error(`The bench subgraphs failed to start (${error.message}); see ${logDir}.`);
      });
      controlUrls.push(`http://127.0.0.1:${port}`);
    }),
  );
  return new SubgraphHosts(controlUrls);
}

interface SubgraphCounters {
  sql: number;
  kitSeconds?: number;
  requests: number;
  workMs: number;
}

/** SQL statements from each subgraph's /metrics (kopdes_subgraph_sql_statements_total), with the host's own timing. */
async function subgraphCounters(hosts: SubgraphHosts): Promise<SubgraphCounters> {
  const stats = await hosts.stats();
  const totals: SubgraphCounters = { sql: 0, requests: 0, workMs: 0 };
  await Promise.all(
    entries.map(async (entry, index) => {
      const text = await (await fetch(`http://127.0.0.1:${subgraphPort(index)}/metrics`)).text();
      const sample = (name: string) => {
        let found: number | undefined;
        for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) found = (found ?? 0) + Number(m[1]);
        return found;
      };
      const tally = stats[entry.name];
      totals.sql += sample('kopdes_subgraph_sql_statements_total') ?? tally?.sqlStatements ?? NaN;
      const kit = sample('kopdes_subgraph_request_duration_seconds_sum');
      if (kit !== undefined) totals.kitSeconds = (totals.kitSeconds ?? 0) + kit;
      totals.requests += tally?.requests ?? 0;
      totals.workMs += tally?.busyMs ?? 0;
    }),
  );
  return totals;
}

// ---------------------------------------------------------------------------------------
// Gateways

interface RunningGateway {
  child: ChildProcess;
  url: string;
}

/** Resolves once GET /ready no longer reports the gateway's warm-up as running (at most 5 minutes). */
async function warmedUp(readyUrl: string): Promise<void> {
  const until = Date.now() + 300_000;
  while (Date.now() < until) {
    const body = (await (await fetch(readyUrl)).json().catch(() => ({}))) as { warmUp?: { status?: string } };
    if (body.warmUp?.status !== 'running') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${readyUrl} still reports the warm-up running after 5 minutes.`);
}

async function startGateway(id: GatewayId, keys: BenchKeys, supergraph: string, round: number): Promise<RunningGateway> {
  const port = settings.portBase + 30 + settings.gateways.indexOf(id);
  const logFile = path.join(logDir, `${id}-round${round + 1}.log`);
  const common = { NODE_ENV: 'production', BENCH_SUPERGRAPH: supergraph, BENCH_PORT: String(port), BENCH_CALLER_KEY: keys.callerPrivateKeyPem };
  let child: ChildProcess;
  let url: string;
  if (id === 'kopdes' || id === 'kopdes-nocache') {
    // The production entry point and configuration, with the bench's keys. RATE_LIMIT_MAX=0:
    // the per-client rate limit (600 operations/min) would otherwise refuse a load test from one analyst.
    // kopdes-nocache: the same with the response cache off, to show what the gateway adds on a miss.
    child = startNode(
      path.join(repoRoot, 'gateway/src/index.ts'),
      benchGatewayEnv(port, supergraph, keys.callerPrivateKeyPem, keys.gatewayAuthEnv, { RESPONSE_CACHE: id === 'kopdes' ? 'true' : 'false' }),
      logFile,
      [...GATEWAY_NODE_FLAGS, ...(settings.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(settings.cpuProf, id)}`] : [])],
    );
    children.add(child);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`${GATEWAY_LABELS[id]} exited with ${code}; see ${logFile}.`))),
    );
    await Promise.race([waitForHttp(`http://127.0.0.1:${port}/health`, 60_000), exited]);
    // Its start-up warm-up (registered operations run once) must not overlap the measurements.
    await Promise.race([warmedUp(`http://127.0.0.1:${port}/ready`), exited]);
    url = `http://127.0.0.1:${port}/graphql`;
  } else {
    child = startNode(path.join(repoRoot, `scripts/lib/bench-${id}-gateway.ts`), common, logFile);
    children.add(child);
    const ready = await firstJsonLine<{ url: string }>(child).catch((error: Error) => {
      throw new Error(`${GATEWAY_LABELS[id]} failed to start (${error.message}); see ${logFile}.`);
    });
    url = ready.url.endsWith('/graphql') ? ready.url : `http://127.0.0.1:${port}/graphql`;
  }
  return { child, url };
}

async function stopGateway(gateway: RunningGateway): Promise<void> {
  await stopProcess(gateway.child);
  children.delete(gateway.child);
}

// ---------------------------------------------------------------------------------------
// Answers: checked once per gateway and round; the load then counts any other body as an error

interface Answer {
  body: string;
  ok: boolean;
  message: string;
  data?: unknown;
  ms: number;
}

async function answer(url: string, headers: Record<string, string>, query: BenchQuery): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(url, { method: 'POST', headers, body: requestBody(query) });
  const body = await res.text();
  const ms = Date.now() - started;
  try {
    const parsed = JSON.parse(body) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (!res.ok || parsed.errors?.length || !parsed.data)
      return { body, ms, ok: false, message: `HTTP ${res.status}: ${parsed.errors?.[0]?.message ?? body.slice(0, 200)}` };
    return { body, ms, ok: true, message: query.check(parsed.data), data: parsed.data };
  } catch (error) {
    return { body, ms, ok: false, message: `HTTP ${res.status}: ${(error as Error).message}: ${body.slice(0, 200)}` };
  }
}

// ---------------------------------------------------------------------------------------
// The run

const runs: RunRecord[] = [];
const answers: Record<string, Partial<Record<GatewayId, { ok: boolean; message: string; bytes: number; deterministic: boolean; sameAsStock?: boolean }>>> = {};
/** Each gateway's answer data (JSON), to compare with the stock gateway's; not written out. */
const answerData = new Map<string, string | undefined>();
const problems: string[] = [];
const started = Date.now();

let found: Discovered | undefined;

async function discover(gateway: RunningGateway, headers: Record<string, string>): Promise<Discovered> {
  const res = await fetch(gateway.url, { method: 'POST', headers, body: JSON.stringify({ query: DISCOVERY }) });
  const body = (await res.json()) as { data?: Parameters<typeof discovered>[0]; errors?: { message: string }[] };
  if (!body.data) throw new Error(`Discovery for --distinct failed: ${body.errors?.[0]?.message ?? res.status}`);
  return discovered(body.data);
}

const noErrors = (body: string) => body.startsWith('{"data"') && !body.includes('"errors"');

async function measure(id: GatewayId, gateway: RunningGateway, hosts: SubgraphHosts, headers: Record<string, string>, round: number): Promise<void> {
  if (distinct) found ??= await discover(gateway, headers);
  for (const query of queries) {
    const first = await answer(gateway.url, headers, query);
    const second = await answer(gateway.url, headers, query);
    const deterministic = first.body === second.body;
    answers[query.id] ??= {};
    answers[query.id]![id] = { ok: first.ok, message: first.message, bytes: first.body.length, deterministic };
    answerData.set(`${query.id} ${id}`, first.data === undefined ? undefined : JSON.stringify(first.data));
    if (!first.ok) problems.push(`round ${round + 1}, ${GATEWAY_LABELS[id]}, ${query.id}: ${first.message}`);
    if (!deterministic)
      problems.push(
        `round ${round + 1}, ${GATEWAY_LABELS[id]}, ${query.id}: two identical requests got different bodies; responses are checked for errors only.`,
      );
    // Every response must be the checked answer; a wrong first answer makes every response count as an error.
    const bodies = found && query.distinct ? query.distinct(found).map((variables) => requestBody(query, variables)) : undefined;
    const expect = !first.ok ? () => false : bodies || !deterministic ? noErrors : first.body;
    const load = { url: gateway.url, headers, body: requestBody(query), bodies, connections: settings.connections, expect };

    // Warm-up: about warmupSeconds of load, guessed from one unloaded request (fewer connections for a slow query).
    const guessedRps = (Math.min(settings.connections, availableParallelism()) * 1000) / Math.max(1, second.ms);
    const warmAmount = Math.max(1, Math.round(guessedRps * settings.warmupSeconds));
    const warm = await runLoad({ ...load, connections: Math.min(settings.connections, warmAmount), amount: warmAmount });
    await hosts.idle();
    // Measured: about `seconds` at the warm-up's rate, and at least minWaves requests per connection. Every request is answered and counted.
    const amount = Math.max(settings.minWaves * settings.connections, Math.round(warm.requestsPerSecond * settings.seconds));
    const loadAverage = loadavg()[0]!;
    const before = await subgraphCounters(hosts);
    const cpuBefore = procSample(gateway.child.pid!)?.cpuMs ?? NaN;
    const peak = sampleRss(gateway.child.pid!);
    const result = await runLoad({ ...load, amount });
    const peakRssMb = peak();
    if (result.errors > 0)
      problems.push(
        `round ${round + 1}, ${GATEWAY_LABELS[id]}, ${query.id}: ${result.errors} of ${result.requests} responses failed under load, e.g. ${result.failures[0] ?? 'connection errors or timeouts'}`,
      );
    const cpuAfter = procSample(gateway.child.pid!)?.cpuMs ?? NaN;
    await hosts.idle();
    const after = await subgraphCounters(hosts);

    const probeBefore = await subgraphCounters(hosts);
    const samples = await probe(hosts, { ...load, expect: first.ok ? (deterministic ? first.body : noErrors) : () => false }, settings.probes);
    const probeAfter = await subgraphCounters(hosts);

    const per = (value: number) => (result.requests > 0 ? value / result.requests : NaN);
    runs.push({
      round,
      gateway: id,
      query: query.id,
      load: result,
      peakRssMb,
      loadAverage,
      gatewayCpuMsPerRequest: per(cpuAfter - cpuBefore),
      underLoad: {
        subgraphRequestsPerRequest: per(after.requests - before.requests),
        subgraphWorkMsPerRequest: per(after.workMs - before.workMs),
        sqlStatementsPerRequest: per(after.sql - before.sql),
      },
      probe: {
        samples,
        sqlStatementsPerRequest: (probeAfter.sql - probeBefore.sql) / samples.length,
        kitSubgraphSecondsPerRequest:
          probeAfter.kitSeconds !== undefined && probeBefore.kitSeconds !== undefined
            ? (probeAfter.kitSeconds - probeBefore.kitSeconds) / samples.length
            : undefined,
      },
    });
    note(
      `  ${query.id} ${GATEWAY_LABELS[id].padEnd(22)} ${result.requestsPerSecond.toFixed(1).padStart(8)} req/s  p50 ${result.p50Ms.toFixed(1)} ms  p99 ${result.p99Ms.toFixed(1)} ms  errors ${result.errors}  RSS ${Math.round(peakRssMb)} MB  unloaded ${percentile(
        samples.map((s) => s.latencyMs),
        50,
      ).toFixed(1)} ms`,
    );
  }
}

const realRuns: RealRecord[] = [];
let pools: RealPools | undefined;

/** The realistic workload against one gateway: a warm-up on another seed's sequence, then the measured sequence. */
async function measureReal(id: GatewayId, gateway: RunningGateway, hosts: SubgraphHosts, headers: Record<string, string>, round: number): Promise<void> {
  pools ??= await loadPools(databaseUrlOf);
  const seconds = short ? 8 : settings.seconds; // short: long enough for a few hundred executed profiles per gateway
  const minRequests = settings.minWaves * settings.connections;
  // Warm-up: JIT, query plans and connections, with other ids (the response cache starts cold for the measured sequence).
  await runReal(
    gateway.url,
    headers,
    realSequence(pools, { seed: settings.seed + 1, s: settings.zipf, mix: settings.mix }),
    settings.connections,
    settings.warmupSeconds,
  );
  await hosts.idle();
  const loadAverage = loadavg()[0]!;
  const before = await subgraphCounters(hosts);
  const cpuBefore = procSample(gateway.child.pid!)?.cpuMs ?? NaN;
  const subgraphCpuBefore = subgraphCpuMs();
  const postgresBefore = postgresCpuMs();
  const peak = sampleRss(gateway.child.pid!);
  const load = await runReal(
    gateway.url,
    headers,
    realSequence(pools, { seed: settings.seed, s: settings.zipf, mix: settings.mix }),
    settings.connections,
    seconds,
    minRequests,
  );
  const peakRssMb = peak();
  const cpuAfter = procSample(gateway.child.pid!)?.cpuMs ?? NaN;
  const subgraphCpuAfter = subgraphCpuMs();
  const postgresAfter = postgresCpuMs();
  await hosts.idle();
  const after = await subgraphCounters(hosts);
  if (load.errors > 0)
    problems.push(
      `round ${round + 1}, ${GATEWAY_LABELS[id]}, realistic workload: ${load.errors} of ${load.requests} responses failed, e.g. ${load.failures[0] ?? 'connection errors'}`,
    );
  realRuns.push({
    round,
    gateway: id,
    load,
    loadAverage,
    peakRssMb,
    gatewayCpuMsPerRequest: (cpuAfter - cpuBefore) / load.requests,
    subgraphCpuMsPerRequest: (subgraphCpuAfter - subgraphCpuBefore) / load.requests,
    postgresCpuMsPerRequest: (postgresAfter - postgresBefore) / load.requests,
    subgraphRequestsPerRequest: (after.requests - before.requests) / load.requests,
    sqlStatementsPerRequest: (after.sql - before.sql) / load.requests,
  });
  const t = load.byType;
  note(
    `  real ${GATEWAY_LABELS[id].padEnd(22)} ${load.requestsPerSecond.toFixed(1).padStart(8)} req/s  cache hits ${(load.cacheHitRate * 100).toFixed(0)}%  profile ${t.profile.requestsPerSecond.toFixed(1)} req/s p50 ${t.profile.p50Ms.toFixed(1)} ms  list ${t.regionList.p50Ms.toFixed(1)} ms  dashboard ${t.dashboard.p50Ms.toFixed(1)} ms  export ${t.export.p50Ms.toFixed(1)} ms  errors ${load.errors}  RSS ${Math.round(peakRssMb)} MB  load ${loadAverage.toFixed(1)}`,
  );
}

let exitCode = 0;
try {
  note(
    `Kopdes Graph gateway benchmark (${settings.mode}, workload ${settings.workload}${short ? ' + a short real phase' : ''}): ${settings.rounds} rounds × ${perQuery ? `${queries.length} queries` : 'the realistic workload'} × ${settings.gateways.length} gateways, ~${settings.seconds} s at ${settings.connections} connections each. Logs: ${path.relative(repoRoot, logDir)}/`,
  );
  await prepareDatabases();
  const keys = await createBenchKeys(scratch);
  const supergraph = benchSupergraph();
  note(
    `Starting the subgraphs on PostgreSQL (${entries.map((e) => databaseName(e.name)).join(', ')}); an empty database is seeded with the national dataset first (about a minute)…`,
  );
  const hosts = await startSubgraphs(keys);
  await checkDatabases();
  const headers = { 'content-type': 'application/json', authorization: keys.authorization };

  for (let round = 0; round < settings.rounds; round += 1) {
    // Rotate the order each round, so no gateway always runs first (or last) on a drifting machine.
    const order = settings.gateways.map((_, i) => settings.gateways[(i + round) % settings.gateways.length]!);
    note(`Round ${round + 1}/${settings.rounds}: ${order.map((g) => GATEWAY_LABELS[g]).join(' → ')}`);
    for (const id of order) {
      const gateway = await startGateway(id, keys, supergraph, round);
      try {
        if (perQuery) await measure(id, gateway, hosts, headers, round);
        if (realPhase) await measureReal(id, gateway, hosts, headers, round);
      } finally {
        await stopGateway(gateway);
      }
    }
  }

  const agree: Record<string, Record<string, boolean>> = {};
  for (const [query, byGateway] of Object.entries(answers)) {
    const stock = answerData.get(`${query} stock`);
    agree[query] = {};
    for (const [gateway, a] of Object.entries(byGateway)) {
      if (stock === undefined) continue;
      a!.sameAsStock = answerData.get(`${query} ${gateway}`) === stock;
      agree[query]![gateway] = a!.sameAsStock;
    }
  }
  for (const [query, byGateway] of Object.entries(agree)) {
    for (const [gateway, same] of Object.entries(byGateway))
      if (!same) problems.push(`${query}: ${GATEWAY_LABELS[gateway as GatewayId]}'s answer differs from the stock gateway's.`);
  }

  const summaries = summarise(
    runs,
    settings.gateways,
    queries.map((q) => q.id),
    agree,
  );
  const guard =
    perQuery && settings.gateways.includes('kopdes') && settings.gateways.includes('stock')
      ? GUARDED.filter((q) => settings.queries.includes(q)).map((q) => {
          const ours = summaries.find((s) => s.gateway === 'kopdes' && s.query === q)!;
          // The median of the rounds' paired ratios: one round hit by a burst of other work on the machine does not decide.
          const ratio = percentile(ours.roundRatios ?? [], 50, 'interpolate');
          return { query: q, requestsPerSecondVsStock: ratio, roundRatios: ours.roundRatios, errors: ours.errors, pass: ratio >= 1 && ours.errors === 0 };
        })
      : [];
  const realSummaries = summariseReal(realRuns, settings.gateways);
  const ourReal = realSummaries.find((s) => s.gateway === 'kopdes');
  if (ourReal && settings.gateways.includes('stock')) {
    // Cache hits alone could carry the throughput: the executed profiles must not be slower than the stock gateway's.
    // Their p50 is mostly the subgraphs' time (the same for both gateways) over a few hundred requests of a ~4 s
    // phase, so it moves run to run (0.66×–1.20× measured on an idle machine): a slowdown past 50% fails.
    const executed = ourReal.byType.profile.executedP50VsStock ?? NaN;
    const ratio = ourReal.vsStock ?? NaN;
    guard.push({
      query: 'realistic workload',
      requestsPerSecondVsStock: ratio,
      roundRatios: ourReal.roundRatiosVsStock,
      errors: ourReal.errors,
      executedProfileP50VsStock: executed,
      pass: ratio >= 1 && executed <= EXECUTED_P50_TOLERANCE && ourReal.errors === 0,
    } as (typeof guard)[number]);
  }
  const failed = guard.filter((g) => !g.pass);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const busiest = Math.max(0, ...runs.map((r) => r.loadAverage), ...realRuns.map((r) => r.loadAverage));
  const header = [
    `Kopdes Graph gateway benchmark, ${settings.mode} run, ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${availableParallelism()} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version};`,
    `everything on this machine (gateways, subgraphs, PostgreSQL 127.0.0.1:5432, autocannon). Workload: ${[perQuery ? (distinct ? 'each query alone, distinct requests (ids and region codes rotate; Q3 has no variables)' : 'each query alone, identical requests') : '', realPhase ? `realistic (${describeMix(settings.mix)}; profiles of all 83,762 cooperatives with Zipf popularity s=${settings.zipf}, region lists over all provinces and regencies, exports over all regencies; seed ${settings.seed}; response cache as deployed)` : ''].filter(Boolean).join('; then ')}. ${settings.rounds} rounds alternating the gateways; per ${perQuery ? 'query' : 'workload'}, gateway and round: ~${settings.warmupSeconds} s of warm-up, then ~${settings.seconds} s of load (at least ${settings.minWaves} requests per connection) at ${settings.connections} connections; national dataset (83,762 cooperatives, synthetic ministry data).`,
    ...(perQuery
      ? [
          '',
          'Columns: req/s, p50/p99 under load (mean of the rounds); errors = failed or wrong responses; peak RSS of the gateway process under load; gateway CPU per request under load;',
          'SQL statements and subgraph calls per request, one request at a time and under load (fewer under load: the gateway merged identical subgraph requests in flight);',
          "then one request at a time: latency, the subgraphs' own time on the critical path (union of their request intervals), and the rest: the gateway's overhead. \"vs stock\" = figure ÷ stock gateway's (the guard uses the median of the rounds' paired req/s ratios).",
        ]
      : []),
    ...(busiest > availableParallelism()
      ? [
          '',
          `**Warning**: the machine was busy with other work during the run (1-minute load average up to ${busiest.toFixed(1)} on ${availableParallelism()} cores): absolute figures are low and noisy; the ratios, taken round by round, are the figures to compare.`,
        ]
      : []),
  ].join('\n');
  const legend = queries.map((q) => `- **${q.id}**: ${q.title}`).join('\n');
  const perQueryPart = perQuery ? `${legend}\n\n${markdownTable(summaries)}\n` : '';
  const realPart =
    realPhase && realSummaries.length
      ? `\nRealistic workload (one mixed run per gateway and round; "vs" = median of the rounds' paired ratios; "executed" = answers not from the response cache; load avg = 1-minute load average at the start of the measured load):\n\n${realTables(realSummaries)}\n`
      : '';
  const executedNote = (g: (typeof guard)[number]) => {
    const executed = (g as { executedProfileP50VsStock?: number }).executedProfileP50VsStock;
    return executed === undefined ? '' : `, executed profiles' p50 ${Number.isFinite(executed) ? `${executed.toFixed(2)}×` : 'n/a'} stock's`;
  };
  const verdict =
    guard.length === 0
      ? ''
      : failed.length === 0
        ? `Guard: PASS: this gateway's requests/s is at least the stock gateway's on ${guard.map((g) => `${g.query} (${g.requestsPerSecondVsStock.toFixed(2)}×${executedNote(g)})`).join(', ')} (median of the rounds' ratios).`
        : `Guard: FAIL: ${failed.map((g) => `${g.query} ${Number.isFinite(g.requestsPerSecondVsStock) ? `${g.requestsPerSecondVsStock.toFixed(2)}× stock (rounds: ${(g.roundRatios ?? []).map((r) => r.toFixed(2)).join(', ')})` : 'no ratio'}${executedNote(g)}${g.errors ? `, ${g.errors} errors` : ''}`).join('; ')}. Needs, on Q1–Q3 and the realistic workload, requests/s at least the stock gateway's (median of the rounds' ratios), executed profile requests at most ${Math.round((EXECUTED_P50_TOLERANCE - 1) * 100)}% slower (p50), and no errors.`;
  console.log(
    `${header}\n\n${perQueryPart}${realPart}${problems.length ? `\nProblems:\n${[...new Set(problems)].map((p) => `- ${p}`).join('\n')}\n` : ''}\n${verdict}`,
  );

  const jsonFile = path.join(resultsDir, `${stamp}.json`);
  writeFileSync(
    jsonFile,
    JSON.stringify(
      {
        startedAt: new Date(started).toISOString(),
        durationS: Math.round((Date.now() - started) / 1000),
        settings,
        machine: { cores: availableParallelism(), cpu, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
        gateways: Object.fromEntries(settings.gateways.map((g) => [g, GATEWAY_LABELS[g]])),
        queries: queries.map(({ id, title, operationName, document, variables }) => ({ id, title, operationName, document, variables })),
        answers,
        problems: [...new Set(problems)],
        guard,
        summary: summaries,
        runs,
        realSummary: realSummaries,
        realRuns,
      },
      null,
      2,
    ),
  );
  note(`\nJSON: ${path.relative(repoRoot, jsonFile)}  (${Math.round((Date.now() - started) / 1000)} s)`);
  if (short && failed.length > 0) exitCode = 1;
} catch (error) {
  note(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 2;
} finally {
  await cleanup();
}
process.exit(exitCode);
