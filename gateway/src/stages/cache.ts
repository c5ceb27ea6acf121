import type { Caller } from '@kopdes/kit';
import type { GatewayMetrics } from '../metrics';
import type { GraphQLHttpRequest, Outcome, Parsed, Stage } from '../pipeline';
import { QUERY_PLAN_HEADER, wantsQueryPlan } from '../query-plan';
import { ResponseCache, type CachedAnswer } from '../response-cache';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Apollo treats an absent, null or empty `variables`/`extensions` alike; anything else is keyed as sent. */
const normal = (value: unknown) => (value === undefined || value === null || (isRecord(value) && Object.keys(value).length === 0) ? undefined : value);

/**
 * The response cache's key for a single JSON operation, per class of caller (role, and ministry
 * for officers: all that decides what a caller may see); none for batches and GETs. Every input
 * Apollo's verdict depends on is in the key (the `accept` header as sent: it picks the content
 * type, or a 406), so a request is answered from the cache only if the same request was answered
 * 200 by execution; the request's shape and CSRF are checked before (`read`).
 */
export function cacheKey(caller: Caller, request: GraphQLHttpRequest): string | undefined {
  const { body } = request;
  if (request.method !== 'POST' || !isRecord(body)) return undefined;
  // A query plan's fetch timings are this execution's: never served from, or kept in, the cache.
  if (wantsQueryPlan(caller, request.headers.get(QUERY_PLAN_HEADER))) return undefined;
  return ResponseCache.key({
    role: caller.role,
    ministry: caller.role === 'officer' ? caller.ministry : undefined,
    accept: request.headers.get('accept')?.trim() ?? '',
    query: body.query ?? null,
    operationName: body.operationName ?? null,
    extensions: normal(body.extensions),
    variables: normal(body.variables),
  });
}

/** Whether an answer may be reused: every operation a query, no error, HTTP 200, and nothing a stage marked uncacheable. */
export function reusable(outcome: Outcome): boolean {
  const execution = outcome.execution;
  if (!execution || outcome.answer.status !== 200 || typeof outcome.answer.body !== 'string') return false;
  return (
    !execution.uncacheable &&
    execution.kinds.length > 0 &&
    execution.kinds.every((k) => k === 'query') &&
    execution.errors === 0 &&
    !outcome.answer.body.includes('"errors":')
  );
}

const fromCache = (answer: CachedAnswer, cache: 'hit' | 'shared'): Outcome => ({
  answer: { status: answer.status, headers: { ...answer.headers, 'x-cache': cache }, body: answer.body },
  operations: answer.operations,
  errors: 0,
  subgraphErrors: [],
  cache,
});

const marked = (outcome: Outcome, cache: 'miss', stored: boolean): Outcome => ({
  ...outcome,
  answer: { ...outcome.answer, headers: { ...outcome.answer.headers, 'x-cache': cache } },
  cache,
  stored,
});

/**
 * `cache`: answers a read-only operation from the response cache, or joins an identical request in
 * flight, or runs it and keeps a reusable answer with the subgraphs it read. Every execution's
 * writes invalidate what was read from the subgraphs written (batches and GETs too).
 * `Cache-Control: no-cache` executes, unshared; its answer replaces the cached one.
 */
export function responseCache(cache: ResponseCache, metrics: Pick<GatewayMetrics, 'responseCache'>): Stage<Parsed, Parsed> {
  const run = async (state: Parsed, next: (state: Parsed) => Promise<Outcome>): Promise<Outcome> => {
    const outcome = await next(state);
    for (const subgraph of outcome.execution?.subgraphsWritten ?? []) cache.invalidate(subgraph);
    return outcome;
  };
  return async (state, next) => {
    const key = cache.enabled ? cacheKey(state.caller, state.request) : undefined;
    if (!key) return run(state, next);
    const fresh = /\bno-cache\b/.test(state.request.headers.get('cache-control') ?? '');
    const hit = fresh ? undefined : cache.get(key);
    if (hit) {
      metrics.responseCache.inc({ outcome: 'hit' });
      return fromCache(hit, 'hit');
    }
    const snapshot = cache.snapshot();
    let executed: Outcome | undefined;
    const execute = async () => {
      executed = await run(state, next);
      const cacheable = reusable(executed);
      const answer: CachedAnswer = {
        status: executed.answer.status,
        headers: { ...executed.answer.headers },
        body: String(executed.answer.body),
        operations: [...executed.operations],
      };
      const stored = cacheable && cache.set(key, answer, executed.execution?.subgraphsRead ?? [], snapshot);
      executed = marked(executed, 'miss', stored);
      return { answer, cacheable };
    };
    if (fresh) {
      await execute();
    } else {
      const { answer, from } = await cache.shared(key, snapshot, execute);
      if (from === 'shared') {
        metrics.responseCache.inc({ outcome: 'shared' });
        return fromCache(answer, 'shared');
      }
    }
    metrics.responseCache.inc({ outcome: 'miss' });
    return executed!;
  };
}
