import type { GatewayConfig } from './config';
import { EntityCache } from './entity-cache';
import { ExecutionBudget } from './execution-budget';
import { gatewayMetrics, type GatewayMetrics } from './metrics';
import { ResponseCache } from './response-cache';

/** The gateway's shared state across requests: the two caches, the execution budget, and the metrics that watch them. */
export interface GatewayCaches {
  cache: ResponseCache;
  entities: EntityCache;
  executionBudget: ExecutionBudget;
  metrics: GatewayMetrics;
}

export function createCaches(config: GatewayConfig): GatewayCaches {
  const cache = new ResponseCache(config.responseCache, config.entityCache.enabled);
  const executionBudget = new ExecutionBudget(config.executionBudget.budget, config.executionBudget.minCost, config.executionBudget);
  const metrics = gatewayMetrics(
    () => cache.size(),
    () => entities.size(),
    () => executionBudget.load(),
  );
  // Declared after the metrics that read its size (only at scrape time) and that it counts into.
  const entities = new EntityCache(
    config.entityCache,
    {
      hit: (subgraph, n) => metrics.entityCache.inc({ subgraph, outcome: 'hit' }, n),
      miss: (subgraph, n) => metrics.entityCache.inc({ subgraph, outcome: 'miss' }, n),
      evicted: () => metrics.entityCacheEvictions.inc(),
    },
    () => cache.trusted,
  );
  // Writes seen by the response cache (through this gateway, or announced by another replica) drop entities too.
  cache.onInvalidate((subgraph) => (subgraph === undefined ? entities.clear() : entities.invalidate(subgraph)));
  return { cache, entities, executionBudget, metrics };
}
