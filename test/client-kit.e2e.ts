import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { ANALYST } from '@kopdes/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CooperativeProfileDocument, DashboardDevelopmentDocument, DashboardRegionsDocument } from '../schema/client/graphql';
import { typePolicies } from '../schema/client/type-policies';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * The typed client kit as a front-end team uses it: Apollo Client, the generated documents
 * (schema/client) and the generated type policies, through the real gateway. Two different queries
 * reach province 35 and the cache holds it once, as `Province:{"code":"35"}`, with both queries' fields.
 */
const EAST_JAVA = 'Province:{"code":"35"}';
const COOPERATIVE = 'KDMP-35.14.01.2001';
let platform: TestPlatform;
let authorization: string;

beforeAll(async () => {
  platform = await startPlatform();
  authorization = await bearer(ANALYST);
});
afterAll(async () => {
  await platform?.stop();
});

const client = (policies: typeof typePolicies | Record<string, never>) =>
  new ApolloClient({
    link: new HttpLink({ uri: `${platform.url}/graphql`, headers: { authorization } }),
    cache: new InMemoryCache({ typePolicies: policies }),
  });

describe('Apollo Client with the generated type policies', () => {
  it('normalises province 35 once, updated by two different queries, and shared with a third', async () => {
    const apollo = client(typePolicies);
    const regions = await apollo.query({ query: DashboardRegionsDocument });
    expect(regions.error).toBeUndefined();
    const development = await apollo.query({ query: DashboardDevelopmentDocument });
    expect(development.error).toBeUndefined();
    const cache = apollo.cache.extract() as Record<string, Record<string, unknown>>;
    const provinces = Object.keys(cache).filter((k) => k.startsWith('Province:'));
    expect(provinces).toHaveLength(regions.data!.provinces.length);
    expect(provinces.filter((k) => k === EAST_JAVA)).toHaveLength(1);
    const eastJava = cache[EAST_JAVA]!;
    // The first query's fields and the second's, on one object.
    expect(eastJava).toMatchObject({
      __typename: 'Province',
      code: '35',
      name: 'Jawa Timur',
      regionCounts: expect.objectContaining({ villages: expect.any(Number) }),
    });
    expect(eastJava.development).toEqual(expect.objectContaining({ year: expect.any(Number) }));
    // Both lists hold references to it, not copies.
    expect(cache.ROOT_QUERY!.provinces).toContainEqual({ __ref: EAST_JAVA });

    // A third query reaching the province through a cooperative's village shares the same object.
    const profile = await apollo.query({ query: CooperativeProfileDocument, variables: { id: COOPERATIVE } });
    expect(profile.error).toBeUndefined();
    expect(profile.data!.cooperative!.village.province).toEqual({ __typename: 'Province', code: '35', name: 'Jawa Timur' });
    const after = apollo.cache.extract() as Record<string, Record<string, unknown>>;
    expect(after[`Village:{"code":"35.14.01.2001"}`]?.province).toEqual({ __ref: EAST_JAVA });
    expect(after[EAST_JAVA]!.development).toEqual(eastJava.development); // still holds the second query's fields
    // Typed: the generated documents give Rupiah as a string.
    const outstanding: string | undefined = profile.data!.cooperative!.financing?.outstanding;
    expect(typeof outstanding).toBe('string');
  });

  it('without the type policies the cache cannot normalise a province (the control)', async () => {
    const apollo = client({});
    await apollo.query({ query: DashboardRegionsDocument });
    const cache = apollo.cache.extract() as Record<string, unknown>;
    expect(Object.keys(cache).filter((k) => k.startsWith('Province:'))).toEqual([]);
  });
});
