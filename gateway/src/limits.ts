import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getNamedType, GraphQLError, isCompositeType, isInterfaceType, isListType, isNonNullType, isObjectType, Kind,
  type ASTVisitor, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField,
  type GraphQLOutputType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext, type ValueNode,
} from 'graphql';
import type { Limits } from './config';

/**
 * Abuse limits. Depth and aliases depend only on the document, so they are validation rules
 * (Apollo Server validates a document once and caches it). Cost and page size also depend on
 * `first` variables, so they are checked when the operation is resolved, cached per document
 * when no variable is involved.
 */

/** A refused query: HTTP 400, a stable code, a message saying the limit and how to stay under it. */
export class LimitError extends GraphQLError {
  constructor(readonly code: string, message: string, limit: Record<string, unknown>) {
    super(message, { extensions: { code, limit, http: { status: 400 } } });
  }
}

/**
 * Expected list lengths where a field takes no `first`: region counts rounded up from the
 * real ones, one cooperative per village, and the synthetic records per cooperative. Lists
 * not named here count DEFAULT_LIST_SIZE.
 */
export const LIST_SIZE_ESTIMATES: Record<string, number> = {
  'Query.provinces': 38,
  'Province.regencies': 20,
  'Regency.districts': 30,
  'District.villages': 30,
  'Regency.villages': 400,
  'Village.cooperatives': 1,
  'Cooperative.board': 9,
  'Cooperative.businessUnits': 5,
  'CooperativeFinancing.loans': 2,
  'CooperativeFinancing.intercepts': 2,
  'Loan.disbursements': 3,
  'Loan.repayments': 12,
  'Loan.intercepts': 2,
  'CooperativeEnergy.solarPlants': 2,
  'CooperativeLabour.trainings': 5,
  'CooperativeLabour.hireRecords': 5,
  'VillageDevelopment.history': 5,
};
export const DEFAULT_LIST_SIZE = 10;

/** Introspection may nest deeper than data (GraphiQL's own query does), but no list field may repeat on a path. */
const INTROSPECTION_DEPTH = 20;
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'args', 'directives']);

const isIntrospectionRoot = (name: string) => name === '__schema' || name === '__type';
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) map.set(def.name.value, def);
  return map;
}

/**
 * A number folded over a selection set: each field gives `field(node, inner)` from the number
 * of its own selections, siblings combine with `combine`; a fragment is measured once (`memo`)
 * and a cycle (refused by another rule) gives 0.
 */
function measure(
  selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>,
  field: (node: FieldNode, inner: number) => number, combine: (a: number, b: number) => number,
  memo: Map<string, number>, visiting = new Set<string>(),
): number {
  const inner = (set: SelectionSetNode) => measure(set, fragments, field, combine, memo, visiting);
  let total = 0;
  for (const selection of selectionSet.selections) {
    let value: number;
    if (selection.kind === Kind.FIELD) value = field(selection, selection.selectionSet ? inner(selection.selectionSet) : 0);
    else if (selection.kind === Kind.INLINE_FRAGMENT) value = inner(selection.selectionSet);
    else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue;
      let known = memo.get(name);
      if (known === undefined) {
        visiting.add(name);
        known = inner(fragment.selectionSet);
        visiting.delete(name);
        memo.set(name, known);
      }
      value = known;
    }
    total = combine(total, value);
  }
  return total;
}

/** Deepest field nesting below a selection set. */
const depthOf = (selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, memo: Map<string, number>) =>
  measure(selectionSet, fragments, (_field, inner) => 1 + inner, Math.max, memo);

/** Aliased fields below a selection set, fragments counted where they are spread. */
const aliasesOf = (selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>) =>
  measure(selectionSet, fragments, (field, inner) => (field.alias ? 1 : 0) + inner, (a, b) => a + b, new Map());

/** A list field of the introspection schema met twice on one path (`fields { type { fields` …): exponential output. */
function repeatedIntrospectionList(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, onPath: Set<string>, visiting: Set<string>): string | undefined {
  for (const selection of selectionSet.selections) {
    let found: string | undefined;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (!selection.selectionSet) continue;
      if (INTROSPECTION_LISTS.has(name)) {
        if (onPath.has(name)) return name;
        onPath.add(name);
        found = repeatedIntrospectionList(selection.selectionSet, fragments, onPath, visiting);
        onPath.delete(name);
      } else found = repeatedIntrospectionList(selection.selectionSet, fragments, onPath, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) found = repeatedIntrospectionList(selection.selectionSet, fragments, onPath, visiting);
    else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || visiting.has(fragment.name.value)) continue;
      visiting.add(fragment.name.value);
      found = repeatedIntrospectionList(fragment.selectionSet, fragments, onPath, visiting);
      visiting.delete(fragment.name.value);
    }
    if (found) return found;
  }
  return undefined;
}

/** MAX_DEPTH: `{ provinces { code } }` is 2 deep. */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation: OperationDefinitionNode) {
      const fragments = fragmentsOf(context.getDocument());
      const memo = new Map<string, number>();
      for (const selection of operation.selectionSet.selections) {
        const single: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [selection] };
        const introspection = selection.kind === Kind.FIELD && isIntrospectionRoot(selection.name.value);
        const limit = introspection ? Math.max(maxDepth, INTROSPECTION_DEPTH) : maxDepth;
        const depth = depthOf(single, fragments, memo);
        if (depth > limit) {
          context.reportError(new LimitError('QUERY_TOO_DEEP',
            `Query is ${depth} levels deep; the limit is ${limit} (MAX_DEPTH). Ask for fewer nested levels, or fetch the inner objects by code or id in a second query.`,
            { name: 'MAX_DEPTH', max: limit, actual: depth }));
          return;
        }
        if (introspection) {
          const repeated = repeatedIntrospectionList(single, fragments, new Set(), new Set());
          if (repeated) {
            context.reportError(new LimitError('QUERY_TOO_DEEP',
              `Introspection selects "${repeated}" inside "${repeated}"; that output grows exponentially. Use the standard introspection query (GraphiQL's), which never repeats a list field on a path.`,
              { name: 'MAX_DEPTH', max: limit, actual: depth }));
            return;
          }
        }
      }
    },
  });
}

/** MAX_ALIASES: aliased fields in an operation, fragments counted where they are spread. */
export function aliasLimitRule(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation: OperationDefinitionNode) {
      const aliases = aliasesOf(operation.selectionSet, fragmentsOf(context.getDocument()));
      if (aliases > maxAliases) {
        context.reportError(new LimitError('TOO_MANY_ALIASES',
          `Query uses ${aliases} aliases; the limit is ${maxAliases} (MAX_ALIASES). Ask for a list field (e.g. provinces, cooperatives(filter:)) instead of repeating one field under many aliases.`,
          { name: 'MAX_ALIASES', max: maxAliases, actual: aliases }));
      }
    },
  });
}

interface CostResult {
  cost: number;
  /** Whether a `first` variable was read: the result then holds only for these variables. */
  usesVariables: boolean;
}

class CostWalker {
  usesVariables = false;
  private readonly fragments: Map<string, FragmentDefinitionNode>;
  /** Unit cost (multiplier 1) of a fragment spread, by fragment, parent type and carried page size. */
  private readonly memo = new Map<string, number>();

  constructor(private readonly schema: GraphQLSchema, document: DocumentNode, private readonly variables: Record<string, unknown>, private readonly limits: Limits, private readonly operation: OperationDefinitionNode) {
    this.fragments = fragmentsOf(document);
  }

  private intValue(node: ValueNode): number | undefined {
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      this.usesVariables = true;
      const value = this.variables[node.name.value];
      if (typeof value === 'number') return value;
      const definition = this.operation.variableDefinitions?.find((d) => d.variable.name.value === node.name.value);
      return definition?.defaultValue ? this.intValue(definition.defaultValue) : undefined;
    }
    return undefined;
  }

  /** The `first` a field asks for: explicit, from a variable, or the argument's default. Refuses pages over MAX_PAGE_SIZE. */
  private pageSize(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, node: FieldNode): number | undefined {
    const argument = field.args.find((a) => a.name === 'first');
    if (!argument) return undefined;
    const given = node.arguments?.find((a) => a.name.value === 'first');
    const value = given ? this.intValue(given.value) : undefined;
    if (value !== undefined && value > this.limits.maxPageSize) {
      throw new LimitError('PAGE_TOO_LARGE',
        `first: ${value} on ${parent.name}.${field.name} is above the largest page of ${this.limits.maxPageSize} (MAX_PAGE_SIZE). Ask for a smaller page and continue with after: pageInfo.endCursor, or narrow the filter.`,
        { name: 'MAX_PAGE_SIZE', max: this.limits.maxPageSize, actual: value });
    }
    if (value !== undefined) return Math.max(0, value);
    return typeof argument.defaultValue === 'number' ? argument.defaultValue : undefined;
  }

  /**
   * Fields resolved by a selection set at multiplier 1: each field counts 1, its children count
   * once per element of its list. `carry` is a page size asked on a connection, applied to
   * its first list below (edges or nodes).
   */
  cost(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, carry: number | undefined): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue; // __typename is free; introspection is bounded by its depth rule
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[name];
        if (!field) continue;
        total += 1;
        if (!selection.selectionSet) continue;
        const first = this.pageSize(parent, field, selection);
        const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
        let size = 1;
        let childCarry = carry;
        if (list) {
          size = first ?? carry ?? LIST_SIZE_ESTIMATES[`${parent.name}.${name}`] ?? DEFAULT_LIST_SIZE;
          childCarry = undefined;
        } else if (first !== undefined) childCarry = first;
        const child = getNamedType(field.type as GraphQLOutputType);
        if (isCompositeType(child)) total += size * this.cost(selection.selectionSet, child, childCarry);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += this.cost(selection.selectionSet, type, carry);
      } else {
        const fragment = this.fragments.get(selection.name.value);
        if (!fragment) continue;
        const type = this.schema.getType(fragment.typeCondition.name.value);
        if (!type || !isCompositeType(type)) continue;
        const key = `${fragment.name.value}|${parent.name}|${carry ?? ''}`;
        let unit = this.memo.get(key);
        if (unit === undefined) {
          unit = this.cost(fragment.selectionSet, type, carry);
          this.memo.set(key, unit);
        }
        total += unit;
      }
    }
    return total;
  }
}

export function operationCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, limits: Limits): CostResult {
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, usesVariables: false };
  const walker = new CostWalker(schema, document, variables, limits, operation);
  return { cost: walker.cost(operation.selectionSet, root, undefined), usesVariables: walker.usesVariables };
}

/** MAX_COST and MAX_PAGE_SIZE, checked once the operation is known, cached per document when no variable sets a page size. */
export function costLimitPlugin(limits: Limits): ApolloServerPlugin<BaseContext> {
  const cache = new WeakMap<DocumentNode, Map<string, number | LimitError>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, operationName, request, schema }) {
          if (!operation) return;
          const key = operationName ?? '';
          const cached = cache.get(document)?.get(key);
          if (cached instanceof LimitError) throw cached;
          if (cached !== undefined) return;
          let outcome: number | LimitError;
          let usesVariables = true;
          try {
            const result = operationCost(schema, document, operation, request.variables ?? {}, limits);
            usesVariables = result.usesVariables;
            outcome = result.cost > limits.maxCost
              ? new LimitError('QUERY_TOO_COSTLY',
                `Query would resolve about ${fmt(result.cost)} fields (list sizes multiplied: first, or estimates such as Regency.villages ≈ 400); the limit is ${fmt(limits.maxCost)} (MAX_COST). Select fewer fields, narrow the region, or page with first/after.`,
                { name: 'MAX_COST', max: limits.maxCost, actual: result.cost })
              : result.cost;
          } catch (error) {
            if (!(error instanceof LimitError)) throw error;
            outcome = error;
          }
          if (!usesVariables) {
            let byName = cache.get(document);
            if (!byName) cache.set(document, (byName = new Map()));
            byName.set(key, outcome);
          }
          if (outcome instanceof LimitError) throw outcome;
        },
      };
    },
  };
}

// graphql-js 16 spells it "more that".
const TOKENS = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/** The code a limit refusal should carry: validation errors arrive wrapped as GRAPHQL_VALIDATION_FAILED. */
export function limitCode(error: unknown, message: string): { code: string; message?: string } | undefined {
  const original = (error as GraphQLError | undefined)?.originalError;
  if (original instanceof LimitError) return { code: original.code };
  if (error instanceof LimitError) return { code: error.code };
  const tokens = TOKENS.exec(message);
  if (tokens) return { code: 'TOO_MANY_TOKENS', message: `Query has more than ${tokens[1]} tokens (MAX_TOKENS). Send a shorter document: move long literal lists into variables, or split it.` };
  return undefined;
}
