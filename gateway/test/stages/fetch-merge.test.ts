import type { Caller } from '@kopdes/kit';
import { describe, expect, it } from 'vitest';
import { mergeInFlight, sameJson } from '../../src/fetch-merge';
import { chainFetch, type SubgraphFetch, type SubgraphResponse } from '../../src/fetch-stages';
import { subgraphFetch } from './fakes';

const ANALYST: Caller = { subject: 'ana', role: 'analyst' };

function fetchOf(
  caller: Caller,
  options: { query?: string; variables?: Record<string, unknown>; write?: boolean; personal?: boolean; subgraph?: string } = {},
): SubgraphFetch {
  return subgraphFetch(caller, { ...options, query: options.query ?? 'query($id:ID!){loan(id:$id){amount}}', variables: options.variables ?? { id: '1' } });
}

/**
 * A subgraph that holds each answer until `release()`, answering with who asked (the caller the
 * stage let through), so an answer that crossed callers shows in the data.
 */
function heldSubgraph(personalHeader = false) {
  const sent: SubgraphFetch[] = [];
  const waiting: (() => void)[] = [];
  const send = async (fetch: SubgraphFetch): Promise<SubgraphResponse> => {
    sent.push(fetch);
    await new Promise<void>((resolve) => waiting.push(resolve));
    const caller = fetch.options.context!.caller;
    const headers = new Headers(personalHeader ? { 'x-kopdes-personal-data': 'Person' } : {});
    return {
      data: { seenBy: { role: caller.role, ministry: caller.ministry ?? null, purpose: caller.purpose ?? null, subject: caller.subject } },
      http: { headers, status: 200 },
    } as SubgraphResponse;
  };
  return { sent, send, release: () => waiting.splice(0).forEach((go) => go()) };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function counting() {
  const counts = { executed: 0, merged: 0 };
  return {
    counts,
    counters: {
      executed: () => {
        counts.executed += 1;
      },
      merged: () => {
        counts.merged += 1;
      },
    },
  };
}

describe('merging identical subgraph fetches in flight', () => {
  it('sends one fetch for identical reads of one caller class, each request getting its own copy', async () => {
    const subgraph = heldSubgraph();
    const { counts, counters } = counting();
    const run = chainFetch([mergeInFlight(counters)], subgraph.send);
    const answers = [run(fetchOf(ANALYST)), run(fetchOf({ subject: 'budi', role: 'analyst' })), run(fetchOf(ANALYST))];
    await flush();
    subgraph.release();
    const [a, b, c] = await Promise.all(answers);
    expect(subgraph.sent).toHaveLength(1);
    expect(counts).toEqual({ executed: 1, merged: 2 });
    expect([b!.data, c!.data]).toEqual([a!.data, a!.data]);
    // The executor merges later fetches into what it receives: no two requests hold the same objects.
    expect(b!.data).not.toBe(a!.data);
    expect(c!.data).not.toBe(b!.data);
  });

  it('never merges across roles, ministries or purposes, nor different variables or subgraphs', async () => {
    const subgraph = heldSubgraph();
    const { counts, counters } = counting();
    const run = chainFetch([mergeInFlight(counters)], subgraph.send);
    const callers: Caller[] = [
      { subject: 'p', role: 'public' },
      ANALYST,
      { subject: 'o1', role: 'officer', ministry: 'financing' },
      { subject: 'o2', role: 'officer', ministry: 'energy' },
      { subject: 'o3', role: 'officer', ministry: 'financing', purpose: 'audit' },
      { subject: 'o4', role: 'officer', ministry: 'financing', purpose: 'social-aid' },
      { subject: 'adm', role: 'admin' },
    ];
    const answers = callers.map((caller) => run(fetchOf(caller)));
    answers.push(run(fetchOf(ANALYST, { variables: { id: '2' } })), run(fetchOf(ANALYST, { subgraph: 'energy' })));
    await flush();
    subgraph.release();
    const results = await Promise.all(answers);
    expect(subgraph.sent).toHaveLength(callers.length + 2);
    expect(counts).toEqual({ executed: callers.length + 2, merged: 0 });
    callers.forEach((caller, i) =>
      expect(results[i]!.data).toEqual({
        seenBy: { role: caller.role, ministry: caller.ministry ?? null, purpose: caller.purpose ?? null, subject: caller.subject },
      }),
    );
  });

  it('never merges writes or reads that select personal fields', async () => {
    const subgraph = heldSubgraph();
    const { counts, counters } = counting();
    const run = chainFetch([mergeInFlight(counters)], subgraph.send);
    const answers = [
      run(fetchOf(ANALYST, { write: true })),
      run(fetchOf(ANALYST, { write: true })),
      run(fetchOf(ANALYST, { personal: true })),
      run(fetchOf(ANALYST, { personal: true })),
    ];
    await flush();
    subgraph.release();
    await Promise.all(answers);
    expect(subgraph.sent).toHaveLength(4);
    expect(counts).toEqual({ executed: 0, merged: 0 });
  });

  it('does not pass on an answer the subgraph flags as personal: each waiting request asks itself', async () => {
    const subgraph = heldSubgraph(true);
    const { counts, counters } = counting();
    const run = chainFetch([mergeInFlight(counters)], subgraph.send);
    const first = run(fetchOf(ANALYST));
    const second = run(fetchOf({ subject: 'budi', role: 'analyst' }));
    await flush();
    subgraph.release(); // the leader's answer: personal
    await first;
    await flush();
    subgraph.release(); // the follower's own fetch
    const answer = await second;
    expect(subgraph.sent.map((f) => f.options.context!.caller.subject)).toEqual(['ana', 'budi']);
    expect((answer.data as { seenBy: { subject: string } }).seenBy.subject).toBe('budi');
    expect(counts).toEqual({ executed: 2, merged: 0 });
  });

  it('passes a failure on to the waiting requests, and the next read is sent afresh', async () => {
    let calls = 0;
    const { counts, counters } = counting();
    let fail!: (error: Error) => void;
    const run = chainFetch([mergeInFlight(counters)], () => {
      calls += 1;
      return calls === 1
        ? new Promise<SubgraphResponse>((_, reject) => {
            fail = reject;
          })
        : Promise.resolve({ data: { ok: true } });
    });
    const answers = [run(fetchOf(ANALYST)), run(fetchOf(ANALYST))].map((p) =>
      p.then(
        () => 'answered',
        (e: Error) => e.message,
      ),
    );
    await flush();
    fail(new Error('ECONNREFUSED'));
    expect(await Promise.all(answers)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    expect((await run(fetchOf(ANALYST))).data).toEqual({ ok: true });
    expect([calls, counts]).toEqual([2, { executed: 2, merged: 1 }]);
  });

  it('tells fetches of one operation apart by their variables, whatever their key order', async () => {
    const subgraph = heldSubgraph();
    const { counts, counters } = counting();
    const run = chainFetch([mergeInFlight(counters)], subgraph.send);
    const reps = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Cooperative', id })) });
    const answers = [
      run(fetchOf(ANALYST, { variables: reps('a', 'b') })),
      run(fetchOf(ANALYST, { variables: reps('a', 'c') })), // differs in its last representation
      run(
        fetchOf(ANALYST, {
          variables: {
            representations: [
              { id: 'a', __typename: 'Cooperative' },
              { id: 'b', __typename: 'Cooperative' },
            ],
          },
        }),
      ),
      run(fetchOf(ANALYST, { variables: reps('a') })),
    ];
    await flush();
    subgraph.release();
    await Promise.all(answers);
    expect(subgraph.sent.map((f) => f.options.request.variables)).toEqual([reps('a', 'b'), reps('a', 'c'), reps('a')]);
    expect(counts).toEqual({ executed: 3, merged: 1 });
  });
});

describe('sameJson', () => {
  it('is JSON equality, key order aside', () => {
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameJson(null, null)).toBe(true);
    for (const [a, b] of [
      [{ a: 1 }, { a: '1' }],
      [{ a: [1, 2] }, { a: [1, 2, 3] }],
      [{ a: [] }, { a: {} }],
      [{ a: {} }, { a: [] }],
      [{ a: 1 }, { a: 1, b: 2 }],
      [
        { a: 1, b: undefined },
        { a: 1, c: undefined },
      ],
      [{ a: null }, { a: {} }],
      [{ a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }],
    ] as const)
      expect(sameJson(a, b)).toBe(false);
  });
});
