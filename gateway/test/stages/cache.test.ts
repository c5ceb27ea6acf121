import { describe, expect, it } from 'vitest';
import type { Outcome, Parsed } from '../../src/pipeline';
import { ResponseCache } from '../../src/response-cache';
import { cacheKey, responseCache, reusable } from '../../src/stages/cache';
import { executed, parsed } from './fakes';

const ANALYST = { subject: 'ana', role: 'analyst' } as const;

function stage() {
  const cache = new ResponseCache({ enabled: true, ttlMs: 60_000, maxBytes: 1 << 20, maxEntryBytes: 1 << 16 });
  const counts: Record<string, number> = {};
  const metrics = {
    responseCache: {
      inc: ({ outcome }: { outcome: string }) => {
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      },
    },
  };
  return { cache, counts, run: responseCache(cache, metrics as never) };
}

/** The inner stages, counted: each execution answers with its number. */
function executions(answer: (n: number) => Outcome = (n) => executed({ data: { n } }, { subgraphsRead: new Set(['regions']) })) {
  const seen = { n: 0 };
  return { seen, next: async (_state: Parsed) => answer(++seen.n) };
}

describe('cache keys', () => {
  const key = (body: unknown, headers: Record<string, string> = {}, caller = ANALYST as Parsed['caller']) =>
    cacheKey(caller, parsed(body, { caller, headers }).request);

  it('are per class of caller, per accept header as sent, and per document, name, variables and extensions', () => {
    const base = key({ query: '{ a }' });
    expect(base).toBeDefined();
    expect(key({ query: '{ a }' })).toBe(base);
    expect(key({ query: '{ a }' }, {}, { subject: 'other', role: 'analyst' })).toBe(base); // same role, same view
    expect(key({ query: '{ a }' }, {}, { subject: 'x', role: 'public' })).not.toBe(base);
    expect(key({ query: '{ a }' }, {}, { subject: 'o', role: 'officer', ministry: 'energy' })).not.toBe(
      key({ query: '{ a }' }, {}, { subject: 'o', role: 'officer', ministry: 'labour' }),
    );
    expect(key({ query: '{ a }' }, { accept: 'text/html' })).not.toBe(key({ query: '{ a }' }, { accept: 'application/json' }));
    for (const other of [
      { query: '{ b }' },
      { query: '{ a }', operationName: 'A' },
      { query: '{ a }', variables: { x: 1 } },
      { query: '{ a }', variables: [] },
      { query: '{ a }', extensions: { e: 1 } },
    ]) {
      expect(key(other)).not.toBe(base);
    }
  });

  it('treat absent, null and empty variables alike (as Apollo does), and leave batches and GETs out', () => {
    const base = key({ query: '{ a }' });
    expect(key({ query: '{ a }', variables: {}, extensions: null, operationName: null })).toBe(base);
    expect(key([{ query: '{ a }' }])).toBeUndefined();
    expect(key(undefined)).toBeUndefined();
  });
});

describe('reuse', () => {
  it('keeps only whole 200 answers to queries', () => {
    expect(reusable(executed({ data: {} }))).toBe(true);
    expect(reusable(executed({ data: {} }, { kinds: ['mutation'] }))).toBe(false);
    expect(reusable(executed({ data: null, errors: [{ message: 'x' }] }))).toBe(false);
    expect(reusable(executed({ data: {} }, { errors: 1 }))).toBe(false);
    expect(reusable(executed({ data: {} }, {}, 400))).toBe(false);
    expect(reusable(executed({ data: {} }, { uncacheable: true }))).toBe(false);
    expect(reusable({ ...executed({ data: {} }), execution: undefined })).toBe(false);
  });
});

describe('the cache stage', () => {
  it('answers a repeated query from the cache, marked, without running the stages after it', async () => {
    const { run, counts } = stage();
    const { seen, next } = executions();
    const first = await run(parsed({ query: '{ a }' }), next);
    const second = await run(parsed({ query: '{ a }' }), next);
    expect([first.cache, first.stored, second.cache, seen.n]).toEqual(['miss', true, 'hit', 1]);
    expect(second.answer.body).toBe(first.answer.body);
    expect(second.answer.headers['x-cache']).toBe('hit');
    expect(second.operations).toEqual(['Q']);
    expect(counts).toEqual({ miss: 1, hit: 1 });
    // no-cache: executed again, and its answer replaces the cached one.
    const fresh = await run(parsed({ query: '{ a }' }, { headers: { 'cache-control': 'no-cache' } }), next);
    expect([fresh.cache, fresh.answer.body]).toEqual(['miss', '{"data":{"n":2}}']);
    expect((await run(parsed({ query: '{ a }' }), next)).answer.body).toBe('{"data":{"n":2}}');
  });

  it('runs identical requests in flight once', async () => {
    const { run } = stage();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { seen, next } = executions();
    const slow = async (state: Parsed) => {
      await gate;
      return next(state);
    };
    const pending = [run(parsed({ query: '{ a }' }), slow), run(parsed({ query: '{ a }' }), slow)];
    release();
    const outcomes = await Promise.all(pending);
    expect(outcomes.map((o) => o.cache).sort()).toEqual(['miss', 'shared']);
    expect(seen.n).toBe(1);
  });

  it('drops answers read from a subgraph once a mutation wrote to it, batches included', async () => {
    const { run } = stage();
    const { seen, next } = executions();
    await run(parsed({ query: '{ a }' }), next);
    const write = async () => executed({ data: {} }, { kinds: ['mutation'], subgraphsWritten: new Set(['regions']) });
    const mutation = await run(parsed([{ query: 'mutation { m }' }]), write);
    expect(mutation.cache).toBeUndefined();
    expect((await run(parsed({ query: '{ a }' }), next)).cache).toBe('miss');
    expect(seen.n).toBe(2);
  });

  it('keeps no partial answer, and no refusal', async () => {
    const { run } = stage();
    const partial = executions(() => executed({ data: { a: null }, errors: [{ message: 'down' }] }, { errors: 1 }));
    await run(parsed({ query: '{ a }' }), partial.next);
    expect((await run(parsed({ query: '{ a }' }), partial.next)).cache).toBe('miss');
    expect(partial.seen.n).toBe(2);
  });
});

describe('response cache bound', () => {
  it('keeps at most maxBytes of bodies, dropping the least recently used first, and never one larger than maxEntryBytes', () => {
    const cache = new ResponseCache({ enabled: true, ttlMs: 60_000, maxBytes: 30, maxEntryBytes: 20 });
    const answer = (body: string) => ({ status: 200, headers: {}, body, operations: [] });
    const snapshot = cache.snapshot();
    expect(cache.set('a', answer('x'.repeat(10)), [], snapshot)).toBe(true);
    expect(cache.set('b', answer('y'.repeat(10)), [], snapshot)).toBe(true);
    expect(cache.get('a')?.body).toBe('x'.repeat(10)); // a is now the most recently used
    expect(cache.set('c', answer('z'.repeat(15)), [], snapshot)).toBe(true);
    expect([cache.get('a')?.body.length, cache.get('b'), cache.get('c')?.body.length]).toEqual([10, undefined, 15]);
    expect(cache.size()).toEqual({ entries: 2, bytes: 25 });
    expect(cache.set('d', answer('w'.repeat(21)), [], snapshot)).toBe(false);
    expect(cache.size().entries).toBe(2);
  });
});
