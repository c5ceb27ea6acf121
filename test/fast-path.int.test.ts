import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_HEADER, createSubgraphServer, sampleValue, signCaller, type Caller, type SubgraphServer } from '@kopdes/kit';
import { ADMIN, PUBLIC, startTestSubgraph, testSigningKeys, type TestSubgraph } from '@kopdes/kit/testing';
import { cooperatives } from '@kopdes/cooperatives';

/**
 * The kit's lean path (fast-path.ts) answers exactly as Apollo Server does: the same corpus of
 * requests goes to a subgraph with it and to one without it (SUBGRAPH_FAST_PATH=false), both on
 * one database, and every answer must match (status, headers, body bytes), in development and in
 * production mode. Each request also says whether the lean path should take it, checked on the
 * subgraph's counter, so the test fails if the lean path silently always falls back, or takes
 * what it should leave to Apollo.
 */
interface Case {
  name: string;
  /** Taken by the lean path (else Apollo answers). */
  lean: boolean;
  method?: 'GET' | 'POST';
  /** A JSON body (stringified), or raw text. */
  body?: unknown;
  search?: string;
  caller?: Caller | null;
  headers?: Record<string, string>;
}

const COOP = 'KDMP-35.14.01.2001';
const ENTITIES = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Cooperative{__typename id name kind stage}}}';

const CORPUS: Case[] = [
  { name: 'a plain query', lean: true, body: { query: `{ cooperative(id: "${COOP}") { id name kind village { code } } }` } },
  { name: '_entities', lean: true, body: { query: ENTITIES, variables: { representations: [{ __typename: 'Cooperative', id: COOP }] } } },
  {
    name: 'a field error with a code (a bad argument)',
    lean: true,
    body: { query: '{ cooperatives(first: 5, filter: { regionCode: "3" }) { edges { node { id } } } }' },
  },
  { name: 'a representation without its key', lean: true, body: { query: ENTITIES, variables: { representations: [{ __typename: 'Cooperative' }] } } },
  {
    name: 'an internal error, masked (an unknown entity type)',
    lean: true,
    body: { query: ENTITIES, variables: { representations: [{ __typename: 'Nope', id: COOP }] } },
  },
  {
    name: 'directives, aliases, fragments and a date (compiled execution)',
    lean: true,
    body: {
      query: `query($with: Boolean!) { c: cooperative(id: "${COOP}") { __typename id ...F @include(if: $with) name @skip(if: $with) n: name village { code } } }
        fragment F on Cooperative { kind stage musdesusDate members }`,
      variables: { with: true },
    },
  },
  {
    name: 'several entities, one unknown (null in the list)',
    lean: true,
    body: {
      query: 'query($representations:[_Any!]!){_entities(representations:$representations){__typename ...on Cooperative{id musdesusDate nib}}}',
      variables: {
        representations: [
          { __typename: 'Cooperative', id: COOP },
          { __typename: 'Cooperative', id: 'KDMP-00.00.00.0000' },
          { __typename: 'Cooperative', id: COOP },
        ],
      },
    },
  },
  { name: 'an access denial (public caller)', lean: true, caller: PUBLIC, body: { query: `{ cooperative(id: "${COOP}") { id name members } }` } },
  { name: 'a variable coercion error', lean: false, body: { query: 'query($id: ID!) { cooperative(id: $id) { id } }', variables: {} } },
  { name: 'a validation error', lean: false, body: { query: `{ cooperative(id: "${COOP}") { nope } }` } },
  { name: 'a parse error', lean: false, body: { query: '{ cooperative(' } },
  { name: 'an operation chosen by name', lean: true, body: { query: 'query A { __typename } query B { b: __typename }', operationName: 'B' } },
  { name: 'an unknown operationName', lean: false, body: { query: 'query A { __typename }', operationName: 'B' } },
  { name: 'two operations without operationName', lean: false, body: { query: 'query A { __typename } query B { __typename }' } },
  {
    name: 'null operationName, variables and extensions',
    lean: true,
    body: { query: '{ __typename }', operationName: null, variables: null, extensions: null },
  },
  { name: 'an empty query', lean: false, body: { query: '' } },
  { name: 'variables as a string', lean: false, body: { query: '{ __typename }', variables: '{}' } },
  {
    name: 'a mutation (left to Apollo)',
    lean: false,
    body: {
      query:
        'mutation($key: String!) { advanceCooperativeStage(idempotencyKey: $key, input: { cooperativeId: "KDMP-00.00.00.0000", stage: OPERATING }) { id } }',
      variables: { key: 'fast-path-test' },
    },
  },
  {
    name: 'a persisted query with a wrong hash',
    lean: false,
    body: { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } },
  },
  { name: 'a batch', lean: false, body: [{ query: '{ __typename }' }, { query: '{ a: __typename }' }] },
  { name: 'GET', lean: false, method: 'GET', search: `?query=${encodeURIComponent('{ __typename }')}`, headers: { 'apollo-require-preflight': 'true' } },
  { name: 'GET without a preflight header (CSRF)', lean: false, method: 'GET', search: `?query=${encodeURIComponent('{ __typename }')}` },
  { name: 'a text/plain POST (CSRF)', lean: false, body: { query: '{ __typename }' }, headers: { 'content-type': 'text/plain' } },
  {
    name: 'accept: application/graphql-response+json',
    lean: true,
    body: { query: '{ __typename }' },
    headers: { accept: 'application/graphql-response+json' },
  },
  {
    name: 'accept: application/graphql-response+json, application/json;q=0.9',
    lean: true,
    body: { query: '{ __typename }' },
    headers: { accept: 'application/graphql-response+json, application/json;q=0.9' },
  },
  { name: 'accept: */*', lean: true, body: { query: '{ __typename }' }, headers: { accept: '*/*' } },
  { name: 'accept: application/json', lean: true, body: { query: '{ __typename }' }, headers: { accept: 'application/json' } },
  { name: 'an empty accept', lean: true, body: { query: '{ __typename }' }, headers: { accept: '' } },
  {
    name: 'accept: application/graphql-response+json, application/json',
    lean: true,
    body: { query: '{ __typename }' },
    headers: { accept: 'application/graphql-response+json, application/json' },
  },
  { name: 'an unacceptable accept', lean: false, body: { query: '{ __typename }' }, headers: { accept: 'text/html' } },
  { name: 'an unusual accept', lean: false, body: { query: '{ __typename }' }, headers: { accept: 'application/json, text/plain, */*' } },
];
/** Introspection: refused in production (Apollo's NoIntrospection), served in development. */
const INTROSPECTION = { query: '{ __schema { queryType { name } } __type(name: "Cooperative") { name } }' };

/** Headers that differ between any two responses. */
const VOLATILE = new Set(['date', 'connection', 'keep-alive']);

let primary: TestSubgraph;
const servers: { production: SubgraphServer[]; development: SubgraphServer[] } = { production: [], development: [] };
const urls = new Map<SubgraphServer, string>();

beforeAll(async () => {
  primary = await startTestSubgraph(cooperatives);
  const gatewayKey = (await testSigningKeys()).publicKey;
  // The primary subgraph closes the database they share.
  const db = { ...primary.server.db, close: async () => {} };
  const environment = process.env.NODE_ENV;
  try {
    for (const mode of ['production', 'development'] as const) {
      process.env.NODE_ENV = mode; // read when the server is built (Apollo's introspection)
      for (const fastPath of [true, false]) {
        const server = await createSubgraphServer(cooperatives, db, { gatewayKey, fastPath });
        urls.set(server, await server.listen(0));
        servers[mode].push(server);
      }
    }
  } finally {
    process.env.NODE_ENV = environment;
  }
});

afterAll(async () => {
  for (const server of [...servers.production, ...servers.development]) await server.stop();
  await primary?.stop();
});

async function send(server: SubgraphServer, c: Case) {
  const keys = await testSigningKeys();
  const caller = c.caller === undefined ? ADMIN : c.caller;
  const headers: Record<string, string> = {
    'x-request-id': 'fast-path-test',
    ...(c.method === 'GET' ? {} : { 'content-type': 'application/json' }),
    ...(caller ? { [CALLER_HEADER]: await signCaller(caller, keys.privateKey) } : {}),
    ...c.headers,
  };
  const res = await fetch(`${urls.get(server)}${c.search ?? ''}`, {
    method: c.method ?? 'POST',
    headers,
    body: c.method === 'GET' ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
  });
  const kept = [...res.headers].filter(([name]) => !VOLATILE.has(name));
  return { status: res.status, headers: Object.fromEntries(kept), body: await res.text() };
}

const taken = async (server: SubgraphServer) => sampleValue(await server.metrics.render(), 'kopdes_subgraph_fast_path_total') ?? 0;
const errorCounts = async (server: SubgraphServer) =>
  (await server.metrics.render())
    .split('\n')
    .filter((line) => line.startsWith('kopdes_subgraph_errors_total'))
    .sort();

describe('the lean path answers as Apollo Server does', () => {
  for (const mode of ['production', 'development'] as const) {
    const corpus = [...CORPUS, { name: 'introspection', lean: mode === 'development', body: INTROSPECTION }];
    for (const c of corpus) {
      it(`${mode}: ${c.name} (${c.lean ? 'lean path' : 'Apollo'})`, async () => {
        const [lean, apollo] = servers[mode] as [SubgraphServer, SubgraphServer];
        const before = await taken(lean);
        const expected = await send(apollo, c);
        expect(await send(lean, c)).toEqual(expected);
        // A document the lean path takes runs on graphql-js the first time, compiled from the second.
        if (c.lean) expect(await send(lean, c)).toEqual(await send(apollo, c));
        expect((await taken(lean)) - before).toBe(c.lean ? 2 : 0);
        expect(await taken(apollo)).toBe(0);
      });
    }
    it(`${mode}: counts the same errors by code`, async () => {
      const [lean, apollo] = servers[mode] as [SubgraphServer, SubgraphServer];
      const counted = await errorCounts(lean);
      expect(counted.length).toBeGreaterThan(3);
      expect(counted).toEqual(await errorCounts(apollo));
    });
  }

  it('answers the corpus with what each case is about', async () => {
    const [lean] = servers.production as [SubgraphServer];
    const answer = async (name: string) =>
      send(
        lean,
        [...CORPUS, { name: 'introspection', lean: false, body: INTROSPECTION }].find((c) => c.name === name)!,
      );
    expect(JSON.parse((await answer('a plain query')).body).data.cooperative.id).toBe(COOP);
    expect((await answer('a field error with a code (a bad argument)')).body).toContain('"code":"BAD_USER_INPUT"');
    expect((await answer('an internal error, masked (an unknown entity type)')).body).toContain('Internal error in this subgraph; it has been logged.');
    expect((await answer('a mutation (left to Apollo)')).body).toContain('"code":"NOT_FOUND"');
    expect((await answer('an access denial (public caller)')).body).toContain('"code":"FORBIDDEN"');
    expect((await answer('a variable coercion error')).status).toBe(400);
    expect((await answer('a parse error')).body).toContain('GRAPHQL_PARSE_FAILED');
    expect((await answer('introspection')).body).toContain('GraphQL introspection is not allowed');
    expect((await answer('accept: */*')).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await answer('accept: application/graphql-response+json')).headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
  });
});
