import { ApolloServer, HeaderMap, type ApolloServerPlugin, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, type GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastPathFromEnv, leanPath } from '@kopdes/kit';

/**
 * The lean path's error handling against Apollo Server's own, in memory, for what the kit's
 * subgraphs do not do today but a resolver may: errors that set the HTTP status and headers
 * (`extensions.http`), a null root (a non-null field failed), a formatError that throws.
 */
/** Apollo reads `http.headers` only when it is a Map (its HeaderMap), which the typed extensions do not allow: built untyped. */
const TEAPOT: Record<string, unknown> = { code: 'TEAPOT', http: { status: 418, headers: new HeaderMap([['x-teapot', 'yes']]) } };
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      hello: { type: GraphQLString, resolve: () => 'world' },
      teapot: {
        type: GraphQLString,
        resolve: () => {
          throw new GraphQLError('Short and stout.', { extensions: TEAPOT });
        },
      },
      boom: {
        type: new GraphQLNonNull(GraphQLString),
        resolve: () => {
          throw new Error('a secret');
        },
      },
      unformattable: {
        type: GraphQLString,
        resolve: () => {
          throw new GraphQLError('Cannot be formatted.', { extensions: { code: 'UNFORMATTABLE' } });
        },
      },
    },
  }),
});

function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code === 'UNFORMATTABLE') throw new Error('formatError failed');
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  return original && !(original instanceof GraphQLError) ? { ...formatted, message: 'Masked.' } : formatted;
}

/** What each side's hooks saw, in order. */
const seen = { lean: [] as string[], apollo: [] as string[] };
const errorCodes = (errors: readonly GraphQLError[]) => errors.map((e) => `error ${String(e.extensions.code)} at ${String(e.path)}`);
const recorder: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName }) {
        seen.apollo.push(`operation ${operationName}`);
      },
      async didEncounterErrors({ errors }) {
        seen.apollo.push(...errorCodes(errors));
      },
    };
  },
};
const apollo = new ApolloServer({
  schema,
  introspection: false,
  includeStacktraceInErrorResponses: false,
  plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled(), recorder],
  formatError,
});
const lean = leanPath({
  schema,
  introspection: false,
  formatError,
  didResolveOperation: (_operation, name) => seen.lean.push(`operation ${name}`),
  didEncounterErrors: (errors) => seen.lean.push(...errorCodes(errors)),
});
beforeAll(() => apollo.start());
afterAll(() => apollo.stop());

const shape = (response: HTTPGraphQLResponse) => ({
  status: response.status,
  headers: [...response.headers],
  body: response.body.kind === 'complete' ? response.body.string : 'chunked',
});
const context = async () => ({});

async function leanAnswer(query: string) {
  const taken = lean.take('POST', { 'content-type': 'application/json' }, { query });
  const answered = taken && (await lean.answer(taken, context));
  return answered ? shape(answered) : undefined;
}

/** The lean path's answer (graphql-js the first time a document is seen, compiled with graphql-jit from the second) and Apollo's. */
async function both(query: string) {
  const body = { query };
  const answered = await leanAnswer(query);
  const expected = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body },
    context,
  });
  return { lean: answered, apollo: shape(expected) };
}

describe('lean path errors', () => {
  for (const [name, query] of [
    ['data and no error', '{ hello }'],
    ['an error setting status and a header', '{ hello teapot }'],
    ['a null root (non-null field failed), masked by formatError', 'query Boom { hello boom }'],
    ['a formatError that throws', '{ unformattable }'],
  ]) {
    it(`answers as Apollo: ${name}`, async () => {
      const { lean: answer, apollo: expected } = await both(query!);
      expect(answer).toEqual(expected);
      expect(await leanAnswer(query!)).toEqual(expected); // compiled
    });
  }

  it('calls the hooks Apollo calls, with the same arguments (compiled documents too)', async () => {
    for (const query of ['query Teapot { hello teapot unformattable }', '{ boom }']) await leanAnswer(query);
    seen.lean.length = 0;
    seen.apollo.length = 0;
    await both('query Teapot { hello teapot unformattable }');
    await both('{ boom }');
    expect(seen.lean).toEqual([
      'operation Teapot',
      'error TEAPOT at teapot',
      'error UNFORMATTABLE at unformattable',
      'operation null',
      'error undefined at boom',
    ]);
    expect(seen.lean).toEqual(seen.apollo);
  });

  it('leaves introspection to Apollo when it is off, and documents that do not validate', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Query") { name } }', '{ nope }', '{ hello(']) {
      const taken = lean.take('POST', { 'content-type': 'application/json' }, { query });
      expect(taken).toBeDefined();
      expect(await lean.answer(taken!, context)).toBeUndefined();
    }
  });

  it('runs a document graphql-jit fails to compile on graphql-js, every time, answering as Apollo', async () => {
    let compiles = 0;
    const uncompiled = leanPath({
      schema,
      introspection: false,
      formatError,
      didResolveOperation: () => {},
      didEncounterErrors: () => {},
      compile: () => {
        compiles += 1;
        throw new Error('cannot compile this');
      },
    });
    const query = 'query Teapot { hello teapot }';
    const expected = (await both(query)).apollo;
    for (let i = 0; i < 3; i++) {
      const answered = await uncompiled.answer(uncompiled.take('POST', { 'content-type': 'application/json' }, { query })!, context);
      expect(shape(answered!)).toEqual(expected);
    }
    expect(compiles).toBe(1); // tried on the second request, never again
  });

  it('reads SUBGRAPH_FAST_PATH, refusing what it cannot read', () => {
    expect(fastPathFromEnv({})).toBe(true);
    expect(fastPathFromEnv({ SUBGRAPH_FAST_PATH: 'false' })).toBe(false);
    expect(() => fastPathFromEnv({ SUBGRAPH_FAST_PATH: 'off' })).toThrow('SUBGRAPH_FAST_PATH="off" must be "true" or "false".');
  });
});
