import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Limits } from './config';
import { fragmentsOf, LimitError } from './limits';
import { DEFAULT_LIST_SIZE, type CostDirectives, type FieldCost } from './cost-directives';

/**
 * MAX_COST and MAX_PAGE_SIZE: fields an operation would resolve (each its `@cost` weight, else 1),
 * list sizes multiplied in: the list's slicing argument (`first`) when it has one, else the
 * `@listSize(assumedSize)` its subgraph declares (cost-directives.ts). They depend on `first`
 * variables, so they are checked when the operation is resolved, cached per document when no
 * variable is involved.
 */

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A page size asked on a connection, for the lists below it (its `sizedFields`, or else its first list). */
interface Carry {
  size: number;
  fields?: readonly string[];
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

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly costs: CostDirectives,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>,
    private readonly limits: Limits,
    private readonly operation: OperationDefinitionNode,
  ) {
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
    const value = this.argumentValue(field, node, 'first');
    if (value !== undefined && value > this.limits.maxPageSize) {
      throw new LimitError(
        'PAGE_TOO_LARGE',
        `first: ${value} on ${parent.name}.${field.name} is above the largest page of ${this.limits.maxPageSize} (MAX_PAGE_SIZE). Ask for a smaller page and continue with after: pageInfo.endCursor, or narrow the filter.`,
        { name: 'MAX_PAGE_SIZE', max: this.limits.maxPageSize, actual: value },
      );
    }
    return value === undefined ? undefined : Math.max(0, value);
  }

  private argumentValue(field: GraphQLField<unknown, unknown>, node: FieldNode, name: string): number | undefined {
    const argument = field.args.find((a) => a.name === name);
    if (!argument) return undefined;
    const given = node.arguments?.find((a) => a.name.value === name);
    const value = given ? this.intValue(given.value) : undefined;
    if (value !== undefined) return value;
    return typeof argument.defaultValue === 'number' ? argument.defaultValue : undefined;
  }

  /** The size a field's slicing arguments ask for (the largest given); `first` when it declares none. */
  private sliced(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, node: FieldNode, declared: FieldCost | undefined): number | undefined {
    const first = this.pageSize(parent, field, node);
    const others = (declared?.slicingArguments ?? [])
      .filter((a) => a !== 'first')
      .map((a) => this.argumentValue(field, node, a))
      .filter((v) => v !== undefined);
    const slicesByFirst = !declared?.slicingArguments || declared.slicingArguments.includes('first');
    const sizes = [...(slicesByFirst && first !== undefined ? [first] : []), ...others.map((v) => Math.max(0, v))];
    return sizes.length ? Math.max(...sizes) : undefined;
  }

  /**
   * Fields resolved by a selection set at multiplier 1: each field counts its weight, its children
   * count once per element of its list. `carry` is a page size asked on a connection, applied to
   * the lists below it that it sizes.
   */
  cost(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, carry: Carry | undefined): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue; // __typename is free; introspection is bounded by its depth rule
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[name];
        if (!field) continue;
        const declared = this.costs.get(`${parent.name}.${name}`);
        total += declared?.weight ?? 1;
        if (!selection.selectionSet) continue;
        const sliced = this.sliced(parent, field, selection, declared);
        const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
        let size = 1;
        // Without sizedFields, a connection's page carries to its first list below (older supergraphs).
        let childCarry = carry?.fields ? undefined : carry;
        if (list) {
          const carried = carry && (!carry.fields || carry.fields.includes(name)) ? carry.size : undefined;
          size = sliced ?? carried ?? declared?.assumedSize ?? DEFAULT_LIST_SIZE;
          childCarry = undefined;
        } else if (sliced !== undefined) childCarry = { size: sliced, fields: declared?.sizedFields?.length ? declared.sizedFields : undefined };
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
        const key = `${fragment.name.value}|${parent.name}|${carry?.size ?? ''}|${carry?.fields?.join(',') ?? ''}`;
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

export function operationCost(
  schema: GraphQLSchema,
  costs: CostDirectives,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: Limits,
): CostResult {
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, usesVariables: false };
  const walker = new CostWalker(schema, costs, document, variables, limits, operation);
  return { cost: walker.cost(operation.selectionSet, root, undefined), usesVariables: walker.usesVariables };
}

/** MAX_COST and MAX_PAGE_SIZE, checked once the operation is known, cached per document when no variable sets a page size. */
export function costLimitPlugin(limits: Limits, costs: () => CostDirectives): ApolloServerPlugin<BaseContext> {
  const cache = new WeakMap<DocumentNode, Map<string, number | LimitError>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, operationName, request, schema, contextValue }) {
          if (!operation) return;
          // Kept on the execution record for the execution budget (execution-budget.ts).
          const record = (contextValue as { execution?: { cost?: number } }).execution;
          const key = operationName ?? '';
          const cached = cache.get(document)?.get(key);
          if (cached instanceof LimitError) throw cached;
          if (cached !== undefined) {
            if (record) record.cost = cached;
            return;
          }
          let outcome: number | LimitError;
          let usesVariables = true;
          try {
            const result = operationCost(schema, costs(), document, operation, request.variables ?? {}, limits);
            usesVariables = result.usesVariables;
            outcome =
              result.cost > limits.maxCost
                ? new LimitError(
                    'QUERY_TOO_COSTLY',
                    `Query would resolve about ${fmt(result.cost)} fields (list sizes multiplied: first, or the size each subgraph declares with @listSize, such as Regency.villages ≈ 400); the limit is ${fmt(limits.maxCost)} (MAX_COST). Select fewer fields, narrow the region, or page with first/after.`,
                    { name: 'MAX_COST', max: limits.maxCost, actual: result.cost },
                  )
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
          if (record) record.cost = outcome;
        },
      };
    },
  };
}
