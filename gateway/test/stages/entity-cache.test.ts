import type { Caller } from '@kopdes/kit';
import { describe, expect, it } from 'vitest';
import { EntityCache, entityCacheStage } from '../../src/entity-cache';
import { chainFetch, type SubgraphFetch, type SubgraphResponse } from '../../src/fetch-stages';
import { ResponseCache } from '../../src/response-cache';
import { subgraphFetch } from './fakes';

const QUERY = 'query Q__financing__1($representations:[_Any!]!){_entities(representations:$representations){...on Cooperative{financing{outstanding}}}}';
const ANALYST: Caller = { subject: 'ana', role: 'analyst' };
const rep = (id: string) => ({ __typename: 'Cooperative', id });

function fetchOf(caller: Caller, ids: string[], options: { write?: boolean; personal?: boolean; subgraph?: string; query?: string } = {}): SubgraphFetch {
  return subgraphFetch(caller, { ...options, query: options.query ?? QUERY, variables: { representations: ids.map(rep) } });
}

/** A subgraph answering each representation with who asked and a version, recording what it was asked. */
function fakeSubgraph(options: { personal?: boolean; errorFor?: string } = {}) {
  const asked: string[][] = [];
  let version = 1;
  const send = async (fetch: SubgraphFetch): Promise<SubgraphResponse> => {
    if (fetch.write) return { data: { repay: true } };
    const reps = fetch.options.request.variables!.representations as { id: string }[];
    asked.push(reps.map((r) => r.id));
    const caller = fetch.options.context!.caller;
    const failed = reps.findIndex((r) => r.id === options.errorFor);
    return {
      data: {
        _entities: reps.map((r) =>
          r.id === options.errorFor ? null : { id: r.id, v: version, role: caller.role, ministry: caller.ministry ?? null, purpose: caller.purpose ?? null },
        ),
      },
      ...(failed >= 0 ? { errors: [{ message: 'boom', path: ['_entities', failed, 'financing'] }] } : {}),
      http: { headers: new Headers(options.personal ? { 'x-kopdes-personal-data': 'Person' } : {}), status: 200 },
    } as SubgraphResponse;
  };
  return {
    asked,
    send,
    bump: () => {
      version += 1;
    },
  };
}

const config = { enabled: true, maxBytes: 1024 * 1024, ttlMs: 60_000 };
const entities = (response: SubgraphResponse) => (response.data as { _entities: unknown[] })._entities;

describe('entity cache for _entities fetches', () => {
  it('asks the subgraph only for the entities it does not hold, and answers in the fetch order', async () => {
    const cache = new EntityCache(config);
    const subgraph = fakeSubgraph();
    const run = chainFetch([entityCacheStage(cache)], subgraph.send);
    await run(fetchOf(ANALYST, ['2', '4']));
    const answer = await run(fetchOf(ANALYST, ['1', '2', '3', '4', '5']));
    expect(subgraph.asked).toEqual([
      ['2', '4'],
      ['1', '3', '5'],
    ]);
    expect(entities(answer).map((e) => (e as { id: string }).id)).toEqual(['1', '2', '3', '4', '5']);
    const all = await run(fetchOf(ANALYST, ['5', '4', '3', '2', '1']));
    expect(subgraph.asked).toHaveLength(2); // every entity from the cache
    expect(entities(all).map((e) => (e as { id: string }).id)).toEqual(['5', '4', '3', '2', '1']);
    expect(cache.stats).toMatchObject({ hits: 2 + 5, misses: 2 + 3 });
    // Each answer gets its own objects (the executor merges into them).
    const again = await run(fetchOf(ANALYST, ['1']));
    expect(entities(again)[0]).not.toBe(entities(all)[4]);
    expect(entities(again)[0]).toEqual(entities(all)[4]);
  });

  it('never shares entities between caller classes (role, ministry, purpose) or selections', async () => {
    const cache = new EntityCache(config);
    const subgraph = fakeSubgraph();
    const run = chainFetch([entityCacheStage(cache)], subgraph.send);
    const callers: Caller[] = [
      { subject: 'p', role: 'public' },
      ANALYST,
      { subject: 'ana2', role: 'analyst' },
      { subject: 'o1', role: 'officer', ministry: 'financing' },
      { subject: 'o2', role: 'officer', ministry: 'energy' },
      { subject: 'o3', role: 'officer', ministry: 'financing', purpose: 'audit' },
      { subject: 'adm', role: 'admin' },
    ];
    for (const caller of callers) {
      const [entity] = entities(await run(fetchOf(caller, ['7'])));
      expect(entity).toMatchObject({ role: caller.role, ministry: caller.ministry ?? null, purpose: caller.purpose ?? null });
    }
    // Another analyst (same class) is served from the cache; every other class went to the subgraph.
    expect(subgraph.asked).toHaveLength(callers.length - 1);
    await run(fetchOf(ANALYST, ['7'], { query: QUERY.replace('outstanding', 'loans{status}') }));
    await run(fetchOf(ANALYST, ['7'], { subgraph: 'energy' }));
    expect(subgraph.asked).toHaveLength(callers.length + 1);
  });

  it('keeps nothing personal: not for reads selecting personal fields, nor answers the subgraph flags', async () => {
    const cache = new EntityCache(config);
    const flagged = fakeSubgraph({ personal: true });
    const run = chainFetch([entityCacheStage(cache)], flagged.send);
    await run(fetchOf(ANALYST, ['1']));
    await run(fetchOf(ANALYST, ['1']));
    await run(fetchOf(ANALYST, ['2'], { personal: true }));
    await run(fetchOf(ANALYST, ['2'], { personal: true }));
    expect(flagged.asked).toHaveLength(4);
    expect(cache.size().entries).toBe(0);
  });

  it('keeps nothing from an answer with errors, and renumbers error paths to the fetch order', async () => {
    const cache = new EntityCache(config);
    const ok = chainFetch([entityCacheStage(cache)], fakeSubgraph().send);
    await ok(fetchOf(ANALYST, ['1']));
    const failing = fakeSubgraph({ errorFor: '3' });
    const run = chainFetch([entityCacheStage(cache)], failing.send);
    const answer = await run(fetchOf(ANALYST, ['1', '2', '3']));
    expect(failing.asked).toEqual([['2', '3']]);
    expect(answer.errors?.[0]?.path).toEqual(['_entities', 2, 'financing']);
    expect(entities(answer).map((e) => (e as { id: string } | null)?.id ?? null)).toEqual(['1', '2', null]);
    expect(cache.size().entries).toBe(1);
  });

  it("drops a subgraph's entities on a write through the gateway, and on an invalidation the response cache hears of", async () => {
    const cache = new EntityCache(config);
    const subgraph = fakeSubgraph();
    const run = chainFetch([entityCacheStage(cache)], subgraph.send);
    const version = async () => (entities(await run(fetchOf(ANALYST, ['1'])))[0] as { v: number }).v;
    expect(await version()).toBe(1);
    subgraph.bump();
    expect(await version()).toBe(1); // cached
    await run({ ...fetchOf(ANALYST, []), write: true, options: { ...fetchOf(ANALYST, []).options, request: { query: 'mutation { repay }' } } });
    expect(await version()).toBe(2);

    // Another replica's write, as announced over Redis, reaches the entity cache through the response cache.
    const responses = new ResponseCache({ enabled: false, ttlMs: 1000, maxBytes: 1000, maxEntryBytes: 1000 });
    responses.onInvalidate((s) => (s === undefined ? cache.clear() : cache.invalidate(s)));
    subgraph.bump();
    responses.invalidate('energy', false);
    expect(await version()).toBe(2); // another subgraph's write changes nothing here
    responses.invalidate('financing', false);
    expect(await version()).toBe(3);
  });

  it('does not keep what a fetch read when a write to its subgraph happened meanwhile', async () => {
    const cache = new EntityCache(config);
    let release!: () => void;
    const subgraph = fakeSubgraph();
    const run = chainFetch([entityCacheStage(cache)], async (fetch) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return subgraph.send(fetch);
    });
    const reading = run(fetchOf(ANALYST, ['1']));
    await new Promise((resolve) => setImmediate(resolve));
    cache.invalidate('financing');
    release();
    await reading;
    expect(cache.size().entries).toBe(0);
  });

  it('stays within its size in bytes, evicting the least recently used', async () => {
    const evicted: number[] = [];
    const cache = new EntityCache({ ...config, maxBytes: 4_000 }, { hit: () => undefined, miss: () => undefined, evicted: () => evicted.push(1) });
    const run = chainFetch([entityCacheStage(cache)], fakeSubgraph().send);
    for (let i = 0; i < 100; i += 1) await run(fetchOf(ANALYST, [String(i)]));
    expect(cache.size().bytes).toBeLessThanOrEqual(4_000);
    expect(cache.size().entries).toBeGreaterThan(0);
    expect(cache.size().entries).toBeLessThan(100);
    expect(evicted.length).toBe(100 - cache.size().entries);
    expect(cache.stats.evictions).toBe(evicted.length);
  });

  it('passes other fetches through untouched', async () => {
    const cache = new EntityCache(config);
    const seen: SubgraphFetch[] = [];
    const run = chainFetch([entityCacheStage(cache)], async (fetch) => {
      seen.push(fetch);
      return { data: { loan: null } };
    });
    const plain = { ...fetchOf(ANALYST, []), options: { ...fetchOf(ANALYST, []).options, request: { query: '{ loan(id: "1") { amount } }' } } };
    await run(plain);
    await run(plain);
    expect(seen).toEqual([plain, plain]);
    expect(cache.stats).toMatchObject({ hits: 0, misses: 0 });
  });
});
