import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { contractSchema, PUBLIC_TAG, taggedCoordinatesOf } from '@kopdes/kit';
import {
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from './apollo';

const INTROSPECTION = new Set(['__schema', '__type']);

/** The root field names an operation selects, through fragments and inline fragments. */
export function rootFieldNames(selectionSet: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) for (const n of rootFieldNames(selection.selectionSet, document, seen)) names.add(n);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
      );
      if (fragment) for (const n of rootFieldNames(fragment.selectionSet, document, seen)) names.add(n);
    }
  }
  return names;
}

/** The public contract of a supergraph: its API schema cut to the fields the subgraphs tag public. */
export function publicContractOf(apiSchema: GraphQLSchema, coreSupergraphSdl: string): GraphQLSchema {
  return contractSchema(apiSchema, taggedCoordinatesOf(parse(coreSupergraphSdl), PUBLIC_TAG));
}

const refusal = (message: string) => ({
  http: { status: 400, headers: new HeaderMap() },
  body: { kind: 'single' as const, singleResult: { errors: [new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } }).toJSON()] } },
});

/**
 * A caller without a token introspects the public contract (schema/contracts/public.graphql), not the
 * whole graph: analyst-only and personal fields, and the types only they lead to, are not shown to
 * them. Their data queries still run against the whole graph, so asking for a hidden field gets the
 * subgraph's clear FORBIDDEN ("needs a signed-in analyst ...") rather than "no such field".
 */
export function publicIntrospectionPlugin(contract: () => GraphQLSchema | undefined): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ contextValue, operation, document, request }) {
          if (contextValue.caller.role !== 'public') return null;
          const roots = rootFieldNames(operation.selectionSet, document);
          if (![...roots].some((n) => INTROSPECTION.has(n))) return null;
          const schema = contract();
          if (!schema) return null;
          if ([...roots].some((n) => !INTROSPECTION.has(n) && n !== '__typename')) {
            return refusal(
              'Without a token, introspection (__schema, __type) is answered from the public contract: send it in an operation of its own, without data fields.',
            );
          }
          const errors = validate(schema, document);
          if (errors.length)
            return { http: { status: 400, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { errors: errors.map((e) => e.toJSON()) } } };
          const result = await execute({ schema, document, operationName: request.operationName, variableValues: request.variables });
          return {
            http: { headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: result.data, ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}) } },
          };
        },
      };
    },
  };
}
