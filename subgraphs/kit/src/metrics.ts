import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import client from 'prom-client';

/**
 * Prometheus metrics on prom-client's registry and text format. The thin classes here add what
 * prom-client lacks: label values that clients choose (operation names) are capped per metric, so
 * a client sending random names cannot grow memory without bound; and the kit's argument order
 * (value first, labels last) that every call site in the repository uses.
 */

type Labels = Record<string, string>;

const DEFAULT_MAX_SERIES = 500;
const OVERFLOW = '__other__';

/** Seconds: from 1 ms to 30 s, enough to see both cached lookups and timeouts. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface MetricOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
  /** Distinct label sets kept before new ones are folded into one `__other__` series. */
  maxSeries?: number;
}

/** Folds label sets beyond `max` into one series whose every label is `__other__`. */
class LabelCap {
  private readonly seen = new Set<string>();
  private readonly overflow: Labels;

  constructor(
    private readonly names: readonly string[],
    private readonly max: number,
  ) {
    this.overflow = Object.fromEntries(names.map((n) => [n, OVERFLOW]));
  }

  apply(labels: Labels | undefined): Labels {
    if (!labels) return {};
    if (this.names.length === 0) return labels;
    let key = '';
    for (const name of this.names) key += `${labels[name] ?? ''}\u0000`;
    if (this.seen.has(key)) return labels;
    if (this.seen.size >= this.max) return this.overflow;
    this.seen.add(key);
    return labels;
  }

  reset(): void {
    this.seen.clear();
  }
}

/** The value of one series (tests): labels matched exactly, 0 when never set. */
async function valueOf(metric: client.Counter<string> | client.Gauge<string>, labels: Labels = {}): Promise<number> {
  const { values } = await metric.get();
  const keys = Object.keys(labels);
  const found = values.find((v) => Object.keys(v.labels).length === keys.length && keys.every((k) => String(v.labels[k]) === labels[k]));
  return found?.value ?? 0;
}

export class Counter {
  constructor(
    private readonly metric: client.Counter<string>,
    private readonly cap: LabelCap,
  ) {}

  inc(labels?: Labels, by = 1): void {
    this.metric.inc(this.cap.apply(labels), by);
  }

  reset(): void {
    this.metric.reset();
    this.cap.reset();
  }

  get(labels?: Labels): Promise<number> {
    return valueOf(this.metric, labels);
  }
}

export class Gauge {
  constructor(
    private readonly metric: client.Gauge<string>,
    private readonly cap: LabelCap,
  ) {}

  set(value: number, labels?: Labels): void {
    this.metric.set(this.cap.apply(labels), value);
  }

  inc(labels?: Labels, by = 1): void {
    this.metric.inc(this.cap.apply(labels), by);
  }

  dec(labels?: Labels, by = 1): void {
    this.metric.dec(this.cap.apply(labels), by);
  }

  get(labels?: Labels): Promise<number> {
    return valueOf(this.metric, labels);
  }
}

export class Histogram {
  constructor(
    private readonly metric: client.Histogram<string>,
    private readonly cap: LabelCap,
  ) {}

  observe(value: number, labels?: Labels): void {
    this.metric.observe(this.cap.apply(labels), value);
  }

  /** Starts a timer; calling the result observes the elapsed seconds, with `more` labels added. */
  startTimer(labels?: Labels): (more?: Labels) => number {
    const started = process.hrtime.bigint();
    return (more) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.observe(seconds, more ? { ...labels, ...more } : labels);
      return seconds;
    };
  }
}

/** A set of metrics served together at /metrics: one prom-client registry (never the global one). */
export class MetricsRegistry {
  readonly prometheus = new client.Registry();

  private common(options: MetricOptions) {
    const labelNames = [...(options.labelNames ?? [])];
    return {
      cap: new LabelCap(labelNames, options.maxSeries ?? DEFAULT_MAX_SERIES),
      config: { name: options.name, help: options.help, labelNames, registers: [this.prometheus] },
    };
  }

  /** `collect` runs when scraped, e.g. to mirror a total kept elsewhere (reset, then inc). */
  counter(options: MetricOptions & { collect?: (counter: Counter) => void }): Counter {
    const { cap, config } = this.common(options);
    const collect = options.collect;
    // The closure runs only when scraped, after `wrapped` exists.
    const wrapped: Counter = new Counter(new client.Counter({ ...config, ...(collect && { collect: () => collect(wrapped) }) }), cap);
    return wrapped;
  }

  /** `collect` runs when scraped: a gauge read from elsewhere (memory, cache size). */
  gauge(options: MetricOptions & { collect?: (gauge: Gauge) => void }): Gauge {
    const { cap, config } = this.common(options);
    const collect = options.collect;
    const wrapped: Gauge = new Gauge(new client.Gauge({ ...config, ...(collect && { collect: () => collect(wrapped) }) }), cap);
    return wrapped;
  }

  histogram(options: MetricOptions & { buckets?: readonly number[] }): Histogram {
    const { cap, config } = this.common(options);
    return new Histogram(new client.Histogram({ ...config, buckets: [...(options.buckets ?? DURATION_BUCKETS)] }), cap);
  }

  /**
   * Process memory, CPU and uptime, read when scraped. Written here rather than prom-client's
   * collectDefaultMetrics, whose names (nodejs_heap_size_used_bytes, nodejs_eventloop_lag_*) differ
   * from the ones dashboards, alerts and benchmarks read.
   */
  processMetrics(prefix = 'process'): this {
    const started = Date.now() / 1000;
    this.gauge({ name: `${prefix}_resident_memory_bytes`, help: 'Resident set size in bytes.', collect: (g) => g.set(process.memoryUsage.rss()) });
    this.gauge({ name: `nodejs_heap_used_bytes`, help: 'V8 heap used in bytes.', collect: (g) => g.set(process.memoryUsage().heapUsed) });
    this.gauge({
      name: `${prefix}_cpu_seconds_total`,
      help: 'User and system CPU time in seconds.',
      collect: (g) => {
        const { user, system } = process.cpuUsage();
        g.set((user + system) / 1e6);
      },
    });
    this.gauge({ name: `${prefix}_start_time_seconds`, help: 'Start time of the process since the Unix epoch in seconds.', collect: (g) => g.set(started) });
    const loop = eventLoopDelay();
    this.gauge({
      name: 'nodejs_eventloop_delay_seconds',
      labelNames: ['quantile'],
      help: 'Event-loop delay since the previous scrape of this endpoint, by quantile (1 = max): gaps between ticks of a 10 ms timer, the 10 ms included.',
      collect: (g) => {
        const seconds = (ns: number) => (loop.count > 0 ? ns / 1e9 : 0);
        g.set(seconds(loop.percentile(50)), { quantile: '0.5' });
        g.set(seconds(loop.percentile(99)), { quantile: '0.99' });
        g.set(seconds(loop.max), { quantile: '1' });
        loop.reset();
      },
    });
    return this;
  }

  /** The exposition text (prom-client runs every `collect` first, hence async). */
  render(): Promise<string> {
    return this.prometheus.metrics();
  }
}

const loopHistograms = new Set<WeakRef<RecordableHistogram>>(); // a registry dropped takes its histogram with it
let loopTimer: NodeJS.Timeout | undefined;

/**
 * A histogram (ns) of the gaps between ticks of one 10 ms timer per process, shared by every
 * registry. Not perf_hooks.monitorEventLoopDelay (nor prom-client's lag metrics built on it): its
 * reset() also forgets the previous tick, so a stall that starts right after a scrape would never be recorded.
 */
function eventLoopDelay(): RecordableHistogram {
  const histogram = createHistogram();
  loopHistograms.add(new WeakRef(histogram));
  if (!loopTimer) {
    let last = performance.now();
    loopTimer = setInterval(() => {
      const now = performance.now();
      const gap = Math.max(1, Math.round((now - last) * 1e6));
      last = now;
      for (const ref of loopHistograms) {
        const h = ref.deref();
        if (h) h.record(gap);
        else loopHistograms.delete(ref);
      }
    }, 10).unref();
  }
  return histogram;
}

export const PROMETHEUS_CONTENT_TYPE: string = client.Registry.PROMETHEUS_CONTENT_TYPE;

/** Reads one sample from exposition text (tests and scripts): the value of `name{labels}`, summed over series that match. */
export function sampleValue(text: string, name: string, labels: Labels = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Labels = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      found[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}
