import {
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { Directive } from 'type-graphql';

/**
 * Personal data is marked in one place: the `@Personal()` decorator on a type-graphql class (every
 * field of the type is personal) or on one field. It prints as Federation's `@tag(name: "personal")`,
 * so the mark travels in the subgraph SDL into the supergraph, where the gateway reads it and where a
 * schema contract (Apollo contracts filter on @tag) can leave personal fields out of a public schema.
 * The kit derives from it who may read a field (access.ts), what a purpose of use may cover
 * (purposes.ts) and which reads go on the access record (personal-read.ts).
 */
export const PERSONAL_TAG = 'personal';

export function Personal(): ReturnType<typeof Directive> {
  return Directive(`@tag(name: "${PERSONAL_TAG}")`);
}

function tagged(directives: readonly DirectiveNode[] | undefined, name: string): boolean {
  return (directives ?? []).some(
    (d) => d.name.value === 'tag' && d.arguments?.some((a) => a.name.value === 'name' && a.value.kind === Kind.STRING && a.value.value === name),
  );
}

/** "Type.field" of every personal field in an SDL (a subgraph's or the supergraph). */
export function personalCoordinatesOf(sdl: DocumentNode): Set<string> {
  return taggedCoordinatesOf(sdl, PERSONAL_TAG);
}

/** "Type.field" of every field an SDL tags `@tag(name: <name>)`, itself or through its type. */
export function taggedCoordinatesOf(sdl: DocumentNode, name: string): Set<string> {
  const coordinates = new Set<string>();
  const typeTagged = new Set<string>();
  for (const definition of sdl.definitions) {
    if ('name' in definition && definition.name && 'directives' in definition && tagged(definition.directives, name)) typeTagged.add(definition.name.value);
  }
  for (const definition of sdl.definitions) {
    const kinds: string[] = [Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION, Kind.INTERFACE_TYPE_DEFINITION, Kind.INTERFACE_TYPE_EXTENSION];
    if (!kinds.includes(definition.kind)) continue;
    const type = definition as { name: { value: string }; fields?: readonly { name: { value: string }; directives?: readonly DirectiveNode[] }[] };
    for (const field of type.fields ?? []) {
      if (typeTagged.has(type.name.value) || tagged(field.directives, name)) coordinates.add(`${type.name.value}.${field.name.value}`);
    }
  }
  return coordinates;
}

/**
 * The personal coordinates one operation selects anywhere (aliases, fragments and inline
 * fragments included), from its document alone: what a request asks to read, before it runs.
 */
export function selectedPersonal(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Iterable<FragmentDefinitionNode>,
  personal: ReadonlySet<string>,
): Set<string> {
  const selected = new Set<string>();
  if (personal.size === 0) return selected;
  const typeInfo = new TypeInfo(schema);
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const coordinate = parent && `${parent.name}.${node.name.value}`;
        if (coordinate && personal.has(coordinate)) selected.add(coordinate);
      },
    }),
  );
  return selected;
}
