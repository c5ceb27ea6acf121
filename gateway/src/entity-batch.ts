import { entitiesSelectionKey } from './entity-cache';
import { personal, shareable } from './fetch-merge';
import type { FetchStage, SubgraphFetch, SubgraphResponse } from './fetch-stages';

export interface BatchCounters {
  /** One `_entities` fetch sent to a subgraph, asking for the representations of `members` requests' fetches. */
  sent(subgraph: string, members: number): void;
}

interface Member {
  fetch: SubgraphFetch;
  representations: unknown[];
  resolve(response: SubgraphResponse): void;
  reject(error: unknown): void;
}

interface Batch {
  subgraph: string;
  members: Member[];
  /** Representations asked for so far (duplicates included). */
  size: number;
}

/**
 * The most representations one batch asks for: a batch that would grow past it is sent as it is, and
 * the fetch starts another. Ten pages of 100 and a regency export fit; a subgraph's own bounds
 * (request body, variable values) stay far off.
 */
export const MAX_BATCH_REPRESENTATIONS = 2_000;

/**
 * Batches `_entities` fetches of different requests into one subgraph request (DataLoader's idea, across
 * requests): fetches with the same subgraph, selection (query and other variables) and caller class that
 * are issued in the same turn of the event loop are sent as one fetch with all their representations,
 * and each request gets its own entities back in its own order, with error paths renumbered. Under load, many requests reach the same step of their query plans in the same turn (their
 * subgraph answers arrive together), so a subgraph answers one request instead of several: its cost is
 * mostly per request, not per entity. Only what may be shared is batched (reads by a known caller selecting
 * no personal field, fetch-merge.ts's `shareable`); an answer the subgraph flags as personal is not split
 * among requests: each then asks on its own. The batch carries its first request's headers (request id,
 * trace, caller token): the caller class is the same for all, and subgraphs read the subject only for
 * personal data and writes, neither of which is ever batched.
 */
export function batchEntities(counters: BatchCounters): FetchStage {
  const open = new Map<string, Batch>();
  return (fetch, next) => {
    const key = shareable(fetch) ? entitiesSelectionKey(fetch) : undefined;
    if (!key) return next(fetch);
    return new Promise<SubgraphResponse>((resolve, reject) => {
      const member: Member = { fetch, representations: fetch.options.request.variables!.representations as unknown[], resolve, reject };
      const batch = open.get(key);
      if (batch && batch.size + member.representations.length <= MAX_BATCH_REPRESENTATIONS) {
        batch.members.push(member);
        batch.size += member.representations.length;
        return;
      }
      const fresh: Batch = { subgraph: fetch.subgraph, members: [member], size: member.representations.length };
      open.set(key, fresh);
      // After the I/O callbacks of this turn: fetches issued by other requests' answers that arrived together join.
      setImmediate(() => {
        if (open.get(key) === fresh) open.delete(key);
        void send(fresh, next, counters);
      });
    });
  };
}

async function send(batch: Batch, next: (fetch: SubgraphFetch) => Promise<SubgraphResponse>, counters: BatchCounters): Promise<void> {
  const { members } = batch;
  counters.sent(batch.subgraph, members.length);
  if (members.length === 1) {
    const [only] = members;
    return next(only!.fetch).then(only!.resolve, only!.reject);
  }
  // Each member's representations, one after another (a representation two requests ask for is asked twice:
  // the subgraph's loaders fetch it once, and each request gets its own object, so nothing is copied).
  const offsets: number[] = [];
  const representations: unknown[] = [];
  for (const m of members) {
    offsets.push(representations.length);
    representations.push(...m.representations);
  }
  const first = members[0]!.fetch;
  const { request } = first.options;
  const batched: SubgraphFetch = { ...first, options: { ...first.options, request: { ...request, variables: { ...request.variables, representations } } } };
  let response: SubgraphResponse;
  try {
    response = await next(batched);
  } catch (error) {
    // A failure holds no data: every request gets it, as a merged fetch's followers do.
    for (const m of members) m.reject(error);
    return;
  }
  if (personal(response)) {
    // Not split among requests: each asks on its own, and its read goes on record.
    for (const m of members) next(m.fetch).then(m.resolve, m.reject);
    return;
  }
  members.forEach((m, index) => m.resolve(share(response, offsets[index]!, m.representations.length, index === 0)));
}

/**
 * One member's part of a batched answer: its entities (`count` from `offset`), and the errors about them
 * with their paths in its numbering, plus any error not about one entity. Its entities are its own
 * objects; the rest of the answer is the first request's, and copied for the others (the executor
 * merges into what it gets).
 */
function share(response: SubgraphResponse, offset: number, count: number, first: boolean): SubgraphResponse {
  const own = <T>(value: T): T => (first || value == null ? value : structuredClone(value));
  const entities = (response.data as { _entities?: unknown } | null | undefined)?._entities;
  const data = Array.isArray(entities) ? { ...response.data, _entities: entities.slice(offset, offset + count) } : own(response.data);
  const errors = response.errors?.flatMap((error) => {
    const path = error.path;
    if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return [own(error)];
    const at = path[1] - offset;
    return at >= 0 && at < count ? [{ ...own(error), path: ['_entities', at, ...path.slice(2)] }] : [];
  });
  const { errors: _all, ...rest } = response;
  return { ...rest, data, extensions: own(response.extensions), ...(errors?.length ? { errors } : {}) };
}
