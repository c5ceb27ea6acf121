/**
 * Startup benchmark: seeds the national dataset into fresh embedded databases through
 * `npm start`'s runner, measures time to ready, a second (warm) start, and the running
 * stack's total RSS. Loopback only. Usage: npm run bench:startup
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SignJWT } from 'jose';
import { repoRoot } from '@kopdes/kit';
import { devHs256Secret } from '../gateway/src/auth';

const PORT = Number(process.env.BENCH_PORT ?? 4650);
const dataDir = mkdtempSync(path.join(tmpdir(), 'kopdes-bench-data-'));
const secretsDir = mkdtempSync(path.join(tmpdir(), 'kopdes-bench-secrets-'));

function rssTreeMb(root: number): number {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited */
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents)
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
  }
  let kb = 0;
  for (const pid of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      /* exited */
    }
  }
  return Math.round(kb / 1024);
}

async function startStack(): Promise<{ child: ChildProcess; readyMs: number; seeds: Record<string, number> }> {
  const started = Date.now();
  const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/dev.ts'], {
    cwd: repoRoot,
    env: { ...process.env, KOPDES_DATA_DIR: dataDir, KOPDES_SECRETS_DIR: secretsDir, PORT: String(PORT), KOPDES_LOG: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const seeds: Record<string, number> = {};
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const seeded = /✓ (\S+) seeded in ([\d.]+) s/.exec(line);
      if (seeded) seeds[seeded[1]!] = Number(seeded[2]);
      if (line.includes('Kopdes Graph is up')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
  });
  return { child, readyMs: Date.now() - started, seeds };
}

// Registry counts need a signed-in analyst: a development token from the run's own secrets.
async function analystToken(): Promise<string> {
  return new SignJWT({ role: 'analyst' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-startup')
    .setAudience('kopdes-graph')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(devHs256Secret(secretsDir));
}

async function gql(query: string): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await analystToken()}` },
    body: JSON.stringify({ query }),
  });
  return res.json();
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGINT');
  await exited;
}

try {
  const cold = await startStack();
  const coldRss = rssTreeMb(cold.child.pid!);
  const provinces = (await gql('{ provinces { code } }')) as { data: { provinces: unknown[] } };
  const jatim = (await gql('{ cooperatives(filter: { regionCode: "35" }) { totalCount } regency(code: "35.14") { villages { cooperatives { id } } } }')) as {
    data: { cooperatives: { totalCount: number } };
  };
  const loadedRss = rssTreeMb(cold.child.pid!);
  await stop(cold.child);
  const warm = await startStack();
  const warmRss = rssTreeMb(warm.child.pid!);
  await gql('{ cooperatives(filter: { regionCode: "35" }, first: 100) { totalCount edges { node { id village { name } } } } }');
  const warmLoadedRss = rssTreeMb(warm.child.pid!);
  await stop(warm.child);
  const result = {
    coldStartToReadyS: cold.readyMs / 1000,
    seedSecondsBySubgraph: cold.seeds,
    warmStartToReadyS: warm.readyMs / 1000,
    stackRssMb: { coldStart: coldRss, coldAfterQueries: loadedRss, warmStart: warmRss, warmAfterQueries: warmLoadedRss },
    checks: { provinces: provinces.data.provinces.length, jawaTimurCooperatives: jatim.data.cooperatives.totalCount },
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`\n| figure | value | goal |\n|---|---|---|
| national seed, slowest subgraph | ${Math.max(...Object.values(cold.seeds))} s | ≤ 60 s |
| first npm start to ready (seeding included) | ${result.coldStartToReadyS.toFixed(1)} s | |
| second npm start to ready | ${result.warmStartToReadyS.toFixed(1)} s | ≤ 10 s |
| stack RSS (warm, after queries) | ${warmLoadedRss} MB | ≤ 1,500 MB |`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(secretsDir, { recursive: true, force: true });
}
