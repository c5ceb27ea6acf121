import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import { Rupiah } from './money';
import { assertAccess, fieldAccess, guardFields, type EffectivePolicy } from './access';
import { retentionDaysFromEnv } from './access-record';
import { accessRecordResolver } from './access-record.resolver';
import { tagPublicFields } from './contract';
import { personalCoordinatesOf } from './personal';
import type { AnySubgraph, SubgraphContext } from './subgraph';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@listSize", "@cost"])';

const built = new WeakMap<AnySubgraph, Promise<GraphQLSchema>>();
const personalBySchema = new WeakMap<GraphQLSchema, ReadonlySet<string>>();

/** The "Type.field" coordinates a built subgraph schema marks `@Personal()`. */
export function personalFieldsOf(schema: GraphQLSchema): ReadonlySet<string> {
  return personalBySchema.get(schema) ?? new Set();
}

/** Builds (once per definition) the Federation 2 subgraph schema from type-graphql classes. */
export function buildFederatedSchema(definition: AnySubgraph): Promise<GraphQLSchema> {
  let schema = built.get(definition);
  if (!schema) {
    schema = build(definition);
    built.set(definition, schema);
  }
  return schema;
}

/**
 * Every personal field must be read through a declared source (so it is recorded): the source's
 * own field or a field of its person type. Anything else stops start-up.
 */
function checkPersonalSources(definition: AnySubgraph, personal: ReadonlySet<string>): void {
  const sources = definition.personalData ?? [];
  const covered = (c: string) => sources.some((s) => c === s.field || c.startsWith(`${s.personType}.`));
  const loose = [...personal].filter((c) => !covered(c)).sort();
  if (loose.length) {
    throw new Error(
      `${definition.name}: ${loose.join(', ')} ${loose.length === 1 ? 'is' : 'are'} marked @Personal() but no entry of personalData reads ${loose.length === 1 ? 'it' : 'them'}; personal data is served only through a PersonalSource, on the access record.`,
    );
  }
  const unmarked = sources.filter((s) => !personal.has(s.field));
  if (unmarked.length)
    throw new Error(`${definition.name}: personalData reads ${unmarked.map((s) => s.field).join(', ')}, which the schema does not mark @Personal().`);
}

async function build(definition: AnySubgraph): Promise<GraphQLSchema> {
  const recorded = (definition.personalData?.length ?? 0) > 0;
  const accessRecord = recorded ? accessRecordResolver(definition.name, definition.owner, retentionDaysFromEnv()) : undefined;
  // Filled from the schema's marks once it is built; the middleware reads it per request.
  const personal = new Set<string>();
  const policy: EffectivePolicy = { ...definition.access, personal, owner: new Set(accessRecord?.fields ?? []) };
  const typeSchema = await buildSchema({
    resolvers: accessRecord ? [...definition.resolvers, accessRecord.resolver] : definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    scalarsMap: [{ type: BigInt, scalar: Rupiah }],
    validate: false,
    skipCheck: true,
  });
  const resolvers = createResolversMap(typeSchema) as Record<string, Record<string, unknown>>;
  const marked = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeSchema)}`);
  for (const coordinate of personalCoordinatesOf(marked)) personal.add(coordinate);
  // Once personal marks are known, so is each field's access: the public ones carry it into the supergraph.
  const typeDefs = tagPublicFields(marked, (typeName, fieldName) => fieldAccess(policy, typeName, fieldName));
  checkPersonalSources(definition, personal);
  for (const [typeName, resolveReference] of Object.entries(definition.references ?? {})) {
    // _entities bypasses type-graphql middleware: check the entity type's access here.
    const access = fieldAccess(policy, typeName, '__resolveReference');
    // Async, so a refusal rejects this representation only: null at its index, FORBIDDEN at its path
    // (a synchronous throw would fail the whole `_entities` list).
    const checked = async (reference: Record<string, unknown>, context: SubgraphContext<unknown, unknown>) => {
      if (access !== 'public') assertAccess(context, access, typeName, definition.name);
      return resolveReference(reference, context);
    };
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: checked };
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
  guardFields(schema, typeSchema, definition.name, policy, definition.personalData?.map((s) => s.field) ?? []);
  personalBySchema.set(schema, personal);
  return schema;
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
