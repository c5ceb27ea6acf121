import { HeaderMap } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/apollo';
import { execute, type GraphQLExecutor } from '../../src/stages/execute';
import { parsed } from './fakes';

/** Apollo, faked: it reads the context like the real one and records into the execution as the plugin and fetch stages would. */
function fakeApollo(body: string, status?: number): { apollo: GraphQLExecutor; contexts: GatewayContext[] } {
  const contexts: GatewayContext[] = [];
  const apollo = {
    async executeHTTPGraphQLRequest({ context }: { context: () => Promise<GatewayContext> }) {
      const ctx = await context();
      contexts.push(ctx);
      ctx.execution.operations.push('Q');
      ctx.execution.kinds.push('query');
      ctx.execution.subgraphsRead.add('regions');
      return { status, headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]), body: { kind: 'complete' as const, string: body } };
    },
  } as unknown as GraphQLExecutor;
  return { apollo, contexts };
}

describe('execute', () => {
  it('runs the request as its caller and answers with what the execution recorded', async () => {
    const { apollo, contexts } = fakeApollo('{"data":{"a":1}}');
    const state = parsed({ query: '{ a }' }, { caller: { subject: 'ana', role: 'analyst' } });
    const outcome = await execute(apollo)(state);
    expect(outcome.answer).toEqual({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"data":{"a":1}}' });
    expect(outcome.operations).toEqual(['Q']);
    expect([...outcome.execution!.subgraphsRead]).toEqual(['regions']);
    expect(contexts[0]).toMatchObject({ requestId: 'test-request', caller: { role: 'analyst' } });
    expect(await contexts[0]!.callerToken()).toBe('signed:ana');
  });

  it('gives each execution a record of its own', async () => {
    const { apollo, contexts } = fakeApollo('{"data":{}}', 400);
    const run = execute(apollo);
    const [a, b] = [await run(parsed({ query: '{ a }' })), await run(parsed({ query: '{ a }' }))];
    expect(a.answer.status).toBe(400);
    expect(a.execution).not.toBe(b.execution);
    expect(contexts[0]!.execution).not.toBe(contexts[1]!.execution);
    expect(a.execution!.operations).toEqual(['Q']);
  });
});
