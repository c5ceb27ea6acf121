import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { ANALYST } from '@kopdes/kit/testing';
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * Introspection through the gateway: a caller without a token sees the public contract
 * (schema/contracts/public.graphql), an analyst the whole graph; hidden fields still answer the
 * public with the subgraphs' clear FORBIDDEN, not "no such field".
 */
let platform: TestPlatform;
let analyst: Record<string, string>;
const committed = (name: string) => readFileSync(path.join(repoRoot, 'schema/contracts', name), 'utf8');

beforeAll(async () => {
  platform = await startPlatform();
  analyst = { authorization: await bearer(ANALYST) };
});
afterAll(async () => {
  await platform?.stop();
});

const introspect = async (headers: Record<string, string> = {}) => {
  const { status, body } = await platform.query<IntrospectionQuery>(getIntrospectionQuery({ descriptions: true }), undefined, headers);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return printSchema(buildClientSchema(body.data!)).trimEnd() + '\n';
};

const TYPE = `query ($name: String!) { __type(name: $name) { name fields { name } } }`;
type TypeAnswer = { __type: { name: string; fields: { name: string }[] } | null };

describe('introspection by role', () => {
  it('the public introspects exactly the committed public contract', async () => {
    const schema = await introspect();
    expect(schema).toBe(committed('public.graphql'));
    for (const hidden of ['type Cooperative ', 'type BoardMember ', 'nik:', 'revisedBy:', 'mutation', 'type Mutation']) expect(schema).not.toContain(hidden);
  });

  it('an analyst introspects the whole graph (the committed full schema)', async () => {
    const schema = await introspect(analyst);
    expect(schema).toBe(committed('full.graphql'));
    for (const shown of ['type Cooperative ', 'type BoardMember ', 'nik:', 'revisedBy:', 'type Mutation']) expect(schema).toContain(shown);
  });

  it('__type: hidden types are null for the public, and hidden fields are left out', async () => {
    const cooperative = await platform.query<TypeAnswer>(TYPE, { name: 'Cooperative' });
    expect(cooperative.body).toEqual({ data: { __type: null } });
    const village = await platform.query<TypeAnswer>(TYPE, { name: 'Village' });
    const names = village.body.data!.__type!.fields.map((f) => f.name);
    expect(names).toContain('developmentStatus');
    expect(names).not.toContain('cooperatives');
    expect(names).not.toContain('connectivity');
    const seen = await platform.query<TypeAnswer>(TYPE, { name: 'Village' }, analyst);
    expect(seen.body.data!.__type!.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['cooperatives', 'connectivity', 'developmentStatus']));
  });

  it('a public query of a hidden field still gets the clear refusal', async () => {
    const { body } = await platform.query('{ village(code: "35.14.01.2001") { name cooperatives { name } } }');
    expect(body.data).toEqual({ village: { name: expect.any(String), cooperatives: null } });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('needs a signed-in analyst, officer or admin; send a bearer token'),
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    ]);
  });

  it('the public cannot mix introspection with data fields, and is told why', async () => {
    const { status, body } = await platform.query('{ __schema { queryType { name } } provinces { code } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/introspection .* in an operation of its own/);
  });
});
