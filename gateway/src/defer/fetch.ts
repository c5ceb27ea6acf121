import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { FetchDataRewrite, FetchNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { GraphQLError, isAbstractType, isObjectType, type GraphQLSchema } from 'graphql';
import type { FetchContext } from '../subgraph-source';
import { deepMerge, isObject, type Json, type JsonObject } from './shape';

type IncomingOperation = Extract<GraphQLDataSourceProcessOptions<FetchContext>, { incomingRequestContext: unknown }>;
/** gateway-js's request kind for a client's operation (its enum is not exported). */
const INCOMING_OPERATION = 'incoming operation' as IncomingOperation['kind'];

export type ResponsePath = (string | number)[];

/** An object of the answer a fetch adds to, with where it sits in the answer (for error paths). */
export interface Entity {
  readonly value: JsonObject;
  readonly path: ResponsePath;
}

/** What every fetch of one request shares. */
export interface FetchRun {
  /** The gateway's own data sources by subgraph name: their fetch stages sign the caller, record access and declare personal fields. */
  readonly sources: ReadonlyMap<string, GraphQLDataSource<FetchContext>>;
  readonly request: GatewayGraphQLRequestContext<FetchContext>;
  /** The supergraph's types, for the type conditions of entity representations. */
  readonly schema: GraphQLSchema;
}

/** Whether an object of `typename` is in `condition`; an object without `__typename` is taken to be (its field's type decided it). */
export const typeMatches = (schema: GraphQLSchema, condition: string | undefined, typename: Json | undefined): boolean => {
  if (!condition || typename === undefined || condition === typename) return true;
  const abstract = schema.getType(condition);
  const object = typeof typename === 'string' ? schema.getType(typename) : undefined;
  return isAbstractType(abstract) && isObjectType(object) && schema.isSubType(abstract, object);
};

/** The representation `requires` asks for (key fields and `__typename`), or null when the object lacks one of them. */
export function represent(schema: GraphQLSchema, value: Json | undefined, requires: readonly QueryPlanSelectionNode[]): Json {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => represent(schema, item, requires));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const selection of requires) {
    if (selection.kind === 'InlineFragment') {
      if (!typeMatches(schema, selection.typeCondition, value.__typename)) continue;
      const part = represent(schema, value, selection.selections);
      if (part === null) return null;
      deepMerge(out, part);
      continue;
    }
    const key = selection.alias ?? selection.name;
    if (value[key] === undefined) return null;
    out[key] = selection.selections ? represent(schema, value[key], selection.selections) : value[key]!;
  }
  return out;
}

/** The planner's data rewrites (renamed keys, set values) along a path of fields and `... on T` conditions. */
export function applyRewrites(schema: GraphQLSchema, rewrites: readonly FetchDataRewrite[] | undefined, value: Json | undefined): void {
  for (const rewrite of rewrites ?? [])
    visitPath(schema, value, rewrite.path, (object, key) => {
      if (rewrite.kind === 'ValueSetter') object[key] = rewrite.setValueTo as Json;
      else if (key in object) {
        object[rewrite.renameKeyTo] = object[key]!;
        delete object[key];
      }
    });
}

function visitPath(schema: GraphQLSchema, value: Json | undefined, path: readonly string[], at: (object: JsonObject, key: string) => void): void {
  if (Array.isArray(value)) return value.forEach((item) => visitPath(schema, item, path, at));
  if (!isObject(value) || path.length === 0) return;
  const [head, ...rest] = path as [string, ...string[]];
  if (head.startsWith('... on ')) {
    if (typeMatches(schema, head.slice(7), value.__typename)) visitPath(schema, value, rest, at);
  } else if (rest.length === 0) at(value, head);
  else visitPath(schema, value[head], rest, at);
}

type SubgraphError = { message?: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> };

/** A subgraph's error as the client sees it: its path in the client's answer, and which subgraph said it (as gateway-js does). */
function clientError(
  error: SubgraphError,
  serviceName: string,
  pathOf: (path: readonly (string | number)[] | undefined) => ResponsePath | undefined,
): GraphQLError {
  return new GraphQLError(error.message || `Error while fetching subquery from service "${serviceName}"`, {
    path: pathOf(error.path),
    extensions: { ...error.extensions, code: error.extensions?.code ?? 'DOWNSTREAM_SERVICE_ERROR', serviceName },
  });
}

/**
 * One Fetch node: sends its operation through the gateway's data source for that subgraph, the
 * entities' representations with it when it needs them, and merges what comes back into the
 * entities. Returns the client-facing errors; a failed fetch leaves its fields unset (null).
 */
export async function runFetch(run: FetchRun, fetch: FetchNode, entities: readonly Entity[]): Promise<GraphQLError[]> {
  const source = run.sources.get(fetch.serviceName);
  if (!source)
    return [
      new GraphQLError(`The query plan names a subgraph this gateway does not know: "${fetch.serviceName}".`, {
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
    ];
  if (entities.length === 0) return [];
  const given = run.request.request.variables ?? {};
  const variables: Record<string, unknown> = {};
  for (const name of fetch.variableUsages ?? []) if (given[name] !== undefined) variables[name] = given[name];

  let targets = entities;
  if (fetch.requires) {
    const represented = entities.map((entity) => ({ entity, representation: represent(run.schema, entity.value, fetch.requires!) }));
    const kept = represented.filter((r) => isObject(r.representation) && r.representation.__typename !== undefined);
    if (kept.length === 0) return [];
    for (const { representation } of kept) applyRewrites(run.schema, fetch.inputRewrites, representation);
    variables.representations = kept.map((r) => r.representation);
    targets = kept.map((r) => r.entity);
  }
  const response = await source.process({
    kind: INCOMING_OPERATION,
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: run.request,
    context: run.request.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: targets[0]?.path,
  });
  const pathOf = (path: readonly (string | number)[] | undefined): ResponsePath | undefined => {
    if (!path) return undefined;
    if (fetch.requires && path[0] === '_entities' && typeof path[1] === 'number') return [...(targets[path[1]]?.path ?? []), ...path.slice(2)];
    return [...(targets[0]?.path ?? []), ...path];
  };
  const errors = (response.errors ?? []).map((error) => clientError(error as SubgraphError, fetch.serviceName, pathOf));
  const data = response.data as JsonObject | null | undefined;
  if (!data) return errors;
  if (!fetch.requires) {
    applyRewrites(run.schema, fetch.outputRewrites, data);
    for (const target of targets) deepMerge(target.value, data);
    return errors;
  }
  const received = data._entities;
  if (!Array.isArray(received) || received.length !== targets.length) {
    return [
      ...errors,
      new GraphQLError(
        `The ${fetch.serviceName} subgraph answered ${Array.isArray(received) ? received.length : 'no'} entities for ${targets.length} representations.`,
        { extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: fetch.serviceName } },
      ),
    ];
  }
  received.forEach((entity, i) => {
    if (!isObject(entity)) return;
    entity.__typename ??= targets[i]!.value.__typename!;
    applyRewrites(run.schema, fetch.outputRewrites, entity);
    deepMerge(targets[i]!.value, entity);
  });
  return errors;
}
