import { describe, expect, it } from 'vitest';
import { chainFetch, forwardCaller, recordAccess, type SubgraphFetch } from '../../src/fetch-stages';
import { newExecution } from '../../src/pipeline';
import type { FetchContext } from '../../src/subgraph-source';

function fetchOf(write: boolean, context?: Partial<FetchContext>): SubgraphFetch {
  return {
    subgraph: 'energy',
    write,
    headers: new Headers(),
    options: {
      kind: 'incoming operation',
      request: { query: '{ a }' },
      context: context as FetchContext,
      incomingRequestContext: {} as never,
    } as SubgraphFetch['options'],
  };
}

const context = (): FetchContext => ({
  requestId: 'req-1',
  caller: { subject: 'ana', role: 'analyst' },
  callerToken: async () => 'signed-caller',
  trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', flags: '01' },
  tracestate: 'k=v',
  execution: newExecution(),
});

describe('subgraph fetch stages', () => {
  it('forward the request id, a new span of the trace and the signed caller', async () => {
    const fetch = fetchOf(false, context());
    await chainFetch([forwardCaller], async () => ({ data: {} }))(fetch);
    expect(Object.fromEntries(fetch.headers)).toMatchObject({ 'x-request-id': 'req-1', tracestate: 'k=v', 'x-kopdes-caller': 'signed-caller' });
    expect(fetch.headers.get('traceparent')).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(fetch.headers.get('traceparent')).not.toContain('b7ad6b7169203331');
    // Apollo's own fetches (health checks) carry no caller.
    const own = fetchOf(false);
    await chainFetch([forwardCaller], async () => ({ data: {} }))(own);
    expect([...own.headers]).toEqual([]);
  });

  it('record which subgraphs the execution read and wrote', async () => {
    const ctx = context();
    const send = chainFetch([recordAccess], async () => ({ data: {} }));
    await send(fetchOf(false, ctx));
    await send({ ...fetchOf(true, ctx), subgraph: 'financing' });
    expect([[...ctx.execution!.subgraphsRead], [...ctx.execution!.subgraphsWritten]]).toEqual([['energy'], ['financing']]);
  });

  it('run in order around the fetch, each able to answer without it', async () => {
    const order: string[] = [];
    const answer = await chainFetch(
      [
        async (f, next) => {
          order.push('outer');
          return next(f);
        },
        async () => {
          order.push('inner answers');
          return { data: { cached: true } };
        },
      ],
      async () => {
        order.push('sent');
        return { data: {} };
      },
    )(fetchOf(false, context()));
    expect([order, answer.data]).toEqual([['outer', 'inner answers'], { cached: true }]);
  });
});
