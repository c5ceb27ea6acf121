/**
 * Dashboard load benchmark: time from navigation to "dashboard rendered" (every panel has its
 * data or knows it is unavailable: <body data-dashboard="rendered">) on the national dataset,
 * in Debian's Chromium driven by playwright-core, with every non-loopback request blocked.
 *
 *   npx tsx scripts/bench-dashboard.ts                    against http://127.0.0.1:4000 if it is up, else
 *                                                         starts `npm start` on fresh embedded databases
 *   npx tsx scripts/bench-dashboard.ts --url http://host:4000 [--runs 7]
 *
 * Each run opens a fresh browser context (empty cache); "warm" reloads in the same context.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from 'playwright-core';
import { repoRoot } from '@kopdes/kit';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(option('--runs') ?? 7);
const GOAL_MS = 2000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function isUp(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { status?: string };
    return res.ok && (body.status === 'ready' || body.status === 'degraded');
  } catch {
    return false;
  }
}

/** `npm start` on fresh embedded databases (national seed, about a minute), on its own port. */
async function startStack(): Promise<{ base: string; stop: () => Promise<void> }> {
  const port = Number(process.env.BENCH_PORT ?? 4651);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kopdes-bench-dashboard-'));
  console.error(`Starting npm start on port ${port} with fresh national data in ${dataDir} (seeding takes a minute or more)…`);
  const child: ChildProcess = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/dev.ts'], {
    cwd: repoRoot,
    env: { ...process.env, KOPDES_DATA_DIR: dataDir, PORT: String(port), KOPDES_LOG: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (/seeded in|Kopdes Graph is up/.test(line)) console.error(`  ${line.trim()}`);
      if (line.includes('Kopdes Graph is up')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGINT');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface Run {
  renderedMs: number;
  wallMs: number;
  requests: { operation: string; ms: number }[];
  unavailable: string[];
}

async function measure(page: Page, base: string): Promise<Run> {
  const requests: { operation: string; ms: number }[] = [];
  const onFinished = (request: import('playwright-core').Request) => {
    if (!request.url().endsWith('/graphql')) return;
    const operation = (JSON.parse(request.postData() ?? '{}') as { operationName?: string }).operationName ?? '?';
    const timing = request.timing();
    requests.push({ operation, ms: Math.round(timing.responseEnd) });
  };
  page.on('requestfinished', onFinished);
  const started = Date.now();
  await page.goto(`${base}/dashboard`, { waitUntil: 'commit' });
  await page.waitForSelector('body[data-dashboard="rendered"]', { timeout: 60_000 });
  const wallMs = Date.now() - started;
  const renderedMs = Number(await page.evaluate(() => document.body.dataset.renderedMs));
  const unavailable = await page.locator('.chip[data-status="unavailable"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ministry') ?? '?'));
  page.off('requestfinished', onFinished);
  return { renderedMs, wallMs, requests, unavailable };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const given = option('--url') ?? process.env.BENCH_URL;
let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let base = given ?? 'http://127.0.0.1:4000';
if (!given && !(await isUp(base))) {
  stack = await startStack();
  base = stack.base;
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const blocked: string[] = [];
try {
  const national = (await (
    await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ provinces { code } }"}' })
  ).json()) as { data?: { provinces: unknown[] } };
  const provinces = national.data?.provinces.length ?? 0;
  if (provinces !== 38) console.error(`warning: ${base} serves ${provinces} provinces, not the national 38`);

  const cold: Run[] = [];
  const warm: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'data:') return route.continue();
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    cold.push(await measure(page, base));
    warm.push(await measure(page, base));
    await context.close();
  }
  const summary = (runs: Run[]) => ({
    medianMs: percentile(
      runs.map((r) => r.renderedMs),
      50,
    ),
    maxMs: Math.max(...runs.map((r) => r.renderedMs)),
    wallMedianMs: percentile(
      runs.map((r) => r.wallMs),
      50,
    ),
  });
  // The slowest request of the median cold run: the one the page waits for.
  const median = [...cold].sort((a, b) => a.renderedMs - b.renderedMs)[Math.floor(cold.length / 2)]!;
  const result = {
    url: base,
    provinces,
    runs: RUNS,
    coldCache: summary(cold),
    warmCache: summary(warm),
    firstRunMs: cold[0]!.renderedMs,
    slowestRequestsMedianRun: [...median.requests].sort((a, b) => b.ms - a.ms).slice(0, 4),
    unavailableMinistries: [...new Set(cold.flatMap((r) => r.unavailable))],
    blockedRequests: blocked.length,
    goalMs: GOAL_MS,
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`\n| dashboard, national dataset (${provinces} provinces) | median | max |\n|---|---|---|
| navigation → rendered, empty cache (${RUNS} runs) | ${result.coldCache.medianMs} ms | ${result.coldCache.maxMs} ms |
| navigation → rendered, warm cache | ${result.warmCache.medianMs} ms | ${result.warmCache.maxMs} ms |
| goal | < ${GOAL_MS} ms | |`);
  if (blocked.length) console.error(`blocked non-loopback requests: ${blocked.join(', ')}`);
  process.exitCode = result.coldCache.medianMs < GOAL_MS && blocked.length === 0 ? 0 : 1;
} finally {
  await browser.close();
  await stack?.stop();
}
