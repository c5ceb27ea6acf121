/**
 * Load and probes for the benchmark: autocannon at fixed concurrency for throughput and
 * latency, and sequential single requests traced on the subgraph host for the critical path.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { SubgraphTally, TraceInterval } from './bench-subgraphs';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Bodies to rotate through instead of `body` (the --distinct workload); checked with `expect` as a function. */
  bodies?: string[];
  connections: number;
  /** Requests to complete; each connection sends its share, so every request is answered and counted. */
  amount: number;
  /** The exact body every response must carry, or a check of each body; anything else counts as an error. */
  expect: string | ((body: string) => boolean);
}

const accepts = (expect: LoadOptions['expect'], body: string) => (typeof expect === 'string' ? body === expect : expect(body));

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Connection errors and timeouts, plus responses that were not the expected answer (non-2xx or another body). */
  errors: number;
  raw: { errors: number; timeouts: number; non2xx: number; mismatches: number };
  /** The first few unacceptable responses, shortened: what went wrong. */
  failures: string[];
}

/** One line about an unacceptable response: its first error's message and code, or its start. */
export function describeFailure(body: string): string {
  const message = /"message":"((?:[^"\\]|\\.)*)"/.exec(body)?.[1];
  const code = /"code":"([A-Z_]+)"/.exec(body)?.[1];
  return message ? `"${message.slice(0, 200)}"${code ? ` (${code})` : ''}` : body.slice(0, 200);
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { bodies } = options;
  let next = 0;
  const failures: string[] = [];
  const verifyBody = (body: string) => {
    if (accepts(options.expect, body)) return true;
    if (failures.length < 3) failures.push(describeFailure(body));
    return false;
  };
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: options.headers,
    body: options.body,
    ...(bodies ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[next++ % bodies.length] }) }] } : {}),
    connections: options.connections,
    amount: Math.max(options.amount, options.connections),
    verifyBody,
    timeout: 30,
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.average,
    errors: result.errors + Math.max(result.non2xx, result.mismatches),
    raw: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, mismatches: result.mismatches },
    failures,
  };
}

/** The subgraph hosts' control endpoints. */
export class SubgraphHosts {
  constructor(readonly controlUrls: string[]) {}

  async stats(): Promise<Record<string, SubgraphTally>> {
    const all = await Promise.all(this.controlUrls.map(async (url) => (await fetch(`${url}/stats`)).json() as Promise<Record<string, SubgraphTally>>));
    return Object.assign({}, ...all) as Record<string, SubgraphTally>;
  }

  /** Waits until no subgraph request is in flight (a load run's last requests finish after the client stops). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const busy = Object.values(await this.stats()).reduce((n, t) => n + t.inFlight, 0);
      if (busy === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`The subgraphs were still busy ${timeoutMs / 1000} s after the load stopped.`);
  }

  async startTrace(): Promise<void> {
    await Promise.all(this.controlUrls.map((url) => fetch(`${url}/trace`, { method: 'POST' }).then((r) => r.arrayBuffer())));
  }

  async stopTrace(): Promise<TraceInterval[]> {
    const all = await Promise.all(this.controlUrls.map(async (url) => (await fetch(`${url}/trace`)).json() as Promise<TraceInterval[]>));
    return all.flat();
  }
}

/** Total length of the union of intervals: wall time during which at least one subgraph was working. */
export function unionMs(intervals: { start: number; end: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const { start, end } of sorted) {
    if (start > to) {
      if (to > from) total += to - from;
      from = start;
      to = end;
    } else if (end > to) to = end;
  }
  if (to > from) total += to - from;
  return total;
}

export interface ProbeSample {
  latencyMs: number;
  /** Subgraph time on the critical path: the union of the subgraph requests' own intervals. */
  criticalPathMs: number;
  /** Sum of every subgraph request's own time (work, whether parallel or not). */
  subgraphWorkMs: number;
  subgraphRequests: number;
  ok: boolean;
}

/** One request at a time, each traced on the subgraph hosts. */
export async function probe(hosts: SubgraphHosts, options: Omit<LoadOptions, 'connections' | 'amount'>, count: number): Promise<ProbeSample[]> {
  const samples: ProbeSample[] = [];
  for (let i = 0; i < count; i += 1) {
    await hosts.startTrace();
    const started = performance.now();
    const res = await fetch(options.url, { method: 'POST', headers: options.headers, body: options.body });
    const text = await res.text();
    const latencyMs = performance.now() - started;
    const intervals = await hosts.stopTrace();
    samples.push({
      latencyMs,
      criticalPathMs: unionMs(intervals),
      subgraphWorkMs: intervals.reduce((n, t) => n + t.end - t.start, 0),
      subgraphRequests: intervals.length,
      ok: res.ok && accepts(options.expect, text) && intervals.every((t) => t.status < 400),
    });
  }
  return samples;
}

/** Nearest-rank percentile; 'interpolate' averages the two middle values for an even count's median. */
export function percentile(values: number[], p: number, method: 'nearest' | 'interpolate' = 'nearest'): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  if (method === 'interpolate') {
    const at = (p / 100) * (sorted.length - 1);
    const low = Math.floor(at);
    return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
