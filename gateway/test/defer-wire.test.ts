import { HeaderMap } from '@apollo/server';
import { buildSchema, parse, print, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../src/apollo';
import { acceptsMultipart, clientLabels, hasDefer, withDefer, withoutDefer } from '../src/defer/directive';
import { multipart } from '../src/defer/multipart';
import type { SubsequentPayload } from '../src/defer/parts';
import { execute, type GraphQLExecutor } from '../src/stages/execute';
import { parsed } from './stages/fakes';

const collect = async (body: string | AsyncIterable<string>) => {
  if (typeof body === 'string') return body;
  let text = '';
  for await (const chunk of body) text += chunk;
  return text;
};

async function* payloads(...items: SubsequentPayload[]): AsyncIterable<SubsequentPayload> {
  yield* items;
}

describe('@defer directive', () => {
  it('is known to validation once added, with every other rule still applying', () => {
    const schema = buildSchema('type Query { a: A } type A { b: Int c: Int }');
    const document = parse('{ a { b ... @defer(label: "late") { c } } }');
    expect(validate(schema, document).map((e) => e.message)).toEqual(['Unknown directive "@defer".']);
    expect(validate(withDefer(schema), document)).toEqual([]);
    expect(validate(withDefer(schema), parse('{ a { ... @defer { d } } }')).map((e) => e.message)).toEqual([
      'Cannot query field "d" on type "A". Did you mean "b" or "c"?',
    ]);
    expect(validate(withDefer(schema), parse('{ a @stream { b } }')).map((e) => e.message)).toEqual(['Unknown directive "@stream".']);
  });

  it('is active unless its `if` is false, as a literal or a variable', () => {
    expect(hasDefer(parse('{ a { ... @defer { c } } }'))).toBe(true);
    expect(hasDefer(parse('{ a { ... @defer(if: false) { c } } }'))).toBe(false);
    expect(hasDefer(parse('query ($d: Boolean!) { a { ... @defer(if: $d) { c } } }'), { d: false })).toBe(false);
    expect(hasDefer(parse('query ($d: Boolean!) { a { ... @defer(if: $d) { c } } }'), { d: true })).toBe(true);
    expect(hasDefer(parse('{ a { b } }'))).toBe(false);
    const two = parse('query Plain { a { b } } query Later { a { ... @defer { c } } }');
    expect(hasDefer(two, {}, two.definitions[0] as never)).toBe(false);
    expect(hasDefer(two, {}, two.definitions[1] as never)).toBe(true);
  });

  it('shows only the labels the client wrote, and can be removed (for /export)', () => {
    expect([...clientLabels(parse('{ a { ... @defer(label: "x") { c } ... @defer { b } } }'))]).toEqual(['x']);
    expect(print(withoutDefer(parse('{ a { ... @defer(label: "x") { c } } }')))).toBe('{\n  a {\n    ... {\n      c\n    }\n  }\n}');
  });

  it('is delivered in parts only to clients that accept multipart/mixed in the 2022-08-24 format', () => {
    expect(acceptsMultipart('multipart/mixed;deferSpec=20220824,application/graphql-response+json,application/json;q=0.9')).toBe(true); // Apollo Client
    expect(acceptsMultipart('multipart/mixed, application/graphql-response+json, application/json')).toBe(true); // urql
    expect(acceptsMultipart('application/json')).toBe(false);
    expect(acceptsMultipart(undefined)).toBe(false);
    expect(acceptsMultipart('multipart/mixed; deferSpec=20230101')).toBe(false);
    expect(acceptsMultipart('multipart/mixed; q=0')).toBe(false);
  });
});

describe('multipart/mixed', () => {
  it('writes each payload as a JSON part, hasNext on each, and closes after the last', async () => {
    const text = await collect(multipart('{"data":{"a":{"b":1}}}', payloads({ incremental: [{ data: { c: 2 }, path: ['a'] }], hasNext: false })));
    expect(text).toBe(
      '\r\n---\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{"data":{"a":{"b":1}},"hasNext":true}\r\n---' +
        '\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{"incremental":[{"data":{"c":2},"path":["a"]}],"hasNext":false}\r\n-----\r\n',
    );
  });

  it('still ends the stream when no later part came', async () => {
    const text = await collect(multipart('{"data":{}}', payloads()));
    expect(text.endsWith('{"hasNext":false}\r\n-----\r\n')).toBe(true);
  });
});

describe('execute with deferred parts', () => {
  const apollo = (status: number, deferred: boolean) =>
    ({
      async executeHTTPGraphQLRequest({ context }: { context: () => Promise<GatewayContext> }) {
        const ctx = await context();
        if (deferred) ctx.execution.deferred = payloads({ incremental: [{ data: { c: 2 }, path: ['a'], label: 'late' }], hasNext: false });
        return {
          status,
          headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]),
          body: { kind: 'complete' as const, string: '{"data":{"a":{"b":1}}}' },
        };
      },
    }) as unknown as GraphQLExecutor;

  it("streams Apollo's answer as the first part and the later parts after it, never to be stored", async () => {
    const outcome = await execute(apollo(200, true))(parsed({ query: '{ a { b ... @defer(label: "late") { c } } }' }));
    expect(outcome.answer.headers).toMatchObject({ 'content-type': 'multipart/mixed; boundary="-"; deferSpec=20220824', 'cache-control': 'no-store' });
    const text = await collect(outcome.answer.body);
    expect(text).toContain('{"data":{"a":{"b":1}},"hasNext":true}');
    expect(text).toContain('{"incremental":[{"data":{"c":2},"path":["a"],"label":"late"}],"hasNext":false}');
  });

  it('answers whole when Apollo refused the request (no parts follow an error status)', async () => {
    const outcome = await execute(apollo(400, true))(parsed({ query: '{ a }' }));
    expect(outcome.answer.body).toBe('{"data":{"a":{"b":1}}}');
  });
});
