/**
 * `npm run bench:aggregates -- [--requests N] [--rounds N] [--backends embedded,postgres] [--data-dir DIR]
 *   [--database-url URL] [--keep-databases]`
 *
 * The 38-province dashboard (the benchmark's Q3) executed by the subgraphs on every request (the
 * gateway's response and entity caches off), with region summaries off (REGION_SUMMARIES=false: every read a
 * GROUP BY over the base rows, as before summaries) and on, side by side on the same databases:
 * rounds alternate the two, N sequential requests each, and the answers of both must be equal.
 * Per backend: the embedded PGlite databases (national dataset seeded into --data-dir, default
 * bench-results/aggregates-embedded, kept for the next run) and PostgreSQL (databases
 * kopdes_aggbench_<subgraph> on --database-url, seeded, dropped at the end unless --keep-databases).
 * The subgraphs Q3 reads run in this process (so the switch flips between rounds), the gateway in
 * a production child process. Loopback only. Prints p50/p99 and their ratio with the load average.
 */
import '../gateway/src/telemetry';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bootSubgraph, generateSigningKeys, printFederatedSchema, repoRoot, SUMMARIES_ENV, type SubgraphServer } from '@kopdes/kit';
import { BENCH_QUERIES } from './lib/bench-queries';
import { createBenchKeys } from './lib/bench-keys';
import { benchGatewayEnv, procSample, startNode, stopProcess } from './lib/bench-process';
import { composeSdl } from './lib/composition';
import { waitForHttp } from './lib/processes';
import { loadSubgraphs } from './lib/registry';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const count = (name: string, fallback: number, max: number) => {
  const value = Number(option(name, String(fallback)));
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}; got ${option(name, '')}.`);
  return value;
};
const requests = count('requests', 30, 1000);
const rounds = count('rounds', 2, 20);
const backends = option('backends', 'embedded,postgres').split(',');
for (const b of backends) if (b !== 'embedded' && b !== 'postgres') throw new Error(`--backends takes embedded and/or postgres; got "${b}".`);
const dataDir = path.resolve(option('data-dir', path.join(repoRoot, 'bench-results/aggregates-embedded')));
const adminUrl = option('database-url', process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const keepDatabases = argv.includes('--keep-databases');

/** The subgraphs Q3 reads: regions (the provinces) and the six ministries with region aggregates. */
const Q3_SUBGRAPHS = ['regions', 'cooperatives', 'financing', 'energy', 'digital', 'labour', 'villages'];
const Q3 = BENCH_QUERIES.find((q) => q.id === 'Q3')!;

const scratch = mkdtempSync(path.join(tmpdir(), 'kopdes-aggbench-'));
const keys = await createBenchKeys(scratch);
const callerKeys = await generateSigningKeys();
const loaded = (await loadSubgraphs()).filter((s) => Q3_SUBGRAPHS.includes(s.entry.name));

const databaseUrl = (name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/kopdes_aggbench_${name}`;
  return url.toString();
};
async function onAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect().catch((error: Error) => {
    throw new Error(`Cannot reach PostgreSQL at ${adminUrl.replace(/:[^:@/]*@/, ':***@')} (${error.message}); start it or pass --database-url.`);
  });
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

type Mode = 'off' | 'on';
/** Latencies, and CPU per request: this process (the subgraphs, and PGlite when embedded), the gateway, the PostgreSQL backends. */
interface Sample {
  backend: string;
  mode: Mode;
  ms: number[];
  cpu: { subgraphs: number; gateway: number; database: number };
}
const samples: Sample[] = [];
const loads: Record<string, number[]> = {};

/** Numbers to 6 decimals: a float sum may differ in its last bits with the order rows were added in. */
const comparable = (data: unknown) => JSON.stringify(data, (_, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(6) : v));

/** CPU ms so far of the PostgreSQL server processes serving the bench databases (same machine). */
async function databaseCpuMs(backend: string): Promise<number> {
  if (backend !== 'postgres') return 0;
  const pids = await onAdmin((admin) => admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname LIKE 'kopdes_aggbench_%'`));
  return pids.rows.reduce((sum, { pid }) => sum + (procSample(pid)?.cpuMs ?? 0), 0);
}
const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function measure(backend: string): Promise<void> {
  const servers: SubgraphServer[] = [];
  if (backend === 'postgres')
    await onAdmin(async (admin) => {
      for (const { entry } of loaded) {
        const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [`kopdes_aggbench_${entry.name}`]);
        if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "kopdes_aggbench_${entry.name}"`);
      }
    });
  let gateway: ReturnType<typeof startNode> | undefined;
  try {
    for (const { entry, definition } of loaded) {
      const started = Date.now();
      const target = backend === 'postgres' ? { url: databaseUrl(entry.name) } : { dataDir: path.join(dataDir, entry.name) };
      if (backend === 'embedded') mkdirSync(dataDir, { recursive: true });
      const server = await bootSubgraph(definition, { ...target, scope: undefined, seed: true, gatewayKey: callerKeys.publicKey });
      servers.push(server);
      await server.listen(0, '127.0.0.1');
      console.error(`${backend}: ${entry.name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const composed = composeSdl(
      await Promise.all(
        loaded.map(async ({ entry, definition }, i) => ({ name: entry.name, sdl: await printFederatedSchema(definition), url: servers[i]!.url() })),
      ),
    );
    if (!composed.supergraphSdl) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    const supergraph = path.join(scratch, 'supergraph.graphql');
    writeFileSync(supergraph, composed.supergraphSdl);
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    gateway = startNode(
      path.join(repoRoot, 'gateway/src/index.ts'),
      benchGatewayEnv(port, supergraph, callerKeys.privateKeyPem, keys.gatewayAuthEnv, {
        SUPERGRAPH_WATCH: 'false',
        KOPDES_LOG: 'silent',
        RESPONSE_CACHE: 'false',
        RESPONSE_CACHE_WARM: 'false',
        // The entity cache would answer the provinces' figures from the gateway after the first request:
        // this measures the subgraphs executing the aggregates every time.
        ENTITY_CACHE: 'false',
        SUBGRAPH_TIMEOUT_MS: '120000',
      }),
      path.join(scratch, `gateway-${backend}.log`),
    );
    await waitForHttp(`http://127.0.0.1:${port}/health`, 180_000);

    const send = async () => {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: keys.authorization },
        body: JSON.stringify({ operationName: Q3.operationName, query: Q3.document }),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
      const ms = performance.now() - started;
      if (!body.data || body.errors) throw new Error(`${backend}: Q3 failed: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
      return { ms, data: body.data };
    };
    const answers: Partial<Record<Mode, string>> = {};
    for (let round = 0; round < rounds; round++) {
      for (const mode of (round % 2 ? ['on', 'off'] : ['off', 'on']) as Mode[]) {
        process.env[SUMMARIES_ENV] = mode === 'on' ? 'true' : 'false';
        const warm = await send(); // plans and JIT warm; with summaries, the decisions of this version memoised
        Q3.check(warm.data);
        answers[mode] ??= comparable(warm.data);
        const sample: Sample = { backend, mode, ms: [], cpu: { subgraphs: 0, gateway: 0, database: 0 } };
        const cpuBefore = { subgraphs: ownCpuMs(), gateway: procSample(gateway.pid!)?.cpuMs ?? 0, database: await databaseCpuMs(backend) };
        for (let i = 0; i < requests; i++) sample.ms.push((await send()).ms);
        sample.cpu = {
          subgraphs: (ownCpuMs() - cpuBefore.subgraphs) / requests,
          gateway: ((procSample(gateway.pid!)?.cpuMs ?? 0) - cpuBefore.gateway) / requests,
          database: ((await databaseCpuMs(backend)) - cpuBefore.database) / requests,
        };
        samples.push(sample);
        (loads[backend] ??= []).push(loadavg()[0]!);
        const sorted = [...sample.ms].sort((a, b) => a - b);
        console.error(
          `${backend} round ${round + 1} summaries ${mode.padEnd(3)}: p50 ${pct(sorted, 50).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms, load ${loadavg()[0]!.toFixed(1)}`,
        );
      }
    }
    if (answers.on !== answers.off) throw new Error(`${backend}: Q3 answers differ with summaries on and off: the summaries are not what the base rows say.`);
  } finally {
    delete process.env[SUMMARIES_ENV];
    if (gateway) await stopProcess(gateway);
    await Promise.allSettled(servers.map((s) => s.stop()));
    if (backend === 'postgres' && !keepDatabases)
      await onAdmin(async (admin) => {
        for (const { entry } of loaded) await admin.query(`DROP DATABASE IF EXISTS "kopdes_aggbench_${entry.name}" WITH (FORCE)`);
      });
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const stats = (backend: string, mode: Mode) => {
  const of = samples.filter((s) => s.backend === backend && s.mode === mode);
  const all = of.flatMap((s) => s.ms).sort((a, b) => a - b);
  const mean = (pick: (s: Sample) => number) => of.reduce((sum, s) => sum + pick(s), 0) / of.length;
  return {
    p50: pct(all, 50),
    p99: pct(all, 99),
    n: all.length,
    cpu: mean((s) => s.cpu.subgraphs + s.cpu.gateway + s.cpu.database),
    subgraphCpu: mean((s) => s.cpu.subgraphs + s.cpu.database),
  };
};

try {
  for (const backend of backends) await measure(backend);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(
  `\nQ3 (38-province dashboard, 7 subgraphs) executed on every request (response and entity caches off), analyst token, national dataset (83,762 cooperatives, synthetic); ${rounds} rounds × ${requests} sequential requests per mode, alternating; summaries off = every read a GROUP BY over the base rows (as before), on = provinces and regencies read from the summaries, disclosure decisions memoised per summary version. Answers equal in both modes.\n`,
);
console.log(
  '| backend | summaries off p50 / p99 ms | summaries on p50 / p99 ms | p50 on/off | CPU ms/req off → on (all processes) | of which subgraphs + database | 1-min load (min–max) |',
);
console.log('|---|--:|--:|--:|--:|--:|---|');
for (const backend of backends) {
  const [off, on] = [stats(backend, 'off'), stats(backend, 'on')];
  const l = loads[backend] ?? [0];
  console.log(
    `| ${backend === 'embedded' ? 'embedded (PGlite)' : 'PostgreSQL'} | ${off.p50.toFixed(1)} / ${off.p99.toFixed(1)} | ${on.p50.toFixed(1)} / ${on.p99.toFixed(1)} | ${(on.p50 / off.p50).toFixed(3)} | ${off.cpu.toFixed(1)} → ${on.cpu.toFixed(1)} | ${off.subgraphCpu.toFixed(1)} → ${on.subgraphCpu.toFixed(1)} | ${Math.min(...l).toFixed(1)}–${Math.max(...l).toFixed(1)} |`,
  );
}
process.exit(0);
