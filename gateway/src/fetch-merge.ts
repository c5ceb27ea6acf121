import { PERSONAL_DATA_HEADER } from '@kopdes/kit';
import type { FetchStage, SubgraphFetch, SubgraphResponse } from './fetch-stages';

/**
 * The caller class of a fetch: everything besides the query that decides what a subgraph shows a
 * caller (role, ministry, purpose of use). The subject is left out on purpose: subgraphs only read
 * it for personal data and writes, and neither is ever merged or cached. Undefined: no caller
 * (Apollo's own health and schema fetches), never shared.
 */
export function callerClass(fetch: SubgraphFetch): string | undefined {
  const caller = fetch.options.context?.caller;
  if (!caller) return undefined;
  return `${caller.role}\u0000${caller.ministry ?? ''}\u0000${caller.purpose ?? ''}`;
}

/**
 * Whether a fetch's answer may be given to another request: a read, by a known caller, whose
 * operation selects no personal field (each personal read goes on record once per request, so each
 * request must reach the subgraph itself).
 */
export function shareable(fetch: SubgraphFetch): boolean {
  return !fetch.write && callerClass(fetch) !== undefined && !fetch.options.context?.execution?.personalFields?.size;
}

/** An answer a subgraph flagged as holding personal data, which is never handed to another request. */
export const personal = (response: SubgraphResponse): boolean => Boolean(response.http?.headers.get(PERSONAL_DATA_HEADER));

/**
 * A copy of an answer for another request: the executor merges later fetches into the objects it
 * receives, so two requests never hold the same objects. The HTTP part is only read, and shared.
 */
export function copyOf(response: SubgraphResponse): SubgraphResponse {
  return {
    ...response,
    data: response.data == null ? response.data : structuredClone(response.data),
    errors: response.errors && structuredClone(response.errors),
    extensions: response.extensions && structuredClone(response.extensions),
  };
}

export interface MergeCounters {
  /** One fetch sent to a subgraph (alone, or leading identical ones). */
  executed(subgraph: string): void;
  /** One fetch answered by an identical fetch already in flight. */
  merged(subgraph: string): void;
}

/**
 * Whether two variables' values are the same JSON (key order aside), leaving at the first
 * difference: comparing a fetch with those in flight costs a few property reads, where a key
 * serialised each fetch's variables (a page's `_entities` carries a hundred representations).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

interface Flight {
  /** The fetch's variables, compared with each later fetch of the same operation. */
  variables: unknown;
  /** Requests waiting on this fetch, each to get its own copy of the answer. */
  followers: number;
  /** A copy per follower; none when the answer was personal; or the failure, which is the same for all. */
  answer: Promise<{ copies?: SubgraphResponse[]; error?: unknown }>;
}

/**
 * Merges identical subgraph fetches in flight at the same time (what Hive Gateway does by default):
 * a read that matches one already sent waits for its answer instead of sending its own. Identical
 * means the same subgraph, query, variables and caller class, so no answer crosses callers who may
 * see different data; writes and personal reads are never merged, and an answer the subgraph flags
 * as personal is not passed on (each waiting request then sends its own fetch). A failure is passed
 * on: it holds no data, and a subgraph that is down is not asked again by each waiting request.
 */
export function mergeInFlight(counters: MergeCounters): FetchStage {
  // In-flight fetches by subgraph, caller class and operation; the variables tell them apart.
  const flights = new Map<string, Flight[]>();
  return async (fetch, next) => {
    if (!shareable(fetch)) return next(fetch);
    const { request } = fetch.options;
    const key = `${fetch.subgraph}\u0000${callerClass(fetch)}\u0000${request.operationName ?? ''}\u0000${request.query ?? ''}`;
    const variables = request.variables ?? null;
    const running = flights.get(key)?.find((flight) => sameJson(flight.variables, variables));
    if (running) {
      const index = running.followers;
      running.followers += 1;
      const { copies, error } = await running.answer;
      const copy = copies?.[index];
      if (copy || error) counters.merged(fetch.subgraph);
      if (copy) return copy;
      // A subgraph that failed (or timed out) for one caller is not asked again for each waiting one.
      if (error) throw error;
      // A personal answer: this request asks on its own (and goes on record).
      counters.executed(fetch.subgraph);
      return next(fetch);
    }
    let settle!: (outcome: { copies?: SubgraphResponse[]; error?: unknown }) => void;
    const mine: Flight = {
      variables,
      followers: 0,
      answer: new Promise((resolve) => {
        settle = resolve;
      }),
    };
    const sameOperation = flights.get(key);
    if (sameOperation) sameOperation.push(mine);
    else flights.set(key, [mine]);
    // Once answered (or failed), later fetches start their own.
    const land = () => {
      const list = flights.get(key);
      const at = list?.indexOf(mine) ?? -1;
      if (at < 0) return;
      if (list!.length === 1) flights.delete(key);
      else list!.splice(at, 1);
    };
    counters.executed(fetch.subgraph);
    try {
      const response = await next(fetch);
      // The copies are made before this request's executor touches the answer.
      land();
      settle({ copies: personal(response) ? undefined : Array.from({ length: mine.followers }, () => copyOf(response)) });
      return response;
    } catch (error) {
      land();
      settle({ error });
      throw error;
    }
  };
}
