/**
 * Benchmark figures: what one measured run records, how rounds are combined, how each figure
 * compares with the stock gateway's, and the markdown table.
 */
import type { LoadResult, ProbeSample } from './bench-load';
import { percentile } from './bench-load';

export type GatewayId = 'kopdes' | 'kopdes-nocache' | 'stock' | 'hive';

export const GATEWAY_LABELS: Record<GatewayId, string> = {
  kopdes: 'Kopdes gateway',
  'kopdes-nocache': 'Kopdes gateway, response cache off',
  stock: 'stock @apollo/gateway',
  hive: '@graphql-hive/gateway',
};

/** One gateway answering one query for one round. */
export interface RunRecord {
  round: number;
  gateway: GatewayId;
  query: string;
  load: LoadResult;
  /** The machine's 1-minute load average when the run started (other work on the machine shows here). */
  loadAverage: number;
  /** Peak resident set of the gateway process during the measured load. */
  peakRssMb: number;
  /** Gateway process CPU (user + system) per completed request under load. */
  gatewayCpuMsPerRequest: number;
  /** Under load, from the subgraph hosts' own tallies: subgraph requests, their time and SQL statements per gateway request. */
  underLoad: { subgraphRequestsPerRequest: number; subgraphWorkMsPerRequest: number; sqlStatementsPerRequest: number };
  /** Requests sent one at a time, each traced on the subgraph hosts. */
  probe: {
    samples: ProbeSample[];
    /** Exact: the subgraphs' SQL statement counters over the probes, divided by the probes. */
    sqlStatementsPerRequest: number;
    /** From the kit's own kopdes_subgraph_request_duration_seconds histograms, when the subgraphs expose them. */
    kitSubgraphSecondsPerRequest?: number;
  };
}

export interface Summary {
  gateway: GatewayId;
  query: string;
  rounds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
  peakRssMb: number;
  sqlStatementsPerRequest: number;
  subgraphRequestsPerRequest: number;
  /** Under load: below the unloaded figures when a gateway merges identical subgraph requests in flight. */
  underLoad: { sqlStatementsPerRequest: number; subgraphRequestsPerRequest: number; subgraphWorkMsPerRequest: number };
  gatewayCpuMsPerRequest: number;
  /** Unloaded (one request at a time), medians over every probe. */
  unloaded: { latencyMs: number; subgraphCriticalPathMs: number; gatewayOverheadMs: number; subgraphWorkMs: number; failed: number };
  /** This figure divided by the stock gateway's (requests/s: above 1 is better; latency, RSS, CPU: below 1 is better). */
  vsStock?: { requestsPerSecond: number; p50Ms: number; p99Ms: number; peakRssMb: number; gatewayCpuMsPerRequest: number; gatewayOverheadMs: number };
  /** requests/s ratio to stock in each round (the rounds alternate the gateways, so each pair shares the machine's state). */
  roundRatios?: number[];
  answerMatchesStock?: boolean;
}

const mean = (values: number[]) => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);

export function summarise(runs: RunRecord[], gateways: GatewayId[], queries: string[], answersAgree: Record<string, Record<string, boolean>>): Summary[] {
  const out: Summary[] = [];
  for (const query of queries) {
    const byGateway = new Map<GatewayId, Summary>();
    for (const gateway of gateways) {
      const mine = runs.filter((r) => r.gateway === gateway && r.query === query);
      if (mine.length === 0) continue;
      const samples = mine.flatMap((r) => r.probe.samples);
      const completed = mine.filter((r) => r.load.requests > 0);
      const good = samples.filter((s) => s.ok);
      const summary: Summary = {
        gateway,
        query,
        rounds: mine.length,
        requestsPerSecond: mean(mine.map((r) => r.load.requestsPerSecond)),
        p50Ms: mean(completed.map((r) => r.load.p50Ms)),
        p99Ms: mean(completed.map((r) => r.load.p99Ms)),
        errors: mine.reduce((n, r) => n + r.load.errors, 0),
        requests: mine.reduce((n, r) => n + r.load.requests, 0),
        peakRssMb: Math.max(...mine.map((r) => r.peakRssMb)),
        sqlStatementsPerRequest: mean(mine.map((r) => r.probe.sqlStatementsPerRequest)),
        subgraphRequestsPerRequest: percentile(
          good.map((s) => s.subgraphRequests),
          50,
        ),
        underLoad: {
          sqlStatementsPerRequest: mean(completed.map((r) => r.underLoad.sqlStatementsPerRequest)),
          subgraphRequestsPerRequest: mean(completed.map((r) => r.underLoad.subgraphRequestsPerRequest)),
          subgraphWorkMsPerRequest: mean(completed.map((r) => r.underLoad.subgraphWorkMsPerRequest)),
        },
        gatewayCpuMsPerRequest: mean(completed.map((r) => r.gatewayCpuMsPerRequest)),
        unloaded: {
          latencyMs: percentile(
            good.map((s) => s.latencyMs),
            50,
          ),
          subgraphCriticalPathMs: percentile(
            good.map((s) => s.criticalPathMs),
            50,
          ),
          gatewayOverheadMs: percentile(
            good.map((s) => s.latencyMs - s.criticalPathMs),
            50,
          ),
          subgraphWorkMs: percentile(
            good.map((s) => s.subgraphWorkMs),
            50,
          ),
          failed: samples.length - good.length,
        },
        answerMatchesStock: answersAgree[query]?.[gateway],
      };
      byGateway.set(gateway, summary);
      out.push(summary);
    }
    const stock = byGateway.get('stock');
    if (!stock) continue;
    for (const summary of byGateway.values()) {
      summary.vsStock = {
        requestsPerSecond: summary.requestsPerSecond / stock.requestsPerSecond,
        p50Ms: summary.p50Ms / stock.p50Ms,
        p99Ms: summary.p99Ms / stock.p99Ms,
        peakRssMb: summary.peakRssMb / stock.peakRssMb,
        gatewayCpuMsPerRequest: summary.gatewayCpuMsPerRequest / stock.gatewayCpuMsPerRequest,
        gatewayOverheadMs: summary.unloaded.gatewayOverheadMs / stock.unloaded.gatewayOverheadMs,
      };
      const rounds = [...new Set(runs.map((r) => r.round))].sort((a, b) => a - b);
      summary.roundRatios = rounds.flatMap((round) => {
        const mine = runs.find((r) => r.round === round && r.gateway === summary.gateway && r.query === query);
        const theirs = runs.find((r) => r.round === round && r.gateway === 'stock' && r.query === query);
        return mine && theirs ? [mine.load.requestsPerSecond / theirs.load.requestsPerSecond] : [];
      });
    }
  }
  return out;
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const ratio = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const whole = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');

export function markdownTable(summaries: Summary[]): string {
  const lines = [
    '| query | gateway | req/s | vs stock | p50 ms | vs stock | p99 ms | vs stock | errors | peak RSS MB | vs stock | gateway CPU ms/req | vs stock | SQL stmts/req (under load) | subgraph calls/req (under load) | unloaded latency ms | subgraph critical path ms | gateway overhead ms | vs stock |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const s of summaries) {
    const v = s.vsStock;
    const mark = s.answerMatchesStock === false ? ' (answer differs!)' : '';
    lines.push(
      `| ${s.query} | ${GATEWAY_LABELS[s.gateway]}${mark} | ${whole(s.requestsPerSecond)} | ${ratio(v?.requestsPerSecond)} | ${fixed(s.p50Ms)} | ${ratio(v?.p50Ms)} | ${fixed(s.p99Ms)} | ${ratio(v?.p99Ms)} | ${s.errors} | ${whole(s.peakRssMb)} | ${ratio(v?.peakRssMb)} | ${fixed(s.gatewayCpuMsPerRequest, 2)} | ${ratio(v?.gatewayCpuMsPerRequest)} | ${fixed(s.sqlStatementsPerRequest, 1)} (${fixed(s.underLoad.sqlStatementsPerRequest, 1)}) | ${fixed(s.subgraphRequestsPerRequest, 0)} (${fixed(s.underLoad.subgraphRequestsPerRequest, 1)}) | ${fixed(s.unloaded.latencyMs)} | ${fixed(s.unloaded.subgraphCriticalPathMs)} | ${fixed(s.unloaded.gatewayOverheadMs)} | ${ratio(v?.gatewayOverheadMs)} |`,
    );
  }
  return lines.join('\n');
}
