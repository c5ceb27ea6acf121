/**
 * @defer benchmark: how much sooner a profile page gets its first part when one ministry is slow.
 * Side by side in one run, on the test platform (every subgraph on loopback, financing behind a
 * fault proxy that holds each request DELAY ms): the profile query with financing under @defer
 * (time to its first part, and to its last) against the same query without @defer (time to the
 * whole answer). Reported as ratios, with the 1-minute load average.
 *
 *   npx tsx scripts/bench-defer.ts [--runs 20] [--delay 500]
 */
import '../gateway/src/telemetry';
import { loadavg } from 'node:os';
import { bearer, startPlatform } from '../test/helpers';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive whole number; got ${args[i + 1]}.`);
  return value;
};
const RUNS = Math.min(option('--runs', 20), 200);
const DELAY_MS = Math.min(option('--delay', 500), 10_000);

const FIELDS = 'id name stage members village { code name regency { name } province { name } }';
const FINANCING = 'financing { outstanding inArrears loans { id status plafond } }';
const DEFERRED = `query P($id: ID!) { cooperative(id: $id) { ${FIELDS} ... @defer { ${FINANCING} } } }`;
const WHOLE = `query P($id: ID!) { cooperative(id: $id) { ${FIELDS} ${FINANCING} } }`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(url: string, query: string, headers: Record<string, string>): Promise<{ first: number; last: number; parts: number }> {
  const started = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed; deferSpec=20220824, application/json', ...headers },
    body: JSON.stringify({ query, variables: { id: 'KDMP-35.14.09.2019' } }),
  });
  if (res.status !== 200) throw new Error(`The gateway answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let first = 0;
  let parts = 0;
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const seen = (text.match(/"hasNext"/g) ?? []).length || 1;
    if (!first) first = performance.now() - started;
    parts = Math.max(parts, seen);
  }
  return { first, last: performance.now() - started, parts };
}

process.env.KOPDES_LOG ??= 'silent'; // the figures, not a log line per request
const platform = await startPlatform({ faults: true });
try {
  const analyst = { authorization: await bearer({ subject: 'bench-defer', role: 'analyst' }) };
  const financing = platform.proxies.get('financing')!;
  financing.mode = { kind: 'delay', ms: DELAY_MS };
  await timed(platform.url, DEFERRED, analyst); // plans and connections warm
  await timed(platform.url, WHOLE, analyst);
  const deferred: { first: number; last: number }[] = [];
  const whole: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternated, so both see the same machine.
    const d = await timed(platform.url, DEFERRED, analyst);
    if (d.parts < 2) throw new Error('The deferred query came back in one part: is @defer served?');
    deferred.push(d);
    whole.push((await timed(platform.url, WHOLE, analyst)).last);
  }
  const firstPart = median(deferred.map((d) => d.first));
  const lastPart = median(deferred.map((d) => d.last));
  const full = median(whole);
  console.log(
    `@defer benchmark: profile query, financing slowed by ${DELAY_MS} ms, ${RUNS} runs each, alternated; load average (1 min) ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(`| measure | median ms | ratio to the whole answer without @defer |`);
  console.log(`|---|---|---|`);
  console.log(`| without @defer: whole answer | ${full.toFixed(0)} | 1.00 |`);
  console.log(`| with @defer: first part | ${firstPart.toFixed(0)} | ${(firstPart / full).toFixed(2)} |`);
  console.log(`| with @defer: last part | ${lastPart.toFixed(0)} | ${(lastPart / full).toFixed(2)} |`);
} finally {
  await platform.stop();
}
