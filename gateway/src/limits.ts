import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * Abuse limits. Depth and aliases depend only on the document, so they are validation rules
 * (Apollo Server validates a document once and caches it). Cost and page size also depend on
 * `first` variables (cost.ts).
 */

/** A refused query: HTTP 400, a stable code, a message saying the limit and how to stay under it. */
export class LimitError extends GraphQLError {
  constructor(
    readonly code: string,
    message: string,
    limit: Record<string, unknown>,
  ) {
    super(message, { extensions: { code, limit, http: { status: 400 } } });
  }
}

/** Introspection may nest deeper than data (GraphiQL's own query does), but no list field may repeat on a path. */
const INTROSPECTION_DEPTH = 20;
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'args', 'directives']);

const isIntrospectionRoot = (name: string) => name === '__schema' || name === '__type';

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
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
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  field: (node: FieldNode, inner: number) => number,
  combine: (a: number, b: number) => number,
  memo: Map<string, number>,
  visiting = new Set<string>(),
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
  measure(
    selectionSet,
    fragments,
    (field, inner) => (field.alias ? 1 : 0) + inner,
    (a, b) => a + b,
    new Map(),
  );

/** A list field of the introspection schema met twice on one path (`fields { type { fields` …): exponential output. */
function repeatedIntrospectionList(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  onPath: Set<string>,
  visiting: Set<string>,
): string | undefined {
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
          context.reportError(
            new LimitError(
              'QUERY_TOO_DEEP',
              `Query is ${depth} levels deep; the limit is ${limit} (MAX_DEPTH). Ask for fewer nested levels, or fetch the inner objects by code or id in a second query.`,
              { name: 'MAX_DEPTH', max: limit, actual: depth },
            ),
          );
          return;
        }
        if (introspection) {
          const repeated = repeatedIntrospectionList(single, fragments, new Set(), new Set());
          if (repeated) {
            context.reportError(
              new LimitError(
                'QUERY_TOO_DEEP',
                `Introspection selects "${repeated}" inside "${repeated}"; that output grows exponentially. Use the standard introspection query (GraphiQL's), which never repeats a list field on a path.`,
                { name: 'MAX_DEPTH', max: limit, actual: depth },
              ),
            );
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
        context.reportError(
          new LimitError(
            'TOO_MANY_ALIASES',
            `Query uses ${aliases} aliases; the limit is ${maxAliases} (MAX_ALIASES). Ask for a list field (e.g. provinces, cooperatives(filter:)) instead of repeating one field under many aliases.`,
            { name: 'MAX_ALIASES', max: maxAliases, actual: aliases },
          ),
        );
      }
    },
  });
}

// graphql-js 16 spells it "more that".
const TOKENS = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/** The code a limit refusal should carry: validation errors arrive wrapped as GRAPHQL_VALIDATION_FAILED. */
export function limitCode(error: unknown, message: string): { code: string; message?: string } | undefined {
  const original = (error as GraphQLError | undefined)?.originalError;
  if (original instanceof LimitError) return { code: original.code };
  if (error instanceof LimitError) return { code: error.code };
  const tokens = TOKENS.exec(message);
  if (tokens)
    return {
      code: 'TOO_MANY_TOKENS',
      message: `Query has more than ${tokens[1]} tokens (MAX_TOKENS). Send a shorter document: move long literal lists into variables, or split it.`,
    };
  return undefined;
}
