import { describe, expect, it } from 'vitest';
import { sampleValue } from '@kopdes/kit';
import { gatewayMetrics } from '../src/metrics';

/** The names, types and labels dashboards and alerts (scripts/deploy/monitoring.ts) read: kept through the move to prom-client. */
const SERIES: [name: string, type: string][] = [
  ['kopdes_gateway_requests_total', 'counter'],
  ['kopdes_gateway_errors_total', 'counter'],
  ['kopdes_gateway_request_duration_seconds', 'histogram'],
  ['kopdes_gateway_subgraph_fetch_duration_seconds', 'histogram'],
  ['kopdes_gateway_subgraph_errors_total', 'counter'],
  ['kopdes_gateway_rate_limited_total', 'counter'],
  ['kopdes_gateway_in_flight_requests', 'gauge'],
  ['kopdes_gateway_response_cache_total', 'counter'],
  ['kopdes_gateway_response_cache_bytes', 'gauge'],
  ['kopdes_gateway_supergraph_reloads_total', 'counter'],
  ['process_resident_memory_bytes', 'gauge'],
  ['process_cpu_seconds_total', 'gauge'],
  ['nodejs_heap_used_bytes', 'gauge'],
  ['nodejs_eventloop_delay_seconds', 'gauge'],
];

describe('gateway metrics (prom-client registry)', () => {
  it('serves every series under its old name and type, with the labels the alerts group by', async () => {
    const metrics = gatewayMetrics(() => ({ entries: 2, bytes: 4096 }));
    metrics.requests.inc({ operation: 'Cross', status: '200' });
    metrics.requests.inc({ operation: 'Cross', status: '200' });
    metrics.duration.observe(0.05, { operation: 'Cross' });
    const stop = metrics.subgraphFetch.startTimer({ subgraph: 'financing' });
    stop({ outcome: 'error' });
    metrics.subgraphErrors.inc({ subgraph: 'financing', code: 'SUBGRAPH_TIMEOUT' });
    metrics.inFlight.inc();
    metrics.rateLimited.inc();
    const text = await metrics.registry.render();
    for (const [name, type] of SERIES) expect(text, name).toContain(`# TYPE ${name} ${type}\n`);
    expect(sampleValue(text, 'kopdes_gateway_requests_total', { operation: 'Cross', status: '200' })).toBe(2);
    expect(sampleValue(text, 'kopdes_gateway_request_duration_seconds_bucket', { operation: 'Cross', le: '0.05' })).toBe(1);
    expect(sampleValue(text, 'kopdes_gateway_request_duration_seconds_bucket', { operation: 'Cross', le: '0.025' })).toBe(0);
    expect(sampleValue(text, 'kopdes_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'financing', outcome: 'error' })).toBe(1);
    expect(sampleValue(text, 'kopdes_gateway_subgraph_errors_total', { subgraph: 'financing', code: 'SUBGRAPH_TIMEOUT' })).toBe(1);
    expect(text).toMatch(/^kopdes_gateway_rate_limited_total 1$/m);
    expect(sampleValue(text, 'kopdes_gateway_response_cache_bytes')).toBe(4096);
    expect(await metrics.inFlight.get()).toBe(1);
  });

  it('keeps each registry apart: two gateways in one process do not clash on names', async () => {
    const a = gatewayMetrics();
    const b = gatewayMetrics();
    a.reloads.inc({ outcome: 'applied' });
    expect(sampleValue(await a.registry.render(), 'kopdes_gateway_supergraph_reloads_total', { outcome: 'applied' })).toBe(1);
    expect(sampleValue(await b.registry.render(), 'kopdes_gateway_supergraph_reloads_total', { outcome: 'applied' })).toBeUndefined();
  });
});
