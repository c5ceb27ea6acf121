import { MetricsRegistry } from '@kopdes/kit';

/** What the gateway exposes at GET /metrics (Prometheus text). */
type Size = () => { entries: number; bytes: number };
const none: Size = () => ({ entries: 0, bytes: 0 });

export function gatewayMetrics(
  cacheSize: Size = none,
  entityCacheSize: Size = none,
  budgetLoad: () => { used: number; waiting: number } = () => ({ used: 0, waiting: 0 }),
) {
  const registry = new MetricsRegistry().processMetrics();
  return {
    registry,
    requests: registry.counter({
      name: 'kopdes_gateway_requests_total',
      help: 'GraphQL HTTP requests, by operation name and HTTP status.',
      labelNames: ['operation', 'status'],
    }),
    errors: registry.counter({
      name: 'kopdes_gateway_errors_total',
      help: 'Errors returned to clients, by code (a partial answer counts its errors).',
      labelNames: ['code'],
    }),
    duration: registry.histogram({
      name: 'kopdes_gateway_request_duration_seconds',
      help: 'GraphQL HTTP request duration, by operation name.',
      labelNames: ['operation'],
    }),
    subgraphFetch: registry.histogram({
      name: 'kopdes_gateway_subgraph_fetch_duration_seconds',
      help: 'Subgraph fetch duration, by subgraph and outcome (ok, error).',
      labelNames: ['subgraph', 'outcome'],
    }),
    subgraphErrors: registry.counter({
      name: 'kopdes_gateway_subgraph_errors_total',
      help: 'Failed subgraph fetches, by subgraph and code (SUBGRAPH_TIMEOUT, SUBGRAPH_UNAVAILABLE, SUBGRAPH_ERROR).',
      labelNames: ['subgraph', 'code'],
    }),
    rateLimited: registry.counter({ name: 'kopdes_gateway_rate_limited_total', help: 'Requests refused with 429 by the per-client rate limit.' }),
    inFlight: registry.gauge({ name: 'kopdes_gateway_in_flight_requests', help: 'GraphQL requests being served.' }),
    responseCache: registry.counter({
      name: 'kopdes_gateway_response_cache_total',
      help: 'Cacheable requests by outcome: hit (answered from the cache), shared (joined an identical request in flight), miss (executed).',
      labelNames: ['outcome'],
    }),
    responseCacheBytes: registry.gauge({
      name: 'kopdes_gateway_response_cache_bytes',
      help: 'Bytes of answers held by the response cache.',
      collect: (g) => g.set(cacheSize().bytes),
    }),
    subgraphMerge: registry.counter({
      name: 'kopdes_gateway_subgraph_fetch_merge_total',
      help: 'Shareable subgraph reads by outcome: executed (sent to the subgraph), merged (answered by an identical fetch in flight, same caller class).',
      labelNames: ['subgraph', 'outcome'],
    }),
    entityBatch: registry.histogram({
      name: 'kopdes_gateway_entity_batch_requests',
      help: 'Requests whose _entities reads one subgraph request carried (1: sent alone), by subgraph.',
      labelNames: ['subgraph'],
      buckets: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32],
    }),
    entityCache: registry.counter({
      name: 'kopdes_gateway_entity_cache_total',
      help: 'Entities asked for by _entities fetches, by subgraph and outcome: hit (from the entity cache), miss (asked of the subgraph).',
      labelNames: ['subgraph', 'outcome'],
    }),
    entityCacheEvictions: registry.counter({
      name: 'kopdes_gateway_entity_cache_evictions_total',
      help: 'Entities dropped by the entity cache to stay within ENTITY_CACHE_MAX_MB.',
    }),
    entityCacheBytes: registry.gauge({
      name: 'kopdes_gateway_entity_cache_bytes',
      help: 'Approximate bytes held by the entity cache (keys and JSON).',
      collect: (g) => g.set(entityCacheSize().bytes),
    }),
    budgetWaiting: registry.gauge({
      name: 'kopdes_gateway_execution_budget_waiting',
      help: 'Costly operations waiting for room in EXECUTION_COST_BUDGET.',
      collect: (g) => g.set(budgetLoad().waiting),
    }),
    budgetUsed: registry.gauge({
      name: 'kopdes_gateway_execution_budget_used',
      help: 'Estimated cost of the costly operations executing now (of EXECUTION_COST_BUDGET).',
      collect: (g) => g.set(budgetLoad().used),
    }),
    reloads: registry.counter({
      name: 'kopdes_gateway_supergraph_reloads_total',
      help: 'Supergraph file changes, by outcome (applied, rejected).',
      labelNames: ['outcome'],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
