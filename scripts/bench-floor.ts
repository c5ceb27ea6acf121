/**
 * `npm run bench:floor -- [--rounds N] [--requests N] [--connections N] [--ids N] [--database-url URL] [--profile]`:
 * what the kit costs per one-entity `_entities` request, against a floor measured side by side.
 *
 * Two processes on the same PostgreSQL table (the cooperatives database `npm run bench -- --short`
 * leaves behind, kopdes_bench_cooperatives): the kit's cooperatives subgraph in production mode,
 * and the floor (scripts/lib/floor-subgraph.ts: graphql-js, pg and node:http, nothing else). Both
 * check the same gateway-signed caller token and must give the same answer bytes for the same
 * selection before anything is measured. Each round sends the same number of one-entity
 * `_entities` requests, distinct ids, the same concurrency, to one server at a time (alternating
 * which goes first), and reads each server's CPU from /proc/<pid>/stat. Prints CPU ms per request,
 * the ratio kit / floor, and the 1-minute load average. Loopback only.
 *
 * With --profile the kit runs under `node --cpu-prof`, and its CPU is broken down by layer
 * (scripts/lib/cpu-profile.ts); profiling slows it, so its ratio is not the one to quote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateSigningKeys, repoRoot, signCaller } from '@kopdes/kit';
import { runLoad } from './lib/bench-load';
import { childEnv, procSample, stopProcess } from './lib/bench-process';
import { layerBreakdown } from './lib/cpu-profile';
import { waitForHttp } from './lib/processes';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const positive = (name: string, fallback: string) => {
  const value = Number(option(name, fallback));
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1; got "${option(name, fallback)}".`);
  return value;
};
const rounds = positive('rounds', '3');
const requests = positive('requests', '20000');
const connections = positive('connections', '8');
const idCount = positive('ids', '20000');
const profile = argv.includes('--profile');
const serverUrl = option('database-url', process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const databaseUrl = (() => {
  const u = new URL(serverUrl);
  u.pathname = '/kopdes_bench_cooperatives';
  return u.toString();
})();

/** The selection a gateway sends for Cooperative fields another subgraph's entity points at. */
const QUERY =
  'query($representations:[_Any!]!){_entities(representations:$representations){...on Cooperative{__typename id name kind stage members musdesusDate nib}}}';

const out = path.join(repoRoot, 'bench-results', 'floor');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const ids = await (async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    // A spread of the whole registry, the same list every run.
    const { rows } = await client.query<{ id: string }>('SELECT id FROM "Cooperative" ORDER BY md5(id) LIMIT $1', [idCount]);
    return rows.map((r) => r.id);
  } catch (error) {
    throw new Error(
      `Cannot read cooperatives from ${databaseUrl} (${(error as Error).message}). Run \`npm run bench -- --short\` once to create the bench databases, or pass --database-url of a PostgreSQL server that has them.`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
})();
if (ids.length < 100) throw new Error(`kopdes_bench_cooperatives holds ${ids.length} cooperatives; run \`npm run bench -- --short\` to seed it.`);

const keys = await generateSigningKeys();
const children: ChildProcess[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    for (const c of children) c.kill('SIGTERM');
    process.exit(1);
  });

function start(name: string, script: string, env: Record<string, string>, nodeArgs: string[] = []): { name: string; child: ChildProcess; port: number } {
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: childEnv({
      ...env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      KOPDES_LOG: 'silent',
      KOPDES_GATEWAY_PUBLIC_KEY: keys.publicKeyPem,
    }),
  });
  child.stderr!.pipe(createWriteStream(path.join(out, `${name}.log`)));
  children.push(child);
  return { name, child, port };
}

const servers = [
  start(
    'floor',
    path.join(repoRoot, 'scripts/lib/floor-subgraph.ts'),
    { DATABASE_URL: databaseUrl },
    profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(out, 'floor')}`] : [],
  ),
  start(
    'kit',
    path.join(repoRoot, 'subgraphs/cooperatives/src/index.ts'),
    { COOPERATIVES_DATABASE_URL: databaseUrl, KOPDES_SEED_SYNTHETIC: 'false' },
    profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(out, 'kit')}`] : [],
  ),
];

const bodyFor = (id: string) => JSON.stringify({ query: QUERY, variables: { representations: [{ __typename: 'Cooperative', id }] } });
const expect = (body: string) => body.startsWith('{"data":{"_entities":[{"__typename":"Cooperative"') && !body.includes('"errors"');

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
/** The kit's measured runs, on the clock its CPU profile uses. */
const measured: { server: string; from: number; to: number }[] = [];
type Row = { server: string; cpuMsPerRequest: number; requestsPerSecond: number; p50Ms: number; load: number };
const rows: Row[] = [];
try {
  await Promise.all(servers.map((s) => waitForHttp(`http://127.0.0.1:${s.port}/health`, 120_000)));
  // The caller token as the gateway sends it: one per caller, reused while it is fresh.
  const headers = async () => ({
    'content-type': 'application/json',
    'x-kopdes-caller': await signCaller({ subject: 'bench-floor', role: 'analyst' }, keys.privateKey, 120),
  });
  const first = await headers();
  // Same contract, same bytes: a sample of ids, an unknown id, and a public caller refused.
  for (const id of [...ids.slice(0, 20), 'KDMP-00.00.00.0000']) {
    const answers = await Promise.all(
      servers.map(async (s) => (await fetch(`http://127.0.0.1:${s.port}/graphql`, { method: 'POST', headers: first, body: bodyFor(id) })).text()),
    );
    if (answers[0] !== answers[1]) throw new Error(`The floor and the kit answer ${id} differently:\nfloor: ${answers[0]}\nkit:   ${answers[1]}`);
  }
  const publicToken = await signCaller({ subject: 'anyone', role: 'public' }, keys.privateKey, 120);
  for (const s of servers) {
    const body = await (
      await fetch(`http://127.0.0.1:${s.port}/graphql`, {
        method: 'POST',
        headers: { ...first, 'x-kopdes-caller': publicToken },
        body: bodyFor(ids[0]!),
      })
    ).text();
    if (!body.includes('"errors"') || body.includes('"name"')) throw new Error(`${s.name} served a public caller a cooperative: ${body}`);
  }

  let offset = 0;
  for (let round = 0; round < rounds; round++) {
    for (const s of round % 2 ? [...servers].reverse() : servers) {
      const load = { url: `http://127.0.0.1:${s.port}/graphql`, headers: await headers(), body: '', connections, expect };
      const next = (n: number) => {
        const bodies = Array.from({ length: n }, (_, i) => bodyFor(ids[(offset + i) % ids.length]!));
        offset += n;
        return bodies;
      };
      const warm = Math.max(500, Math.round(requests / 2));
      await runLoad({ ...load, bodies: next(warm), amount: warm }); // JIT warm, pools filled, caller token verified
      const before = procSample(s.child.pid!)!.cpuMs;
      const from = monotonicUs();
      const result = await runLoad({ ...load, bodies: next(requests), amount: requests });
      const after = procSample(s.child.pid!)!.cpuMs;
      measured.push({ server: s.name, from, to: monotonicUs() });
      if (result.errors) throw new Error(`${s.name}: ${result.errors} failed responses, e.g. ${result.failures[0]}`);
      rows.push({
        server: s.name,
        cpuMsPerRequest: (after - before) / result.requests,
        requestsPerSecond: result.requestsPerSecond,
        p50Ms: result.p50Ms,
        load: loadavg()[0]!,
      });
      console.error(
        `round ${round + 1} ${s.name.padEnd(5)} ${((after - before) / result.requests).toFixed(3)} CPU ms/req, ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, load ${loadavg()[0]!.toFixed(2)}`,
      );
    }
  }
} finally {
  for (const c of children) await stopProcess(c);
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};
const of = (name: string) => rows.filter((r) => r.server === name);
const floor = median(of('floor').map((r) => r.cpuMsPerRequest));
const kit = median(of('kit').map((r) => r.cpuMsPerRequest));
const loads = rows.map((r) => r.load);
console.log(
  `\nOne-entity _entities (Cooperative, ${requests} distinct ids per run, ${connections} connections, ${rounds} rounds, PostgreSQL)${profile ? ' — kit under --cpu-prof' : ''}`,
);
console.log('| server | CPU ms / request (median) | req/s (median) | p50 ms |');
console.log('|---|--:|--:|--:|');
for (const name of ['floor', 'kit']) {
  const r = of(name);
  console.log(
    `| ${name} | ${median(r.map((x) => x.cpuMsPerRequest)).toFixed(3)} | ${median(r.map((x) => x.requestsPerSecond)).toFixed(0)} | ${median(r.map((x) => x.p50Ms))} |`,
  );
}
console.log(
  `\nkit / floor: ${(kit / floor).toFixed(2)}x CPU per request (goal ≤ 1.5x); 1-min load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} on ${(await import('node:os')).cpus().length} cores`,
);

if (profile) {
  for (const name of ['floor', 'kit']) {
    const dir = path.join(out, name);
    const file = readdirSync(dir).find((f) => f.endsWith('.0.001.cpuprofile')); // the main thread's
    if (!file) throw new Error(`No CPU profile was written to ${dir}: the ${name} server did not exit cleanly.`);
    const runs = measured.filter((m) => m.server === name);
    const { busyMs, layers, topFrames } = layerBreakdown(path.join(dir, file), { from: runs[0]!.from, to: runs.at(-1)!.to });
    console.log(`\n${name} CPU by layer during its measured runs (${path.relative(repoRoot, path.join(dir, file))}, ${busyMs.toFixed(0)} ms busy)`);
    console.log('| layer | self | self + children |');
    console.log('|---|--:|--:|');
    for (const l of layers) console.log(`| ${l.layer} | ${(l.selfShare * 100).toFixed(1)}% | ${(l.totalShare * 100).toFixed(1)}% |`);
    console.log(`\n${name}: busiest functions (self ms):`);
    for (const [frame, ms] of topFrames) console.log(`  ${ms.toFixed(0).padStart(6)}  ${frame}`);
  }
}
