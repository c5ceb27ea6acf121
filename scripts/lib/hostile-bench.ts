/**
 * Measuring tools for scripts/bench-hostile.ts: /health polled throughout, event-loop delay
 * read from a process's /metrics, and a sender that loops over the hostile corpus, making
 * every document distinct (a leading comment) so no verdict is ever served from memory.
 */
import { sampleValue } from '@kopdes/kit';
import type { HostileRequest } from './hostile-documents';

export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Polls `url` one request at a time, every `everyMs` (a slow answer delays the next poll); stop() returns the latencies (ms). */
export function pollHealth(url: string, everyMs = 50): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
        await res.arrayBuffer();
        latencies.push(performance.now() - started);
      } catch {
        latencies.push(60_000); // unanswered within a minute: counted as a minute
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** Event-loop delay (ms) of the process behind `metricsUrl` since the previous read (each read starts a new window). */
export async function loopDelay(metricsUrl: string): Promise<LoopDelay> {
  const text = await (await fetch(metricsUrl)).text();
  const ms = (quantile: string) => (sampleValue(text, 'nodejs_eventloop_delay_seconds', { quantile }) ?? NaN) * 1000;
  return { p50: ms('0.5'), p99: ms('0.99'), max: ms('1') };
}

/** CPU seconds the process behind `metricsUrl` has used (user + system). */
export async function cpuSeconds(metricsUrl: string): Promise<number> {
  return sampleValue(await (await fetch(metricsUrl)).text(), 'process_cpu_seconds_total') ?? NaN;
}

/**
 * CPU ms per request that the processes behind `metricsUrls` spend on `body`, sent `times` times
 * (distinct each time) one after another: a figure the machine's other load barely moves.
 */
export async function cpuPerRequest(url: string, body: string, headers: Record<string, string>, metricsUrls: string[], times = 3): Promise<number[]> {
  const before = await Promise.all(metricsUrls.map(cpuSeconds));
  for (let n = 0; n < times; n++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: distinct(body, 1e6 + n),
      signal: AbortSignal.timeout(30_000),
    }).catch(() => undefined);
    await res?.arrayBuffer();
  }
  const after = await Promise.all(metricsUrls.map(cpuSeconds));
  return after.map((a, i) => ((a - before[i]!) * 1000) / times);
}

export interface HostileOutcome {
  status: number;
  code: string;
  ms: number;
}

/** The request's body with a comment in front of every query: the same document to GraphQL, another string to any cache. */
export function distinct(body: string, n: number): string {
  return body.replaceAll('"query":"', `"query":"#${n}\\n`);
}

/**
 * Sends the corpus round-robin, one request at a time, until `until()` says stop and every
 * document was sent at least once. Returns each document's outcomes in send order.
 */
export async function sendHostile(
  url: string,
  corpus: { request: HostileRequest; body: string }[],
  headers: () => Promise<Record<string, string>>,
  until: () => boolean,
): Promise<HostileOutcome[][]> {
  const outcomes: HostileOutcome[][] = corpus.map(() => []);
  for (let n = 0; n < corpus.length || !until(); n++) {
    const i = n % corpus.length;
    const started = performance.now();
    let outcome: HostileOutcome;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await headers()) },
        body: distinct(corpus[i]!.body, n),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? (res.status === 200 ? 'none (answered)' : 'none');
      outcome = { status: res.status, code, ms: performance.now() - started };
    } catch (error) {
      outcome = {
        status: 0,
        code:
          (error as Error).name === 'TimeoutError'
            ? 'no answer in 30 s'
            : `connection error (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message})`,
        ms: performance.now() - started,
      };
    }
    outcomes[i]!.push(outcome);
  }
  return outcomes;
}

/** "400 SELECTION_TOO_WIDE", or the distinct outcomes when they differ between sends. */
export function describeOutcomes(outcomes: HostileOutcome[]): string {
  return [...new Set(outcomes.map((o) => `${o.status} ${o.code}`))].join(' / ');
}

/** Refused with a 4xx and a code, every time it was sent. */
export const refusedWithCode = (outcomes: HostileOutcome[]) =>
  outcomes.length > 0 && outcomes.every((o) => o.status >= 400 && o.status < 500 && /^[A-Z_]+$/.test(o.code));
