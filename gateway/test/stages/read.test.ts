import { describe, expect, it } from 'vitest';
import type { Parsed } from '../../src/pipeline';
import { readGraphql } from '../../src/stages/read';
import { executed, identified, type FakeRequest } from './fakes';

const read = readGraphql(100);

async function decided(request: FakeRequest, path = '/graphql') {
  let state: Parsed | undefined;
  const outcome = await read(identified(path, request), async (s) => {
    state = s;
    return executed({ data: {} });
  });
  return { state, outcome };
}

describe('read', () => {
  it('decides the GraphQL request of a JSON POST: body, operations, declared names', async () => {
    const { state, outcome } = await decided({
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '[{"query":"{a}","operationName":"A"},{"query":"{b}"}]',
    });
    expect(state).toMatchObject({
      request: { method: 'POST', search: '', body: [{ query: '{a}', operationName: 'A' }, { query: '{b}' }] },
      operations: 2,
      declared: ['A'],
    });
    expect(outcome.declared).toEqual(['A']);
  });

  it('passes a GET with a preflight header on with its search string', async () => {
    const { state } = await decided({ headers: { 'apollo-require-preflight': 'true' } }, '/graphql?query=%7Ba%7D');
    expect(state).toMatchObject({ request: { method: 'GET', search: '?query=%7Ba%7D', body: undefined }, operations: 1 });
  });

  it('refuses what a browser could send cross-site without a preflight, whatever the cache holds (CSRF)', async () => {
    for (const request of [
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{a}"}' },
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=1' },
      { method: 'POST', body: '{"query":"{a}"}' },
      { method: 'GET' },
    ]) {
      await expect(decided(request)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/Cross-Site Request Forgery/) });
    }
  });

  it('refuses a POST that is not JSON (415), another method (405), bad JSON (400) and a body over the limit (413)', async () => {
    await expect(decided({ method: 'POST', headers: { 'content-type': 'text/plain', 'apollo-require-preflight': '1' }, body: '{}' })).rejects.toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    await expect(decided({ method: 'PUT', headers: { 'content-type': 'application/json' } })).rejects.toMatchObject({
      status: 405,
      headers: { allow: 'GET, POST' },
    });
    await expect(decided({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' })).rejects.toMatchObject({
      status: 400,
      message: 'Request body is not valid JSON.',
    });
    await expect(decided({ method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(101) })).rejects.toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  });
});
