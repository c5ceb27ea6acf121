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

interface Flight {
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
  const flights = new Map<string, Flight>();
  return async (fetch, next) => {
    if (!shareable(fetch)) return next(fetch);
    const { request } = fetch.options;
    const key = `${fetch.subgraph}\u0000${callerClass(fetch)}\u0000${request.operationName ?? ''}\u0000${request.query ?? ''}\u0000${JSON.stringify(request.variables ?? null)}`;
    const running = flights.get(key);
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
      followers: 0,
      answer: new Promise((resolve) => {
        settle = resolve;
      }),
    };
    flights.set(key, mine);
    counters.executed(fetch.subgraph);
    try {
      const response = await next(fetch);
      // Late joiners now start their own fetch; the copies are made before this request's executor touches the answer.
      flights.delete(key);
      settle({ copies: personal(response) ? undefined : Array.from({ length: mine.followers }, () => copyOf(response)) });
      return response;
    } catch (error) {
      settle({ error });
      throw error;
    } finally {
      if (flights.get(key) === mine) flights.delete(key);
    }
  };
}
