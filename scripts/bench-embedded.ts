/**
 * Latency on the embedded databases (what `npm start` runs): starts the dev stack on the
 * national synthetic dataset (seeded into a temporary folder, or KOPDES_DATA_DIR to reuse
 * one), then sends each benchmark query sequentially through the gateway as an analyst and
 * reports p50/p99 and SQL statements per request (from the subgraphs' /metrics), twice: as
 * clients get it (repeated requests answered by the response cache until a write) and with
 * `Cache-Control: no-cache` (every request executed by the subgraphs' databases).
 * Loopback only. Usage: tsx scripts/bench-embedded.ts [--requests N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SignJWT } from 'jose';
import { repoRoot } from '@kopdes/kit';
import { devHs256Secret } from '../gateway/src/auth';
import { BENCH_QUERIES } from './lib/bench-queries';
import { subgraphEntries } from './lib/registry';

const requests = Number(process.argv[process.argv.indexOf('--requests') + 1]) || 30;
const PORT = Number(process.env.BENCH_PORT ?? 4660);
const reuse = process.env.KOPDES_DATA_DIR;
const dataDir = reuse ?? mkdtempSync(path.join(tmpdir(), 'kopdes-bench-embedded-'));
const secretsDir = mkdtempSync(path.join(tmpdir(), 'kopdes-bench-secrets-'));

const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/dev.ts'], {
  cwd: repoRoot,
  detached: true,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, KOPDES_DATA_DIR: dataDir, KOPDES_SECRETS_DIR: secretsDir, PORT: String(PORT), KOPDES_LOG: 'silent' },
});
const stop = () => {
  try {
    process.kill(-child.pid!, 'SIGINT');
  } catch {
    /* gone */
  }
};
process.on('exit', stop);

async function statementTotals(): Promise<number> {
  let total = 0;
  for (const entry of subgraphEntries()) {
    const text = await (await fetch(`http://127.0.0.1:${entry.port}/metrics`)).text();
    for (const line of text.split('\n')) if (line.startsWith('kopdes_subgraph_sql_statements_total')) total += Number(line.split(' ').at(-1));
  }
  return total;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

try {
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('seeded in')) console.error(line.trim());
      if (line.includes('Kopdes Graph is up')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
  });
  const token = await new SignJWT({ role: 'analyst' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-analyst')
    .setAudience('kopdes-graph')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(devHs256Secret(secretsDir));
  const rows: string[] = [];
  for (const [q, fresh] of BENCH_QUERIES.flatMap(
    (q) =>
      [
        [q, false],
        [q, true],
      ] as const,
  )) {
    const send = async () => {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(fresh ? { 'cache-control': 'no-cache' } : {}) },
        body: JSON.stringify({ query: q.document, variables: q.variables, operationName: q.operationName }),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (body.errors || !body.data) throw new Error(`${q.id} failed: ${JSON.stringify(body.errors).slice(0, 300)}`);
      q.check(body.data);
      return performance.now() - started;
    };
    for (let i = 0; i < 3; i++) await send();
    const before = await statementTotals();
    const times: number[] = [];
    for (let i = 0; i < requests; i++) times.push(await send());
    const perRequest = ((await statementTotals()) - before) / requests;
    times.sort((a, b) => a - b);
    rows.push(
      `| ${q.id} | ${q.title} | ${fresh ? 'no-cache: executed' : 'as sent by clients'} | ${pct(times, 50).toFixed(1)} | ${pct(times, 99).toFixed(1)} | ${perRequest.toFixed(1)} |`,
    );
  }
  console.log(`Embedded databases (PGlite), national synthetic dataset, ${requests} sequential requests per query after 3 warm-up:\n`);
  console.log('| query | what | response cache | p50 ms | p99 ms | SQL statements / request |\n|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
} finally {
  stop();
  await new Promise((r) => setTimeout(r, 1500));
  if (!reuse) rmSync(dataDir, { recursive: true, force: true });
  rmSync(secretsDir, { recursive: true, force: true });
}
