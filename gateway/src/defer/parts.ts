import type { DeferredNode } from '@apollo/query-planner';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { placesOf, runPlan, type PlanRun, type Ran } from './execute-plan';
import type { ResponsePath } from './fetch';
import { parseSelection, shape, type Json, type ShapeContext } from './shape';

/** One deferred fragment's data at one place in the answer (deferSpec=20220824). */
export interface IncrementalItem {
  data: Json;
  path: ResponsePath;
  label?: string;
  errors?: GraphQLFormattedError[];
}

/** A later part of a multipart answer. */
export interface SubsequentPayload {
  incremental: IncrementalItem[];
  /** Errors of a deferred fragment that reached no place in the answer (its parent was null). */
  errors?: GraphQLFormattedError[];
  hasNext: boolean;
}

export interface PartsDeps {
  readonly run: PlanRun;
  readonly shape: ShapeContext;
  /** Labels the client wrote (the planner's own `qp__…` labels are not shown). */
  readonly labels: ReadonlySet<string>;
  /** Client-facing errors: masked and counted like the first part's. */
  readonly format: (errors: readonly GraphQLError[]) => GraphQLFormattedError[];
}

/** A deferred fragment's selection: its own, or (when it defers more inside) its Defer node's primary one. */
function selectionOf(node: DeferredNode): string | undefined {
  return node.subselection ?? (node.node?.kind === 'Defer' ? node.node.primary.subselection : undefined);
}

const within = (prefix: ResponsePath, path: readonly (string | number)[] | undefined) => !!path && prefix.every((p, i) => path[i] === p);

/** Runs one deferred sub-plan and cuts its payload from the answer at every place its fragment reaches. */
async function deliver(deps: PartsDeps, node: DeferredNode): Promise<{ payload: Omit<SubsequentPayload, 'hasNext'>; more: DeferredNode[] }> {
  const ran: Ran = await runPlan(deps.run, node.node);
  const text = selectionOf(node);
  const selection = text ? parseSelection(text) : undefined;
  const label = node.label && deps.labels.has(node.label) ? node.label : undefined;
  const places = placesOf(deps.run.schema, deps.run.data, node.queryPath);
  const errors = deps.format(ran.errors);
  const placed = new Set<GraphQLFormattedError>();
  const incremental = places.map((place): IncrementalItem => {
    const mine = errors.filter((e) => !placed.has(e) && within(place.path, e.path));
    mine.forEach((e) => placed.add(e));
    return {
      data: selection ? shape(deps.shape, selection, place.value) : {},
      path: place.path,
      ...(label ? { label } : {}),
      ...(mine.length ? { errors: mine } : {}),
    };
  });
  const rest = errors.filter((e) => !placed.has(e));
  if (rest.length && incremental[0]) incremental[0].errors = [...(incremental[0].errors ?? []), ...rest];
  return { payload: { incremental, ...(rest.length && !incremental[0] ? { errors: rest } : {}) }, more: ran.deferred };
}

/**
 * The later parts, in the order their sub-plans finish (not the order written: a slow ministry
 * holds back only its own fragment). Every sub-plan starts now, before the first part is even
 * sent; a sub-plan that defers more starts those once it is done (they need its data).
 */
export function deferredParts(deps: PartsDeps, first: readonly DeferredNode[]): AsyncIterable<SubsequentPayload> {
  type Delivered = Awaited<ReturnType<typeof deliver>>;
  const pending = new Map<number, Promise<[number, Delivered]>>();
  let next = 0;
  const start = (node: DeferredNode) => {
    const id = next++;
    const failed = (error: unknown): Delivered => ({
      payload: {
        incremental: [],
        errors: deps.format([new GraphQLError(`Deferred fragment failed: ${(error as Error).message}`, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })]),
      },
      more: [],
    });
    pending.set(
      id,
      deliver(deps, node)
        .catch(failed)
        .then((delivered) => [id, delivered] as [number, Delivered]),
    );
  };
  first.forEach(start);
  return {
    async *[Symbol.asyncIterator]() {
      while (pending.size > 0) {
        const [id, delivered] = await Promise.race(pending.values());
        pending.delete(id);
        delivered.more.forEach(start);
        // Empty parts (a fragment whose parent was null everywhere) still end the stream when last.
        if (delivered.payload.incremental.length === 0 && !delivered.payload.errors && pending.size > 0) continue;
        yield { ...delivered.payload, hasNext: pending.size > 0 };
      }
    },
  };
}
