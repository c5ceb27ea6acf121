import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import { Rupiah } from './money';
import { accessMiddleware, assertAccess, fieldAccess } from './access';
import { syntheticLabelMiddleware } from './synthetic-label';
import type { AnySubgraph, SubgraphContext } from './subgraph';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])';

const built = new WeakMap<AnySubgraph, Promise<GraphQLSchema>>();

/** Builds (once per definition) the Federation 2 subgraph schema from type-graphql classes. */
export function buildFederatedSchema(definition: AnySubgraph): Promise<GraphQLSchema> {
  let schema = built.get(definition);
  if (!schema) {
    schema = build(definition);
    built.set(definition, schema);
  }
  return schema;
}

async function build(definition: AnySubgraph): Promise<GraphQLSchema> {
  const typeSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    scalarsMap: [{ type: BigInt, scalar: Rupiah }],
    globalMiddlewares: [accessMiddleware(definition.name, definition.access), syntheticLabelMiddleware],
    validate: false,
    skipCheck: true,
  });
  const resolvers = createResolversMap(typeSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, resolveReference] of Object.entries(definition.references ?? {})) {
    // _entities bypasses type-graphql middleware: check the entity type's access here.
    const access = fieldAccess(definition.access, typeName, '__resolveReference');
    // Async, so a refusal rejects this representation only: null at its index, FORBIDDEN at its path
    // (a synchronous throw would fail the whole `_entities` list).
    const checked = async (reference: Record<string, unknown>, context: SubgraphContext<unknown, unknown>) => {
      if (access !== 'public') assertAccess(context, access, typeName, definition.name);
      return resolveReference(reference, context);
    };
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: checked };
  }
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeSchema)}`);
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
}

/**
 * Options of a ministry's aggregate on a shared region entity (Province.energy): nullable, so a
 * subgraph that does not answer nulls its own field, never the province and the list holding it.
 */
export function regionAggregateField(subgraph: string, description: string) {
  return { nullable: true, description: `${description} Null when the ${subgraph} subgraph did not answer (the response's errors name it).` } as const;
}

/** The subgraph SDL as the gateway sees it through `_service { sdl }`. */
export async function printFederatedSchema(definition: AnySubgraph): Promise<string> {
  return printSubgraphSchema(await buildFederatedSchema(definition));
}
