import { Supergraph } from '@apollo/federation-internals';
import { contractSchema, printContract, PUBLIC_TAG, taggedCoordinatesOf } from '@kopdes/kit';
import { parse, type GraphQLSchema } from 'graphql';

/** The API schema a gateway serves from this supergraph (Federation's join and link machinery removed). */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/**
 * The committed contracts: `full.graphql` (what analysts and above introspect) and `public.graphql`
 * (what a caller without a token introspects: the fields the subgraphs' access rules tag public).
 */
export function contractFiles(supergraphSdl: string): Map<string, string> {
  const api = apiSchemaOf(supergraphSdl);
  const open = taggedCoordinatesOf(parse(supergraphSdl), PUBLIC_TAG);
  return new Map([
    ['schema/contracts/full.graphql', printContract(api)],
    ['schema/contracts/public.graphql', printContract(contractSchema(api, open))],
  ]);
}
