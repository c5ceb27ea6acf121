/**
 * `npx tsx scripts/bench-gateway-cpu.ts [--baseline <git ref>] [--rounds N] [--requests N] [--executed N] [--connections N]`:
 * the gateway's own CPU per request, this checkout against another version of gateway/src (default
 * `main`), side by side in one run: the same subgraphs (in memory, the test region, in this process),
 * the same supergraph, one gateway process at a time, rounds alternating the two. Measured from
 * /proc/<pid>/stat around a fixed number of requests, with the response cache on (hits) and off
 * (every request planned and fetched). Loopback only; no shared database. Prints a table with the
 * load average: the ratio is what to read on a busy machine.
 */
import '../gateway/src/telemetry';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { bootSubgraph, generateSigningKeys, printFederatedSchema, repoRoot } from '@kopdes/kit';
import { TEST_SCOPE } from '@kopdes/kit/testing';
import { createBenchKeys } from './lib/bench-keys';
import { runLoad } from './lib/bench-load';
import { benchGatewayEnv, procSample, startNode, stopProcess } from './lib/bench-process';
import { composeSdl } from './lib/composition';
import { waitForHttp } from './lib/processes';
import { loadSubgraphs } from './lib/registry';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const baseline = option('baseline', 'main');
const rounds = Number(option('rounds', '3'));
/** Requests measured per gateway with the response cache on (answered from it), and off (executed). */
const requests = { hits: Number(option('requests', '1500')), executed: Number(option('executed', '200')) };
const connections = Number(option('connections', '8'));

const QUERY =
  '{ cooperative(id: "KDMP-35.14.01.2001") { id name village { name regency { name } } financing { outstanding loans { lender plafond status } } energy { solarPlants { capacityKwp status } } labour { employees } } }';

const scratch = mkdtempSync(path.join(tmpdir(), 'kopdes-cpu-'));
// Inside the repository, so the copy resolves @kopdes/kit and its packages like the real one.
const copy = path.join(repoRoot, 'bench-results', `cpu-${baseline.replace(/\W+/g, '_')}`);
rmSync(copy, { recursive: true, force: true });
mkdirSync(copy, { recursive: true });
execFileSync('sh', ['-c', `git archive ${JSON.stringify(baseline)} gateway/src | tar -x -C ${JSON.stringify(copy)}`], { cwd: repoRoot });
const entries = { current: path.join(repoRoot, 'gateway/src/index.ts'), baseline: path.join(copy, 'gateway/src/index.ts') };

const keys = await generateSigningKeys();
const bench = await createBenchKeys(scratch);
const loaded = await loadSubgraphs();
const servers = await Promise.all(
  loaded.map(async ({ entry, definition }) => {
    const server = await bootSubgraph(definition, { dataDir: 'memory://', scope: TEST_SCOPE, gatewayKey: keys.publicKey });
    return { entry, definition, server, url: await server.listen(0) };
  }),
);
const composed = composeSdl(await Promise.all(servers.map(async (s) => ({ name: s.entry.name, sdl: await printFederatedSchema(s.definition), url: s.url }))));
if (!composed.supergraphSdl) throw new Error(composed.errors.map((e) => e.message).join('\n'));
const supergraph = path.join(scratch, 'supergraph.graphql');
writeFileSync(supergraph, composed.supergraphSdl);

let running: ChildProcess | undefined;
// Interrupted: the gateway being measured goes too.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    running?.kill('SIGTERM');
    process.exit(1);
  });

type Row = { version: keyof typeof entries; cache: boolean; cpuMsPerRequest: number; requestsPerSecond: number; load: number };
const rows: Row[] = [];
const headers = { 'content-type': 'application/json', authorization: bench.authorization };
try {
  for (let round = 0; round < rounds; round++) {
    for (const cache of [true, false]) {
      for (const version of (round % 2 ? ['current', 'baseline'] : ['baseline', 'current']) as (keyof typeof entries)[]) {
        const port = 40_000 + Math.floor(Math.random() * 10_000); // away from the stack's own ports
        const child = startNode(
          entries[version],
          benchGatewayEnv(port, supergraph, keys.privateKeyPem, bench.gatewayAuthEnv, {
            SUPERGRAPH_WATCH: 'false',
            KOPDES_LOG: 'silent',
            RESPONSE_CACHE: String(cache),
            RESPONSE_CACHE_WARM: 'false',
            OPERATIONS_DIR: path.join(repoRoot, 'schema/operations'),
          }),
          path.join(scratch, `${version}.log`),
        );
        running = child;
        try {
          await waitForHttp(`http://127.0.0.1:${port}/health`, 120_000);
          const load = {
            url: `http://127.0.0.1:${port}/graphql`,
            headers,
            body: JSON.stringify({ query: QUERY }),
            connections,
            expect: (body: string) => body.startsWith('{"data"') && !body.includes('"errors"'),
          };
          const amount = cache ? requests.hits : requests.executed;
          await runLoad({ ...load, amount: Math.round(amount / 4) }); // plans built, JIT warm
          const before = procSample(child.pid!)!.cpuMs;
          const result = await runLoad({ ...load, amount });
          const after = procSample(child.pid!)!.cpuMs;
          if (result.errors) throw new Error(`${version}: ${result.errors} failed responses, e.g. ${result.failures[0]}`);
          rows.push({ version, cache, cpuMsPerRequest: (after - before) / result.requests, requestsPerSecond: result.requestsPerSecond, load: loadavg()[0]! });
          console.error(
            `round ${round + 1} ${version.padEnd(8)} cache ${cache ? 'on ' : 'off'}: ${rows.at(-1)!.cpuMsPerRequest.toFixed(3)} CPU ms/req, ${result.requestsPerSecond.toFixed(0)} req/s, load ${loadavg()[0]!.toFixed(1)}`,
          );
        } finally {
          await stopProcess(child);
        }
      }
    }
  }
} finally {
  await Promise.all(servers.map((s) => s.server.stop()));
  rmSync(scratch, { recursive: true, force: true });
  rmSync(copy, { recursive: true, force: true });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `\nGateway CPU per request, ${baseline} (${execFileSync('git', ['rev-parse', '--short', baseline], { cwd: repoRoot }).toString().trim()}) vs this checkout; median of ${rounds} rounds × ${requests.hits} requests (cache on) or ${requests.executed} (off), ${connections} connections; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
console.log('| response cache | baseline CPU ms/req | this CPU ms/req | ratio | baseline req/s | this req/s |');
console.log('|---|---|---|---|---|---|');
for (const cache of [true, false]) {
  const of = (version: keyof typeof entries, key: 'cpuMsPerRequest' | 'requestsPerSecond') =>
    median(rows.filter((r) => r.version === version && r.cache === cache).map((r) => r[key]));
  const [b, c] = [of('baseline', 'cpuMsPerRequest'), of('current', 'cpuMsPerRequest')];
  console.log(
    `| ${cache ? 'on (hits)' : 'off (executed)'} | ${b.toFixed(3)} | ${c.toFixed(3)} | ${(c / b).toFixed(2)} | ${of('baseline', 'requestsPerSecond').toFixed(0)} | ${of('current', 'requestsPerSecond').toFixed(0)} |`,
  );
}
process.exit(0);
