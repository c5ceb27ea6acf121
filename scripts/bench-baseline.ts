/**
 * `npm run bench:baseline`: this checkout's stack against an earlier commit's, side by side on this
 * machine, so that "N× the executed figure of commit X" can be measured on any machine instead of
 * being compared with a figure another machine once printed.
 *
 * The earlier commit runs from a git worktree (installed with `npm ci` on first use) through its own
 * `npm run bench`, on its own PostgreSQL instance (initdb in a scratch folder, trust auth, port
 * --pg-port, the same server binaries, defaults and locale as the main cluster), because its bench
 * databases carry the same names and an older schema. This checkout runs through its `npm run bench`
 * on the main cluster. Each round runs every leg once, one at a time, in an order that rotates per
 * round; the report pairs the legs round by round and gives the median of the paired ratios, with
 * the 1-minute load average at the start of each leg. Loopback only; the benches set
 * APOLLO_TELEMETRY_DISABLED for their gateways, and so does this script for everything it starts.
 *
 *   npm run bench:baseline                            3 rounds, 8 s per measured run, baseline 7a9f6da
 *   options: --commit SHA   the baseline (default: the stack as issue 12 found it, with its bench fixed)
 *            --rounds N --seconds N --pg-port N (default 5433) --dir DIR (worktree; default in the OS temp folder)
 *
 * Legs (all with split subgraphs on PostgreSQL, national dataset):
 *   baseline   the earlier commit, Q1 and Q2 with rotating ids and regions, response cache off (executed)
 *   distinct   this checkout, the same requests, response cache off
 *   profiles   this checkout, the realistic workload's profiles (Zipf over all cooperatives), cache as deployed and off
 *   regions    this checkout, the realistic workload's region lists (provinces and regencies), cache as deployed and off
 *
 * Prints a markdown table and writes bench-results/<timestamp>-baseline.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { percentile } from './lib/bench-load';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const numberOption = (name: string, fallback: number) => {
  const value = option(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive whole number; got "${value}".`);
  return n;
};

/** The commit issue 12 was filed against (12:53 UTC) plus the bench fix that let its gateway start (7a9f6da, 14:14). */
const DEFAULT_BASELINE = '7a9f6da';
const commit = execFileSync('git', ['rev-parse', '--verify', `${option('commit') ?? DEFAULT_BASELINE}^{commit}`], { cwd: repoRoot, encoding: 'utf8' }).trim();
const settings = {
  commit,
  rounds: numberOption('rounds', 3),
  seconds: numberOption('seconds', 8),
  pgPort: numberOption('pg-port', 5433),
  dir: option('dir') ?? path.join(tmpdir(), `kopdes-baseline-${commit.slice(0, 10)}`),
};
const pgData = `${settings.dir}-pgdata`;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const logDir = path.join(repoRoot, 'bench-results', `${stamp}-baseline-logs`);
mkdirSync(logDir, { recursive: true });
const note = (message: string) => process.stderr.write(`${message}\n`);

type LegId = 'baseline' | 'distinct' | 'profiles' | 'regions';
interface Leg {
  id: LegId;
  title: string;
  cwd: string;
  args: string[];
}
const common = ['--split-subgraphs', '--rounds', '1', '--seconds', String(settings.seconds)];
const LEGS: Leg[] = [
  {
    id: 'baseline',
    title: `baseline ${commit.slice(0, 7)}, Q1 and Q2 distinct, executed`,
    cwd: settings.dir,
    args: [
      '--distinct',
      '--queries',
      'Q1,Q2',
      '--gateways',
      'kopdes-nocache',
      ...common,
      '--database-url',
      `postgresql://postgres@127.0.0.1:${settings.pgPort}/postgres`,
    ],
  },
  {
    id: 'distinct',
    title: 'this checkout, Q1 and Q2 distinct, executed',
    cwd: repoRoot,
    args: ['--distinct', '--queries', 'Q1,Q2', '--gateways', 'kopdes-nocache', ...common],
  },
  {
    id: 'profiles',
    title: 'this checkout, realistic profiles',
    cwd: repoRoot,
    args: ['--workload', 'real', '--mix', 'profile', '--gateways', 'kopdes,kopdes-nocache', ...common],
  },
  {
    id: 'regions',
    title: 'this checkout, realistic region lists',
    cwd: repoRoot,
    args: ['--workload', 'real', '--mix', 'regionList', '--gateways', 'kopdes,kopdes-nocache', ...common],
  },
];

// ---------------------------------------------------------------------------------------
// The baseline's checkout and database server

function run(command: string, args: string[], cwd: string, logName: string, asUser?: string): void {
  const [file, argList] = asUser ? ['runuser', ['-u', asUser, '--', command, ...args]] : [command, args];
  const log = path.join(logDir, logName);
  try {
    const out = execFileSync(file, argList, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 2 ** 20 });
    writeFileSync(log, out);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    writeFileSync(log, `${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    throw new Error(`${command} ${args.join(' ')} failed (${e.message.split('\n')[0]}); see ${log}.`, { cause: error });
  }
}

function prepareCheckout(): void {
  if (!existsSync(path.join(settings.dir, '.git'))) {
    note(`Checking out ${commit.slice(0, 10)} into ${settings.dir}…`);
    run('git', ['worktree', 'add', '--detach', settings.dir, commit], repoRoot, 'worktree.log');
  }
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: settings.dir, encoding: 'utf8' }).trim();
  if (head !== commit)
    throw new Error(`${settings.dir} holds ${head.slice(0, 10)}, not ${commit.slice(0, 10)}: remove it (git worktree remove) or pass --dir.`);
  if (!existsSync(path.join(settings.dir, 'node_modules'))) {
    note('Installing its packages (npm ci, from the lock file; about two minutes)…');
    run('npm', ['ci', '--no-audit', '--no-fund'], settings.dir, 'npm-ci.log');
  }
}

/** PostgreSQL's programs, from the main cluster's installation (pg_config's, else Debian's newest). */
function pgBin(name: string): string {
  const dirs: string[] = [];
  try {
    dirs.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config: Debian's layout below
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian))
    dirs.push(
      ...readdirSync(debian)
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(debian, v, 'bin')),
    );
  const found = dirs.map((d) => path.join(d, name)).find(existsSync);
  if (!found) throw new Error(`PostgreSQL's ${name} was not found in ${dirs.join(', ') || 'pg_config --bindir or /usr/lib/postgresql'}.`);
  return found;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** PostgreSQL refuses to run as root: as root, its files and processes belong to the postgres user. */
const pgUser = userInfo().uid === 0 ? 'postgres' : undefined;

async function startBaselineDatabase(): Promise<() => void> {
  if (!(await portFree(settings.pgPort))) throw new Error(`Port ${settings.pgPort} is taken: pass --pg-port with a free one.`);
  if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
    note(`Creating the baseline's PostgreSQL instance in ${pgData}…`);
    mkdirSync(pgData, { recursive: true });
    if (pgUser) {
      const uid = Number(execFileSync('id', ['-u', pgUser], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', pgUser], { encoding: 'utf8' }));
      chownSync(pgData, uid, gid);
    }
    run(pgBin('initdb'), ['-D', pgData, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C.UTF-8'], tmpdir(), 'initdb.log', pgUser);
  }
  const ctl = (args: string[], logName: string) => run(pgBin('pg_ctl'), ['-D', pgData, ...args], tmpdir(), logName, pgUser);
  ctl(['-o', `-p ${settings.pgPort} -k ${pgData} -c listen_addresses=127.0.0.1`, '-l', path.join(pgData, 'server.log'), '-w', 'start'], 'pg-start.log');
  return () => ctl(['-m', 'fast', '-w', 'stop'], 'pg-stop.log');
}

/**
 * VACUUM ANALYZE of both sides' bench databases before measuring: freshly seeded tables have no
 * visibility map (so index-only scans visit the heap) until autovacuum gets to them, whenever that is.
 */
function vacuumBenchDatabases(): void {
  for (const port of [5432, settings.pgPort]) {
    const databases = execFileSync(
      pgBin('psql'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-Atc',
        "SELECT datname FROM pg_database WHERE datname LIKE 'kopdes_bench_%'",
      ],
      {
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter(Boolean);
    for (const db of databases)
      run(pgBin('vacuumdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '--analyze', db], tmpdir(), `vacuum-${port}-${db}.log`);
  }
}

// ---------------------------------------------------------------------------------------
// Legs

interface RunFigures {
  gateway: string;
  /** The query (Q1, Q2) or the realistic request type. */
  what: string;
  requestsPerSecond: number;
  gatewayCpuMsPerRequest?: number;
  cacheHitRate?: number;
  errors: number;
}
interface LegResult {
  leg: LegId;
  round: number;
  loadAverage: number;
  json: string;
  figures: RunFigures[];
}

/** Runs one leg's `npm run bench`; resolves with its JSON file's figures. */
function runLeg(leg: Leg, round: number): Promise<LegResult> {
  const log = path.join(logDir, `${leg.id}-${round < 0 ? 'warm-up' : `round${round + 1}`}.log`);
  const loadAverage = loadavg()[0]!;
  if (round >= 0) note(`Round ${round + 1}/${settings.rounds}: ${leg.title} (load ${loadAverage.toFixed(2)})`);
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', ...leg.args], { cwd: leg.cwd, env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      writeFileSync(log, output);
      const json = /JSON: (\S+\.json)/.exec(output)?.[1];
      if (code !== 0 || !json) return reject(new Error(`${leg.title}: npm run bench exited with ${code}; see ${log}.`));
      const file = path.resolve(leg.cwd, json);
      resolve({ leg: leg.id, round, loadAverage, json: file, figures: figuresOf(JSON.parse(readFileSync(file, 'utf8')) as BenchJson) });
    });
  });
}

interface BenchJson {
  runs?: { gateway: string; query: string; load: { requestsPerSecond: number; errors: number }; gatewayCpuMsPerRequest?: number }[];
  realRuns?: {
    gateway: string;
    load: {
      requestsPerSecond: number;
      errors: number;
      cacheHitRate?: number;
      byType: Record<string, { requests: number; requestsPerSecond: number; errors: number }>;
    };
    gatewayCpuMsPerRequest?: number;
  }[];
}

function figuresOf(json: BenchJson): RunFigures[] {
  const perQuery = (json.runs ?? []).map((r) => ({
    gateway: r.gateway,
    what: r.query,
    requestsPerSecond: r.load.requestsPerSecond,
    gatewayCpuMsPerRequest: r.gatewayCpuMsPerRequest,
    errors: r.load.errors,
  }));
  const real = (json.realRuns ?? []).flatMap((r) =>
    Object.entries(r.load.byType)
      .filter(([, t]) => t.requests > 0)
      .map(([type, t]) => ({
        gateway: r.gateway,
        what: type,
        requestsPerSecond: t.requestsPerSecond,
        gatewayCpuMsPerRequest: r.gatewayCpuMsPerRequest,
        cacheHitRate: r.load.cacheHitRate,
        errors: t.errors,
      })),
  );
  return [...perQuery, ...real];
}

// ---------------------------------------------------------------------------------------
// Report

const median = (values: number[]) => percentile(values, 50, 'interpolate');

/** Rows compared with the baseline's executed Q1 (profiles) or Q2 (region lists), round by round. */
const COMPARED: { label: string; leg: LegId; gateway: string; what: string; against: 'Q1' | 'Q2' }[] = [
  { label: 'Q1 distinct, executed', leg: 'distinct', gateway: 'kopdes-nocache', what: 'Q1', against: 'Q1' },
  { label: 'realistic profiles, executed', leg: 'profiles', gateway: 'kopdes-nocache', what: 'profile', against: 'Q1' },
  { label: 'realistic profiles, as deployed', leg: 'profiles', gateway: 'kopdes', what: 'profile', against: 'Q1' },
  { label: 'Q2 distinct, executed', leg: 'distinct', gateway: 'kopdes-nocache', what: 'Q2', against: 'Q2' },
  { label: 'realistic region lists, executed', leg: 'regions', gateway: 'kopdes-nocache', what: 'regionList', against: 'Q2' },
  { label: 'realistic region lists, as deployed', leg: 'regions', gateway: 'kopdes', what: 'regionList', against: 'Q2' },
];

function report(results: LegResult[]): string {
  const find = (leg: LegId, round: number, gateway: string, what: string) =>
    results.find((r) => r.leg === leg && r.round === round)?.figures.find((f) => f.gateway === gateway && f.what === what);
  const rounds = Array.from({ length: settings.rounds }, (_, i) => i);
  const baselineOf = (q: 'Q1' | 'Q2') => rounds.map((r) => find('baseline', r, 'kopdes-nocache', q)?.requestsPerSecond ?? NaN);
  const rows = COMPARED.map((c) => {
    const ours = rounds.map((r) => find(c.leg, r, c.gateway, c.what));
    const base = baselineOf(c.against);
    const ratios = rounds.map((r) => (ours[r]?.requestsPerSecond ?? NaN) / base[r]!).filter(Number.isFinite);
    const hits = ours.map((o) => o?.cacheHitRate).filter((h): h is number => h !== undefined);
    const errors = ours.reduce((n, o) => n + (o?.errors ?? 0), 0);
    return `| ${c.label} | ${median(ours.map((o) => o?.requestsPerSecond ?? NaN)).toFixed(1)} | ${median(base).toFixed(1)} (${c.against}) | **${median(ratios).toFixed(2)}×** | ${ratios.map((x) => x.toFixed(2)).join(', ')} | ${hits.length ? `${Math.round(median(hits) * 100)}%` : 'n/a'} | ${errors} |`;
  });
  const loads = results.map((r) => r.loadAverage);
  return [
    `Kopdes Graph against baseline ${commit.slice(0, 10)}, side by side: ${settings.rounds} rounds, ~${settings.seconds} s per measured run, split subgraphs on PostgreSQL, national dataset (synthetic ministry data). 1-minute load average at the start of a leg: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} on this machine.`,
    '',
    '| this checkout | req/s (median) | baseline executed req/s (median) | vs baseline (median of paired rounds) | rounds | response-cache hits | errors |',
    '|---|--:|--:|--:|---|--:|--:|',
    ...rows,
    '',
    'The baseline executes every request (its response cache off), as the issue measured it. "As deployed" keeps this checkout\'s response cache on, so repeated popular requests are hits.',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------

const started = Date.now();
let stopDatabase: (() => void) | undefined;
let exitCode = 0;
try {
  prepareCheckout();
  stopDatabase = await startBaselineDatabase();
  // The baseline's bench seeds its empty databases on first use; one short run does it outside the rounds.
  note('Seeding (if empty) and warming the baseline with one short run, not counted…');
  const baseline = LEGS.find((l) => l.id === 'baseline')!;
  await runLeg({ ...baseline, args: baseline.args.map((a, i) => (baseline.args[i - 1] === '--seconds' ? '1' : a)) }, -1);
  vacuumBenchDatabases();
  const results: LegResult[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const order = LEGS.map((_, i) => LEGS[(i + round) % LEGS.length]!);
    for (const leg of order) results.push(await runLeg(leg, round));
  }
  const text = report(results);
  console.log(text);
  const jsonFile = path.join(repoRoot, 'bench-results', `${stamp}-baseline.json`);
  writeFileSync(
    jsonFile,
    JSON.stringify({ startedAt: new Date(started).toISOString(), durationS: Math.round((Date.now() - started) / 1000), settings, results }, null, 2),
  );
  note(`\nJSON: ${path.relative(repoRoot, jsonFile)}  (${Math.round((Date.now() - started) / 1000)} s)`);
} catch (error) {
  note(`Baseline benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 2;
} finally {
  stopDatabase?.();
}
process.exit(exitCode);
