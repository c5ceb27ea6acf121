/**
 * Figures of the realistic workload (bench-real.ts): per gateway and round, then combined, with
 * ratios to the stock gateway and to Hive Gateway measured in the same rounds.
 */
import { percentile } from './bench-load';
import { REAL_TYPES, type RealLoadResult, type RealType } from './bench-real';
import { GATEWAY_LABELS, type GatewayId } from './bench-report';

/** What one realistic run costs per request, measured per gateway and round, and averaged over the rounds. */
interface PerRequestCosts {
  gatewayCpuMsPerRequest: number;
  /** CPU of the subgraph processes and of PostgreSQL's, per request of this gateway (the same subgraphs for every gateway). */
  subgraphCpuMsPerRequest: number;
  postgresCpuMsPerRequest: number;
  subgraphRequestsPerRequest: number;
  sqlStatementsPerRequest: number;
}

export interface RealRecord extends PerRequestCosts {
  round: number;
  gateway: GatewayId;
  load: RealLoadResult;
  loadAverage: number;
  peakRssMb: number;
}

export interface RealSummary extends PerRequestCosts {
  gateway: GatewayId;
  rounds: number;
  requestsPerSecond: number;
  /** Median over the rounds of this gateway's req/s ÷ the peer's in the same round. */
  vsStock?: number;
  vsHive?: number;
  roundRatiosVsStock: number[];
  cacheHitRate: number;
  errors: number;
  peakRssMb: number;
  loadAverage: number;
  byType: Record<
    RealType,
    {
      requestsPerSecond: number;
      p50Ms: number;
      p99Ms: number;
      executedP50Ms: number;
      hitRate: number;
      vsStock?: number;
      vsHive?: number;
      executedP50VsStock?: number;
    }
  >;
}

const mean = (values: number[]) => {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
};

function roundRatios(records: RealRecord[], mine: GatewayId, peer: GatewayId, figure: (r: RealRecord) => number): number[] {
  return [...new Set(records.map((r) => r.round))].flatMap((round) => {
    const a = records.find((r) => r.round === round && r.gateway === mine);
    const b = records.find((r) => r.round === round && r.gateway === peer);
    return a && b ? [figure(a) / figure(b)] : [];
  });
}

export function summariseReal(records: RealRecord[], gateways: GatewayId[]): RealSummary[] {
  return gateways.flatMap((gateway) => {
    const mine = records.filter((r) => r.gateway === gateway);
    if (mine.length === 0) return [];
    const ratio = (peer: GatewayId, figure: (r: RealRecord) => number) => {
      const ratios = roundRatios(records, gateway, peer, figure);
      return ratios.length ? percentile(ratios, 50, 'interpolate') : undefined;
    };
    const requests = mine.reduce((n, r) => n + r.load.requests, 0);
    const byType = Object.fromEntries(
      REAL_TYPES.map(({ type }) => {
        const typed = mine.map((r) => r.load.byType[type]);
        const count = typed.reduce((n, t) => n + t.requests, 0);
        return [
          type,
          {
            requestsPerSecond: mean(typed.map((t) => t.requestsPerSecond)),
            p50Ms: mean(typed.map((t) => t.p50Ms)),
            p99Ms: mean(typed.map((t) => t.p99Ms)),
            executedP50Ms: mean(typed.map((t) => t.executedP50Ms)),
            hitRate: count ? typed.reduce((n, t) => n + t.cacheHits, 0) / count : NaN,
            vsStock: ratio('stock', (r) => r.load.byType[type].requestsPerSecond),
            vsHive: ratio('hive', (r) => r.load.byType[type].requestsPerSecond),
            executedP50VsStock: ratio('stock', (r) => r.load.byType[type].executedP50Ms),
          },
        ];
      }),
    ) as RealSummary['byType'];
    return [
      {
        gateway,
        rounds: mine.length,
        requestsPerSecond: mean(mine.map((r) => r.load.requestsPerSecond)),
        vsStock: ratio('stock', (r) => r.load.requestsPerSecond),
        vsHive: ratio('hive', (r) => r.load.requestsPerSecond),
        roundRatiosVsStock: roundRatios(records, gateway, 'stock', (r) => r.load.requestsPerSecond),
        cacheHitRate: mine.reduce((n, r) => n + r.load.cacheHitRate * r.load.requests, 0) / Math.max(1, requests),
        errors: mine.reduce((n, r) => n + r.load.errors, 0),
        peakRssMb: Math.max(...mine.map((r) => r.peakRssMb)),
        gatewayCpuMsPerRequest: mean(mine.map((r) => r.gatewayCpuMsPerRequest)),
        subgraphCpuMsPerRequest: mean(mine.map((r) => r.subgraphCpuMsPerRequest)),
        postgresCpuMsPerRequest: mean(mine.map((r) => r.postgresCpuMsPerRequest)),
        subgraphRequestsPerRequest: mean(mine.map((r) => r.subgraphRequestsPerRequest)),
        sqlStatementsPerRequest: mean(mine.map((r) => r.sqlStatementsPerRequest)),
        loadAverage: Math.max(...mine.map((r) => r.loadAverage)),
        byType,
      },
    ];
  });
}

const fixed = (value: number | undefined, digits = 1) => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const times = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(0)}%` : 'n/a');

export function realTables(summaries: RealSummary[]): string {
  const overall = [
    '| gateway | req/s | vs stock | vs Hive | response-cache hits | errors | peak RSS MB | gateway CPU ms/req | subgraphs CPU ms/req | PostgreSQL CPU ms/req | subgraph calls/req | SQL stmts/req | load avg (max) |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...summaries.map(
      (s) =>
        `| ${GATEWAY_LABELS[s.gateway]} | ${fixed(s.requestsPerSecond)} | ${times(s.vsStock)} | ${times(s.vsHive)} | ${percent(s.cacheHitRate)} | ${s.errors} | ${fixed(s.peakRssMb, 0)} | ${fixed(s.gatewayCpuMsPerRequest, 2)} | ${fixed(s.subgraphCpuMsPerRequest, 2)} | ${fixed(s.postgresCpuMsPerRequest, 2)} | ${fixed(s.subgraphRequestsPerRequest)} | ${fixed(s.sqlStatementsPerRequest)} | ${fixed(s.loadAverage)} |`,
    ),
  ];
  const typed = [
    '| request type | gateway | req/s | vs stock | vs Hive | p50 ms | p99 ms | executed p50 ms | executed p50 vs stock | cache hits |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...REAL_TYPES.flatMap(({ type, label }) =>
      summaries.map((s) => {
        const t = s.byType[type];
        return `| ${label} | ${GATEWAY_LABELS[s.gateway]} | ${fixed(t.requestsPerSecond)} | ${times(t.vsStock)} | ${times(t.vsHive)} | ${fixed(t.p50Ms)} | ${fixed(t.p99Ms)} | ${fixed(t.executedP50Ms)} | ${times(t.executedP50VsStock)} | ${percent(t.hitRate)} |`;
      }),
    ),
  ];
  return `${overall.join('\n')}\n\n${typed.join('\n')}`;
}
