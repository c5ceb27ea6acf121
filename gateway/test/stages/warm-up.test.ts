import { describe, expect, it } from 'vitest';
import type { RegisteredOperation } from '../../src/operations';
import type { Parsed } from '../../src/pipeline';
import { readyReport } from '../../src/readiness';
import { warmUp } from '../../src/warm-up';
import { executed } from './fakes';

const op = (name: string, document: string): RegisteredOperation => ({ id: name, name, title: name, document });

describe('warm-up', () => {
  it('waits for the subgraphs, then runs each registered query once as the public, the way the dashboard sends it', async () => {
    const ran: Parsed[] = [];
    let probes = 0;
    const warm = warmUp({
      registered: [
        op('provinces', 'query Provinces { provinces { code } }'),
        op('write', 'mutation W { w }'),
        op('coop', 'query C { cooperative(id: "1") { id } }'),
      ],
      run: async (state) => {
        ran.push(state);
        return state.declared[0] === 'C' ? { ...executed({}), cache: 'miss', stored: false } : { ...executed({}), cache: 'miss', stored: true };
      },
      tokenFor: async (caller) => `signed:${caller.subject}`,
      allUp: async () => ++probes >= 3,
      stopping: () => false,
      pause: async () => {},
    });
    expect(warm.status.status).toBe('off');
    await warm.start();
    expect(probes).toBe(3);
    expect(ran.map((s) => s.declared)).toEqual([['Provinces'], ['C']]); // mutations are never run
    expect(ran[0]).toMatchObject({
      caller: { role: 'public' },
      request: { method: 'POST', body: { query: 'query Provinces { provinces { code } }', operationName: 'Provinces' } },
    });
    expect(ran[0]!.request.headers.get('accept')).toBe('application/json');
    expect(await ran[0]!.callerToken()).toBe('signed:gateway-warm-up');
    expect(warm.status).toMatchObject({ status: 'done', operations: 2, cached: 1 });
  });
});

describe('readiness', () => {
  it('reports degraded with the subgraphs that are down named', () => {
    expect(
      readyReport(
        [
          { name: 'energy', url: 'http://e', status: 'down', error: 'ECONNREFUSED' },
          { name: 'regions', url: 'http://r', status: 'up', latencyMs: 3 },
        ],
        { warmUp: { status: 'off' } },
      ),
    ).toEqual({
      status: 'degraded',
      warmUp: { status: 'off' },
      subgraphs: { energy: { url: 'http://e', status: 'down', error: 'ECONNREFUSED' }, regions: { url: 'http://r', status: 'up', latencyMs: 3 } },
      message: 'Serving partial data: energy is down; their fields come back null with an error naming them.',
    });
    expect(readyReport([], {}).status).toBe('ready');
  });
});
