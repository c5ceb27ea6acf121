import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/**
 * Prometheus text exposition (format 0.0.4) without dependencies: counters, gauges and
 * histograms with labels. Label values that clients choose (operation names) are capped per
 * metric, so a client sending random names cannot grow memory without bound.
 */

type Labels = Record<string, string>;

const DEFAULT_MAX_SERIES = 500;
const OVERFLOW = '__other__';

/** Seconds: from 1 ms to 30 s, enough to see both cached lookups and timeouts. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

interface MetricOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
  /** Distinct label sets kept before new ones are folded into one `__other__` series. */
  maxSeries?: number;
}

abstract class Metric<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  protected readonly series = new Map<string, { labels: string; state: S }>();
  private readonly maxSeries: number;

  constructor(options: MetricOptions) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(options.name)) throw new Error(`Invalid metric name ${options.name}`);
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
    this.maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  }

  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected abstract initial(): S;
  protected abstract lines(labels: string, state: S): string[];

  protected state(labels: Labels = {}): S {
    let key = '';
    for (const name of this.labelNames) key += `${labels[name] ?? ''}\u0000`;
    let entry = this.series.get(key);
    if (!entry) {
      const overflow = this.series.size >= this.maxSeries;
      if (overflow) {
        key = '\u0001overflow';
        entry = this.series.get(key);
      }
      if (!entry) {
        const text = this.labelNames.map((n) => `${n}="${escapeLabel(overflow ? OVERFLOW : (labels[n] ?? ''))}"`).join(',');
        entry = { labels: text, state: this.initial() };
        this.series.set(key, entry);
      }
    }
    return entry.state;
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help.replace(/\n/g, ' ')}\n# TYPE ${this.name} ${this.type}\n`;
    for (const { labels, state } of this.series.values()) for (const line of this.lines(labels, state)) out += line + '\n';
    return out;
  }

  reset(): void {
    this.series.clear();
  }
}

const braces = (labels: string) => (labels ? `{${labels}}` : '');

export class Counter extends Metric<{ value: number }> {
  readonly type = 'counter';
  protected initial() { return { value: 0 }; }
  protected lines(labels: string, state: { value: number }) { return [`${this.name}${braces(labels)} ${formatValue(state.value)}`]; }

  inc(labels?: Labels, by = 1): void {
    this.state(labels).value += by;
  }

  get(labels?: Labels): number {
    return this.state(labels).value;
  }
}

export class Gauge extends Metric<{ value: number }> {
  readonly type = 'gauge';
  private readonly collect?: (gauge: Gauge) => void;

  constructor(options: MetricOptions & { collect?: (gauge: Gauge) => void }) {
    super(options);
    this.collect = options.collect;
  }

  protected initial() { return { value: 0 }; }
  protected lines(labels: string, state: { value: number }) { return [`${this.name}${braces(labels)} ${formatValue(state.value)}`]; }

  set(value: number, labels?: Labels): void {
    this.state(labels).value = value;
  }

  inc(labels?: Labels, by = 1): void {
    this.state(labels).value += by;
  }

  dec(labels?: Labels, by = 1): void {
    this.state(labels).value -= by;
  }

  get(labels?: Labels): number {
    return this.state(labels).value;
  }

  override render(): string {
    this.collect?.(this);
    return super.render();
  }
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Metric<HistogramState> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(options: MetricOptions & { buckets?: readonly number[] }) {
    super(options);
    this.buckets = [...(options.buckets ?? DURATION_BUCKETS)].sort((a, b) => a - b);
  }

  protected initial(): HistogramState {
    return { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
  }

  protected lines(labels: string, state: HistogramState): string[] {
    const prefix = labels ? `${labels},` : '';
    const out: string[] = [];
    let cumulative = 0;
    this.buckets.forEach((le, i) => {
      cumulative += state.counts[i]!;
      out.push(`${this.name}_bucket{${prefix}le="${formatValue(le)}"} ${cumulative}`);
    });
    out.push(`${this.name}_bucket{${prefix}le="+Inf"} ${state.count}`);
    out.push(`${this.name}_sum${braces(labels)} ${formatValue(state.sum)}`);
    out.push(`${this.name}_count${braces(labels)} ${state.count}`);
    return out;
  }

  observe(value: number, labels?: Labels): void {
    const state = this.state(labels);
    state.sum += value;
    state.count += 1;
    // Stored per bucket, accumulated when rendered: one increment per observation.
    const index = this.buckets.findIndex((le) => value <= le);
    if (index >= 0) state.counts[index]! += 1;
  }

  /** Starts a timer; calling the result observes the elapsed seconds. */
  startTimer(labels?: Labels): (more?: Labels) => number {
    const started = process.hrtime.bigint();
    return (more) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.observe(seconds, more ? { ...labels, ...more } : labels);
      return seconds;
    };
  }

  /** Observations and sum for one label set (tests). */
  snapshot(labels?: Labels): { count: number; sum: number } {
    const { count, sum } = this.state(labels);
    return { count, sum };
  }
}

/** A set of metrics served together at /metrics. */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric<unknown>>();

  private add<M extends Metric<unknown>>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new Error(`Metric ${metric.name} is already registered`);
    this.metrics.set(metric.name, metric);
    return metric;
  }

  counter(options: MetricOptions): Counter {
    return this.add(new Counter(options));
  }

  gauge(options: MetricOptions & { collect?: (gauge: Gauge) => void }): Gauge {
    return this.add(new Gauge(options));
  }

  histogram(options: MetricOptions & { buckets?: readonly number[] }): Histogram {
    return this.add(new Histogram(options));
  }

  /** Process memory, CPU and uptime, read when scraped. */
  processMetrics(prefix = 'process'): this {
    const started = Date.now() / 1000;
    this.gauge({ name: `${prefix}_resident_memory_bytes`, help: 'Resident set size in bytes.', collect: (g) => g.set(process.memoryUsage.rss()) });
    this.gauge({ name: `nodejs_heap_used_bytes`, help: 'V8 heap used in bytes.', collect: (g) => g.set(process.memoryUsage().heapUsed) });
    this.gauge({ name: `${prefix}_cpu_seconds_total`, help: 'User and system CPU time in seconds.', collect: (g) => {
      const { user, system } = process.cpuUsage();
      g.set((user + system) / 1e6);
    } });
    this.gauge({ name: `${prefix}_start_time_seconds`, help: 'Start time of the process since the Unix epoch in seconds.', collect: (g) => g.set(started) });
    const loop = eventLoopDelay();
    this.gauge({
      name: 'nodejs_eventloop_delay_seconds', labelNames: ['quantile'],
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

  render(): string {
    let out = '';
    for (const metric of this.metrics.values()) out += metric.render();
    return out;
  }
}

const loopHistograms = new Set<WeakRef<RecordableHistogram>>(); // a registry dropped takes its histogram with it
let loopTimer: NodeJS.Timeout | undefined;

/**
 * A histogram (ns) of the gaps between ticks of one 10 ms timer per process, shared by every
 * registry. Not perf_hooks.monitorEventLoopDelay: its reset() also forgets the previous tick,
 * so a stall that starts right after a scrape would never be recorded.
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

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Reads one sample from exposition text (tests and scripts): the value of `name{labels}`, summed over series that match. */
export function sampleValue(text: string, name: string, labels: Labels = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Labels = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) found[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}
