import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

/**
 * The cost directives of Federation 2.9 as the subgraphs declare them and composition keeps them
 * in the supergraph: `@listSize` (a list's assumed length, or the arguments that slice it) and
 * `@cost` (a field's weight). The API schema Apollo Server validates against drops them, so the
 * cost limit reads them from the supergraph document, by "Type.field".
 */
export interface FieldCost {
  assumedSize?: number;
  slicingArguments?: readonly string[];
  /** For a connection: its list fields that the slicing argument sizes (e.g. `edges`). */
  sizedFields?: readonly string[];
  weight?: number;
}
export type CostDirectives = ReadonlyMap<string, FieldCost>;

/** A list that declares no size; schema:check refuses such a field, so this is for old supergraphs only. */
export const DEFAULT_LIST_SIZE = 10;

// Composition names them as imported by its `cost` spec link (`@listSize`) or namespaced (`@cost__listSize`).
const directiveName = (node: ConstDirectiveNode) => node.name.value.replace(/^(cost|federation)__/, '');

function argument(node: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return node.arguments?.find((a) => a.name.value === name)?.value;
}
const int = (value: ConstValueNode | undefined) => (value?.kind === Kind.INT ? Number(value.value) : undefined);
const strings = (value: ConstValueNode | undefined) =>
  value?.kind === Kind.LIST ? value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : undefined;

export function costDirectivesOf(supergraph: DocumentNode): CostDirectives {
  const costs = new Map<string, FieldCost>();
  for (const definition of supergraph.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    )
      continue;
    for (const field of definition.fields ?? []) {
      const cost: FieldCost = {};
      for (const directive of field.directives ?? []) {
        const name = directiveName(directive);
        if (name === 'listSize') {
          cost.assumedSize = int(argument(directive, 'assumedSize'));
          cost.slicingArguments = strings(argument(directive, 'slicingArguments'));
          cost.sizedFields = strings(argument(directive, 'sizedFields'));
        } else if (name === 'cost') cost.weight = int(argument(directive, 'weight'));
      }
      if (Object.values(cost).some((v) => v !== undefined)) costs.set(`${definition.name.value}.${field.name.value}`, cost);
    }
  }
  return costs;
}
