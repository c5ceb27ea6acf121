import { ApolloServer, type GraphQLRequest } from '@apollo/server';
import { buildSchema } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config';
import { operationId, type RegisteredOperation } from '../src/operations';
import { NOT_IN_LIST, persistedDocuments, safelistPlugin } from '../src/persisted';

const schema = buildSchema('type Query { greeting(name: String!): String! secret: String! }');
const rootValue = { greeting: ({ name }: { name: string }) => `Halo, ${name}`, secret: () => 'only ad hoc' };

const GREETING = 'query Greeting($name: String!) {\n  greeting(name: $name)\n}';
const registered: RegisteredOperation[] = [{ id: operationId(GREETING), name: 'greeting', title: 'Greeting', document: GREETING }];
const AD_HOC = '{ secret }';

const servers: ApolloServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function gateway(mode: { persistedOperationsOnly: boolean; introspection: boolean }) {
  const server = new ApolloServer({
    schema,
    rootValue,
    introspection: mode.introspection,
    persistedQueries: persistedDocuments(registered, mode),
    plugins: [safelistPlugin(registered, mode)],
  });
  await server.start();
  servers.push(server);
  return async (request: GraphQLRequest) => {
    const { http, body } = await server.executeOperation(request);
    if (body.kind !== 'single') throw new Error('expected a single result');
    return { status: http.status ?? 200, ...body.singleResult };
  };
}

const byHash = (sha256Hash: string, variables?: Record<string, unknown>): GraphQLRequest => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash } },
});
const refused = { status: 400, errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: NOT_IN_LIST }) })] };

describe('PERSISTED_OPERATIONS_ONLY', () => {
  it('is off by default; on, it also turns introspection off unless INTROSPECTION=true', () => {
    expect(configFromEnv({})).toMatchObject({ persistedOperationsOnly: false, introspection: true });
    expect(configFromEnv({ PERSISTED_OPERATIONS_ONLY: 'true' })).toMatchObject({ persistedOperationsOnly: true, introspection: false });
    expect(configFromEnv({ PERSISTED_OPERATIONS_ONLY: 'true', INTROSPECTION: 'true' }).introspection).toBe(true);
  });
});

describe('persisted operations (default mode)', async () => {
  const run = await gateway({ persistedOperationsOnly: false, introspection: true });

  it('serves a registered operation by its id, as if it were sent in full', async () => {
    const inFull = await run({ query: GREETING, variables: { name: 'Desa' } });
    expect(inFull).toEqual({ status: 200, data: { greeting: 'Halo, Desa' } });
    expect(await run(byHash(registered[0]!.id, { name: 'Desa' }))).toEqual(inFull);
  });

  it("answers an unknown hash with Apollo's PERSISTED_QUERY_NOT_FOUND", async () => {
    const { errors } = await run(byHash(operationId('{ secret }  ')));
    expect(errors).toEqual([
      expect.objectContaining({ message: 'PersistedQueryNotFound', extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }) }),
    ]);
  });

  it('runs ad-hoc queries, and lets clients register them with APQ', async () => {
    expect(await run({ query: AD_HOC })).toEqual({ status: 200, data: { secret: 'only ad hoc' } });
    const id = operationId('query Mine { secret }');
    expect((await run(byHash(id))).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await run({ query: 'query Mine { secret }', ...byHash(id) })).toEqual({ status: 200, data: { secret: 'only ad hoc' } });
    expect(await run(byHash(id))).toEqual({ status: 200, data: { secret: 'only ad hoc' } });
  });
});

describe('safelist mode (PERSISTED_OPERATIONS_ONLY=true)', async () => {
  const run = await gateway({ persistedOperationsOnly: true, introspection: false });

  it('refuses an ad-hoc query, saying how to send a registered one and where they are listed', async () => {
    const answer = await run({ query: AD_HOC });
    expect(answer).toMatchObject(refused);
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.message).toMatch(
      /registered operations only \(PERSISTED_OPERATIONS_ONLY=true\).*sha256Hash.*GET \/operations\.json.*schema\/operations\//,
    );
  });

  it('runs a registered operation by id and in full; a changed copy of it is ad hoc', async () => {
    expect(await run(byHash(registered[0]!.id, { name: 'Desa' }))).toEqual({ status: 200, data: { greeting: 'Halo, Desa' } });
    expect(await run({ query: GREETING, variables: { name: 'Desa' } })).toEqual({ status: 200, data: { greeting: 'Halo, Desa' } });
    expect(await run({ query: `${GREETING}\n`, variables: { name: 'Desa' } })).toMatchObject(refused);
  });

  it('refuses APQ registration: the list stays as deployed', async () => {
    const id = operationId(AD_HOC);
    expect(await run({ query: AD_HOC, ...byHash(id) })).toMatchObject(refused);
    expect((await run(byHash(id))).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses introspection unless INTROSPECTION=true, and then only introspection, never registered by APQ', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    expect((await run({ query: introspection })).status).toBe(400);
    const open = await gateway({ persistedOperationsOnly: true, introspection: true });
    expect(await open({ query: introspection })).toEqual({ status: 200, data: { __schema: { queryType: { name: 'Query' } } } });
    expect(await open({ query: '{ __typename secret }' })).toMatchObject(refused);
    expect((await open({ query: introspection, ...byHash(operationId(introspection)) })).status).toBe(200);
    expect((await open(byHash(operationId(introspection)))).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
