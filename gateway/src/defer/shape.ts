import {
  isAbstractType,
  isObjectType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { deferActive } from './directive';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What shaping needs: the API schema (for type conditions on abstract types), the variables (for @skip/@include). */
export interface ShapeContext {
  readonly schema: GraphQLSchema;
  readonly variables: Record<string, unknown> | undefined;
  readonly fragments?: ReadonlyMap<string, FragmentDefinitionNode>;
}

/** The planner prints each part's selection as `{ … }`: a shorthand query, parsed as one. */
export function parseSelection(subselection: string): SelectionSetNode {
  const operation = parse(subselection, { noLocation: true }).definitions[0] as OperationDefinitionNode;
  return operation.selectionSet;
}

/** Deep merge of b into a (objects key by key, lists item by item): parts fetched from several subgraphs. */
export function deepMerge(a: Json, b: Json): Json {
  if (Array.isArray(a) && Array.isArray(b)) return a.map((item, i) => (i < b.length ? deepMerge(item, b[i]!) : item));
  if (!isObject(a) || !isObject(b)) return b === undefined ? a : b;
  for (const [key, value] of Object.entries(b)) a[key] = key in a ? deepMerge(a[key]!, value) : value;
  return a;
}

function included(selection: SelectionNode, variables: Record<string, unknown> | undefined, skipDeferred: boolean): boolean {
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name === 'defer' && skipDeferred && deferActive(directive, variables)) return false;
    if (name !== 'skip' && name !== 'include') continue;
    const value = directive.arguments?.find((a) => a.name.value === 'if')?.value;
    const on = value?.kind === Kind.BOOLEAN ? value.value : value?.kind === Kind.VARIABLE ? variables?.[value.name.value] === true : false;
    if (name === 'skip' ? on : !on) return false;
  }
  return true;
}

/** Whether an object of type `typename` is in `condition` (itself, or an interface or union holding it). */
function applies(schema: GraphQLSchema, condition: string | undefined, typename: Json | undefined): boolean {
  if (!condition || typeof typename !== 'string' || condition === typename) return true;
  const abstract = schema.getType(condition);
  const object = schema.getType(typename);
  return !!abstract && isAbstractType(abstract) && isObjectType(object) && schema.isSubType(abstract, object);
}

/**
 * The client's answer cut from the raw data the fetches gathered: exactly the fields of `selection`
 * under their response names (the fetches also hold keys and `__typename`s the planner added, and
 * whatever other parts will deliver). A field no fetch filled is null, as in gateway-js.
 * `skipDeferred`: leave out fragments that a later part delivers.
 */
export function shape(context: ShapeContext, selection: SelectionSetNode, raw: Json | undefined, skipDeferred = true): Json {
  if (raw === undefined || raw === null) return null;
  if (Array.isArray(raw)) return raw.map((item) => shape(context, selection, item, skipDeferred));
  if (!isObject(raw)) return raw;
  const out: JsonObject = {};
  collect(context, selection, raw, out, skipDeferred);
  return out;
}

function collect(context: ShapeContext, selection: SelectionSetNode, raw: JsonObject, out: JsonObject, skipDeferred: boolean): void {
  for (const node of selection.selections) {
    if (!included(node, context.variables, skipDeferred)) continue;
    if (node.kind === Kind.FIELD) {
      const key = node.alias?.value ?? node.name.value;
      const value = raw[key] ?? (node.name.value === '__typename' ? raw.__typename : undefined);
      const shaped = node.selectionSet ? shape(context, node.selectionSet, value, skipDeferred) : (value ?? null);
      out[key] = key in out && shaped !== null ? deepMerge(out[key]!, shaped) : shaped;
    } else if (node.kind === Kind.INLINE_FRAGMENT) {
      if (applies(context.schema, node.typeCondition?.name.value, raw.__typename)) collect(context, node.selectionSet, raw, out, skipDeferred);
    } else {
      const fragment = context.fragments?.get(node.name.value);
      if (fragment && applies(context.schema, fragment.typeCondition.name.value, raw.__typename))
        collect(context, fragment.selectionSet, raw, out, skipDeferred);
    }
  }
}
