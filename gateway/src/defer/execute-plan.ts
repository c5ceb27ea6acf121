import type { Operation } from '@apollo/federation-internals';
import { evaluateCondition, type DeferredNode, type PlanNode, type ResponsePath } from '@apollo/query-planner';
import { GraphQLError } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { runFetch, typeMatches, type Entity, type FetchRun } from './fetch';
import { isObject, type Json, type JsonObject } from './shape';

/** One request's plan execution: the raw data every fetch adds to (primary and deferred alike). */
export interface PlanRun extends FetchRun {
  readonly operation: Operation;
  readonly data: JsonObject;
}

/** What running a (sub-)plan gave: its errors, and the deferred sub-plans it reached (to run once it is done). */
export interface Ran {
  errors: GraphQLError[];
  deferred: DeferredNode[];
}

/** The objects at a plan path (`@` for each item of a list, `... on T` for a type) below each entity. */
export function moveInto(schema: GraphQLSchema, entities: readonly Entity[], path: ResponsePath): Entity[] {
  let current: { value: Json | undefined; path: ResponsePath }[] = entities.map((e) => ({ value: e.value, path: e.path }));
  for (const segment of path) {
    const next: typeof current = [];
    for (const { value, path: at } of current) {
      if (segment === '@') {
        if (Array.isArray(value)) value.forEach((item, i) => next.push({ value: item, path: [...at, i] }));
      } else if (typeof segment === 'string' && segment.startsWith('... on ')) {
        if (isObject(value) && typeMatches(schema, segment.slice(7), value.__typename)) next.push({ value, path: at });
      } else if (isObject(value)) {
        next.push({ value: value[segment], path: [...at, segment] });
      }
    }
    current = next;
  }
  return current.flatMap((c) => (isObject(c.value) ? [{ value: c.value, path: c.path }] : []));
}

async function runNode(run: PlanRun, node: PlanNode, entities: readonly Entity[], ran: Ran): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runNode(run, child, entities, ran);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runNode(run, child, entities, ran)));
      return;
    case 'Flatten':
      return runNode(run, node.node, moveInto(run.schema, entities, node.path), ran);
    case 'Fetch':
      try {
        ran.errors.push(...(await runFetch(run, node, entities)));
      } catch (error) {
        // A data source turns subgraph failures into errors; anything thrown here is the gateway's own fault.
        ran.errors.push(
          new GraphQLError(`Fetch from ${node.serviceName} failed: ${(error as Error).message}`, {
            extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: node.serviceName },
          }),
        );
      }
      return;
    case 'Condition': {
      const branch = evaluateCondition(node, run.operation.variableDefinitions, run.request.request.variables) ? node.ifClause : node.elseClause;
      if (branch) await runNode(run, branch, entities, ran);
      return;
    }
    case 'Defer':
      // The primary part of a Defer belongs to the part being run; its deferred parts come later.
      if (node.primary.node) await runNode(run, node.primary.node, entities, ran);
      ran.deferred.push(...node.deferred);
      return;
  }
}

/** Runs a (sub-)plan from the root of the answer: deferred sub-plans' Flatten paths start at the root too. */
export async function runPlan(run: PlanRun, node: PlanNode | undefined): Promise<Ran> {
  const ran: Ran = { errors: [], deferred: [] };
  if (node) await runNode(run, node, [{ value: run.data, path: [] }], ran);
  return ran;
}

/** The concrete places a deferred fragment's query path reaches in the answer (one per item of each list on the way). */
export function placesOf(schema: GraphQLSchema, data: JsonObject, queryPath: readonly string[]): Entity[] {
  const expand = (entries: { value: Json | undefined; path: ResponsePath }[]) =>
    entries.flatMap((e): { value: Json | undefined; path: ResponsePath }[] =>
      Array.isArray(e.value) ? expand(e.value.map((item, i) => ({ value: item, path: [...e.path, i] }))) : [e],
    );
  let current = [{ value: data as Json | undefined, path: [] as ResponsePath }];
  for (const segment of queryPath) {
    current = expand(current).flatMap((e) => {
      if (!isObject(e.value)) return [];
      if (segment.startsWith('... on ')) return typeMatches(schema, segment.slice(7), e.value.__typename) ? [e] : [];
      return [{ value: e.value[segment], path: [...e.path, segment] }];
    });
  }
  return expand(current).flatMap((c) => (isObject(c.value) ? [{ value: c.value, path: c.path }] : []));
}
