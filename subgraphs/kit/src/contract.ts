import {
  buildASTSchema,
  getNamedType,
  isInputObjectType,
  isObjectType,
  Kind,
  parse,
  printSchema,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Access } from './access';

/**
 * The public contract: the part of the graph a caller without a token may use. Access is declared once,
 * in each subgraph's policy (access.ts); the kit prints it into the subgraph SDL as Federation's
 * `@tag(name: "public")` on every field the public may read, so it travels into the supergraph, where
 * `compose` writes schema/contracts/public.graphql from it and the gateway answers the public's
 * introspection with it (Apollo contracts filter on @tag the same way).
 */
export const PUBLIC_TAG = 'public';

const tag = (name: string): DirectiveNode => ({
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'tag' },
  arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'name' }, value: { kind: Kind.STRING, value: name } }],
});

const FIELDED: string[] = [Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION];

/** The subgraph SDL with `@tag(name: "public")` on each object field whose access is public. */
export function tagPublicFields(typeDefs: DocumentNode, access: (typeName: string, fieldName: string) => Access): DocumentNode {
  const definitions = typeDefs.definitions.map((definition): DefinitionNode => {
    if (!FIELDED.includes(definition.kind)) return definition;
    const type = definition as DefinitionNode & { name: { value: string }; fields?: readonly FieldDefinitionNode[] };
    if (type.name.value.startsWith('_')) return definition; // federation's own (_Service) are not the graph's
    // An @external field is another subgraph's to resolve, and to tag.
    const open = (field: FieldDefinitionNode) =>
      access(type.name.value, field.name.value) === 'public' && !field.directives?.some((d) => d.name.value === 'external');
    const fields = type.fields?.map((field) => (open(field) ? { ...field, directives: [...(field.directives ?? []), tag(PUBLIC_TAG)] } : field));
    return { ...type, fields } as DefinitionNode;
  });
  return { ...typeDefs, definitions };
}

/**
 * The public variant of an API schema: only fields in `open` ("Type.field"), minus those whose type
 * has no open field left, and only the types the public can reach from Query. No Mutation: writes are
 * never public.
 */
export function contractSchema(api: GraphQLSchema, open: ReadonlySet<string>): GraphQLSchema {
  const kept = new Map<string, Set<string>>();
  for (const type of Object.values(api.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === api.getMutationType()) continue;
    const fields = Object.keys(type.getFields()).filter((f) => open.has(`${type.name}.${f}`));
    if (fields.length) kept.set(type.name, new Set(fields));
  }
  // A field whose object type kept nothing leads nowhere: drop it, until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const [typeName, fields] of kept) {
      const type = api.getType(typeName) as GraphQLObjectType;
      for (const f of fields) {
        const target = getNamedType(type.getFields()[f]!.type);
        if (isObjectType(target) && !kept.has(target.name)) {
          fields.delete(f);
          changed = true;
        }
      }
      if (fields.size === 0) kept.delete(typeName);
    }
  }
  const query = api.getQueryType();
  if (!query || !kept.has(query.name)) throw new Error('The public contract has no Query field: no subgraph declares one public (access.public).');
  const reached = new Set<string>();
  const reach = (type: GraphQLNamedType): void => {
    if (reached.has(type.name)) return;
    reached.add(type.name);
    if (isObjectType(type)) {
      for (const f of kept.get(type.name) ?? []) {
        const field = type.getFields()[f]!;
        reach(getNamedType(field.type));
        for (const arg of field.args) reach(getNamedType(arg.type));
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) reach(getNamedType(field.type));
    }
  };
  reach(query);
  const full = parse(printSchema(api));
  const definitions = full.definitions.flatMap((definition): DefinitionNode[] => {
    if (definition.kind === Kind.SCHEMA_DEFINITION) return [];
    if (!('name' in definition) || !definition.name) return [definition];
    const name = definition.name.value;
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) return [definition];
    if (!reached.has(name)) return [];
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return [definition];
    const fields = kept.get(name)!;
    return [{ ...definition, fields: definition.fields?.filter((f) => fields.has(f.name.value)) }];
  });
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions }, { assumeValidSDL: true });
}

/** A schema as committed under schema/contracts/: printed by graphql-js, one trailing newline. */
export function printContract(schema: GraphQLSchema): string {
  return printSchema(schema).trimEnd() + '\n';
}
