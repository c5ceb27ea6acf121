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
 * are issued in the same turn of the event loop are sent as one fetch with all their representations
 * (each distinct one once), and each request gets its own entities back in its own order, with error paths
 * renumbered. Under load, many requests reach the same step of their query plans in the same turn (their
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
  // Each distinct representation once; `slots[m][i]` is where member m's i-th representation is in the batch.
  const position = new Map<string, number>();
  const representations: unknown[] = [];
  const slots = members.map((m) =>
    m.representations.map((r) => {
      const text = JSON.stringify(r);
      let at = position.get(text);
      if (at === undefined) {
        at = representations.length;
        position.set(text, at);
        representations.push(r);
      }
      return at;
    }),
  );
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
  // The entity objects themselves go to the first request that asked for them; another request asking for the same one gets a copy.
  const taken = new Set<number>();
  members.forEach((m, index) => m.resolve(share(response, slots[index]!, index === 0, taken)));
}

/**
 * One member's part of a batched answer: its entities in its order, and the errors about its entities
 * with their paths in its numbering, plus any error not about one entity. The executor merges into the
 * objects it gets, so no two requests hold the same one: an entity not yet `taken` by an earlier request
 * (or earlier in this one) is handed over as it is, any other is a copy; the rest of the answer is the
 * first request's, and copied for the others. Requests for different regions share no entity, and copy
 * nothing.
 */
function share(response: SubgraphResponse, slots: number[], first: boolean, taken: Set<number>): SubgraphResponse {
  const own = <T>(value: T): T => (first || value == null ? value : structuredClone(value));
  const entities = (response.data as { _entities?: unknown } | null | undefined)?._entities;
  const data = Array.isArray(entities)
    ? {
        ...response.data,
        _entities: slots.map((at) => {
          if (taken.has(at)) return structuredClone(entities[at] as unknown);
          taken.add(at);
          return entities[at] as unknown;
        }),
      }
    : own(response.data);
  const numbering = new Map<number, number[]>();
  slots.forEach((at, i) => numbering.set(at, [...(numbering.get(at) ?? []), i]));
  const errors = response.errors?.flatMap((error) => {
    const path = error.path;
    if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return [own(error)];
    return (numbering.get(path[1]) ?? []).map((i) => ({ ...own(error), path: ['_entities', i, ...path.slice(2)] }));
  });
  const { errors: _all, ...rest } = response;
  return { ...rest, data, extensions: own(response.extensions), ...(errors?.length ? { errors } : {}) };
}
