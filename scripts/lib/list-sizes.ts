import { Kind, parse, type ConstDirectiveNode, type FieldDefinitionNode, type TypeNode } from 'graphql';

/**
 * Every list field a subgraph resolves must say how long it is, so the gateway's cost limit counts
 * it as its team expects (the gateway reads `@listSize` from the supergraph; it has no table of
 * other teams' fields). Sized means: `@listSize(assumedSize: …)`, `@listSize(slicingArguments: …)`,
 * or being named in the `sizedFields` of a connection field that returns the list's type.
 */
export interface UnsizedList {
  subgraph: string;
  coordinate: string;
  /** What to add, as the ministry writes it in its type-graphql class. */
  fix: string;
}

const isList = (type: TypeNode): boolean => type.kind === Kind.LIST_TYPE || (type.kind === Kind.NON_NULL_TYPE && isList(type.type));
const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));
const directive = (field: FieldDefinitionNode, name: string): ConstDirectiveNode | undefined =>
  field.directives?.find((d) => d.name.value === name || d.name.value === `federation__${name}`);
const argumentNamed = (node: ConstDirectiveNode, name: string) => node.arguments?.find((a) => a.name.value === name)?.value;
const stringsOf = (node: ConstDirectiveNode | undefined, name: string): string[] => {
  const value = node && argumentNamed(node, name);
  return value?.kind === Kind.LIST ? value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : [];
};

export function unsizedLists(subgraphs: { name: string; sdl: string }[]): UnsizedList[] {
  const parsed = subgraphs.map((s) => ({ name: s.name, document: parse(s.sdl) }));
  const fieldsOf = (document: (typeof parsed)[number]['document']) =>
    document.definitions.flatMap((d) =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION ||
      d.kind === Kind.OBJECT_TYPE_EXTENSION ||
      d.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      d.kind === Kind.INTERFACE_TYPE_EXTENSION
        ? (d.fields ?? []).map((field) => ({ type: d.name.value, field }))
        : [],
    );
  // A connection's page sizes its edges: "CooperativeConnection.edges" is sized by Query.cooperatives(first).
  const sizedByParent = new Set<string>();
  for (const { document } of parsed) {
    for (const { field } of fieldsOf(document)) {
      for (const sized of stringsOf(directive(field, 'listSize'), 'sizedFields')) sizedByParent.add(`${namedType(field.type)}.${sized}`);
    }
  }
  const unsized: UnsizedList[] = [];
  for (const { name, document } of parsed) {
    for (const { type, field } of fieldsOf(document)) {
      const coordinate = `${type}.${field.name.value}`;
      if (!isList(field.type) || field.name.value.startsWith('_') || directive(field, 'external') || sizedByParent.has(coordinate)) continue;
      const listSize = directive(field, 'listSize');
      if (listSize && (argumentNamed(listSize, 'assumedSize') || stringsOf(listSize, 'slicingArguments').length > 0)) continue;
      const paged = field.arguments?.some((a) => a.name.value === 'first');
      unsized.push({
        subgraph: name,
        coordinate,
        fix: paged
          ? `${coordinate} takes first: mark it @PagedBy() (from @kopdes/kit), i.e. @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false).`
          : `${coordinate} returns a list with no size: mark it @ListSize(n) (from @kopdes/kit), n its usual length (e.g. 12 repayments a loan), i.e. @listSize(assumedSize: n). Otherwise the gateway's cost limit counts it as ${10} items.`,
      });
    }
  }
  return unsized.sort((a, b) => a.subgraph.localeCompare(b.subgraph) || a.coordinate.localeCompare(b.coordinate));
}
