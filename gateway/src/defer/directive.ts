import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLNonNull,
  GraphQLSchema,
  GraphQLString,
  Kind,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * `@defer` as the incremental delivery RFC defines it (graphql-js 16 does not ship it): the gateway
 * adds it to the schema it validates with, so `... @defer { … }` passes validation and every other
 * rule (depth, aliases, cost, safelist) still applies to the whole document.
 */
export const GraphQLDeferDirective = new GraphQLDirective({
  name: 'defer',
  description: 'Delivers this fragment in a later part of a multipart/mixed answer, without holding the first part back.',
  locations: [DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
  args: {
    if: { type: new GraphQLNonNull(GraphQLBoolean), defaultValue: true, description: 'Deferred when true (the default).' },
    label: { type: GraphQLString, description: 'Names the later part (its `label`).' },
  },
});

/** The schema with `@defer` added (the same types: what the gateway installed on them stays). */
export function withDefer(schema: GraphQLSchema): GraphQLSchema {
  if (schema.getDirective('defer')) return schema;
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, directives: [...config.directives, GraphQLDeferDirective] });
}

/** Whether a `@defer` directive is on: `if` absent, true, or a variable that is not false. */
export function deferActive(directive: DirectiveNode, variables: Record<string, unknown> | undefined): boolean {
  const condition = directive.arguments?.find((a) => a.name.value === 'if')?.value;
  if (!condition) return true;
  if (condition.kind === Kind.BOOLEAN) return condition.value;
  if (condition.kind === Kind.VARIABLE) return variables?.[condition.name.value] !== false;
  return true;
}

/**
 * Whether the document defers anything: in `operation` (the one run, when the document holds several)
 * or a fragment it may use.
 */
export function hasDefer(document: DocumentNode, variables?: Record<string, unknown>, operation?: OperationDefinitionNode | null): boolean {
  let found = false;
  const scope: DocumentNode = operation
    ? { ...document, definitions: document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION) }
    : document;
  visit(scope, {
    Directive(node) {
      if (node.name.value === 'defer' && deferActive(node, variables)) found = true;
    },
  });
  return found;
}

/** Labels the client gave: the planner names unlabelled defers itself, and those names are not the client's. */
export function clientLabels(document: DocumentNode): Set<string> {
  const labels = new Set<string>();
  visit(document, {
    Directive(node) {
      const label = node.name.value === 'defer' ? node.arguments?.find((a) => a.name.value === 'label')?.value : undefined;
      if (label?.kind === Kind.STRING) labels.add(label.value);
    },
  });
  return labels;
}

/** The document with every `@defer` removed: what `/export` runs, since a file is one whole answer. */
export function withoutDefer<T extends DocumentNode | OperationDefinitionNode>(document: T): T {
  return visit(document, { Directive: (node) => (node.name.value === 'defer' ? null : undefined) });
}

/**
 * Whether the client reads incremental delivery: `multipart/mixed` in Accept, with no `deferSpec`
 * or `deferSpec=20220824` (the format Apollo Client and urql read; Apollo Router asks for the same).
 */
export function acceptsMultipart(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'multipart/mixed' && type !== 'multipart/*') return false;
    const spec = params.find((p) => p.startsWith('deferspec='));
    const q = params.find((p) => p.startsWith('q='));
    return (!spec || spec === 'deferspec=20220824') && (!q || Number(q.slice(2)) > 0);
  });
}
