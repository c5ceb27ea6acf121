import type { Caller } from '@kopdes/kit';
import { describe, expect, it } from 'vitest';
import { batchEntities, MAX_BATCH_REPRESENTATIONS } from '../../src/entity-batch';
import { chainFetch, type SubgraphFetch, type SubgraphResponse } from '../../src/fetch-stages';
import { subgraphFetch } from './fakes';

const ENTITIES = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Cooperative{financing{outstanding}}}}';
const ANALYST: Caller = { subject: 'ana', role: 'analyst' };
const PUBLIC: Caller = { subject: 'anonymous', role: 'public' };

type Representation = { __typename: 'Cooperative'; id: string };
const rep = (id: string): Representation => ({ __typename: 'Cooperative', id });

function fetchOf(
  caller: Caller,
  ids: string[],
  options: { query?: string; write?: boolean; personal?: boolean; subgraph?: string; other?: Record<string, unknown> } = {},
): SubgraphFetch {
  const { other, ...rest } = options;
  return subgraphFetch(caller, { ...rest, query: options.query ?? ENTITIES, variables: { ...other, representations: ids.map(rep) } });
}

/**
 * A subgraph answering `_entities` with each entity's id and the role of the caller the stage let
 * through, so an answer that crossed callers shows in the data; `errorFor` ids get a field error.
 */
function subgraph(options: { errorFor?: string[]; personalHeader?: boolean; fail?: Error } = {}) {
  const sent: SubgraphFetch[] = [];
  const send = async (fetch: SubgraphFetch): Promise<SubgraphResponse> => {
    sent.push(fetch);
    await Promise.resolve();
    if (options.fail) throw options.fail;
    const representations = fetch.options.request.variables!.representations as Representation[];
    const role = fetch.options.context!.caller.role;
    const errors = representations.flatMap((r, i) =>
      options.errorFor?.includes(r.id) ? [{ message: `no financing for ${r.id}`, path: ['_entities', i, 'financing'] }] : [],
    );
    return {
      data: { _entities: representations.map((r) => ({ id: r.id, seenBy: role, financing: options.errorFor?.includes(r.id) ? null : { outstanding: r.id } })) },
      ...(errors.length ? { errors } : {}),
      http: { headers: new Headers(options.personalHeader ? { 'x-kopdes-personal-data': 'Cooperative' } : {}), status: 200 },
    } as SubgraphResponse;
  };
  return { sent, send };
}

function counting() {
  const batches: number[] = [];
  return { batches, counters: { sent: (_subgraph: string, members: number) => batches.push(members) } };
}

const entitiesOf = (response: SubgraphResponse) => (response.data as { _entities: { id: string; seenBy: string }[] })._entities;
const sentIds = (fetch: SubgraphFetch) => (fetch.options.request.variables!.representations as Representation[]).map((r) => r.id);

describe('batching _entities fetches of different requests', () => {
  it('sends the reads of one selection and caller class issued in the same turn as one fetch, each request getting its own entities in order', async () => {
    const target = subgraph();
    const { batches, counters } = counting();
    const run = chainFetch([batchEntities(counters)], target.send);
    const [a, b, c] = await Promise.all([
      run(fetchOf(ANALYST, ['1', '2'])),
      run(fetchOf({ subject: 'budi', role: 'analyst' }, ['3'])),
      run(fetchOf(ANALYST, ['2', '4'])),
    ]);
    expect(target.sent).toHaveLength(1);
    expect(sentIds(target.sent[0]!)).toEqual(['1', '2', '3', '2', '4']); // each request's in turn; the subgraph's loader reads 2 once
    expect(batches).toEqual([3]);
    expect(entitiesOf(a!).map((e) => e.id)).toEqual(['1', '2']);
    expect(entitiesOf(b!).map((e) => e.id)).toEqual(['3']);
    expect(entitiesOf(c!).map((e) => e.id)).toEqual(['2', '4']);
    // Each request holds its own objects: the executor merges later fetches into them.
    expect(entitiesOf(c!)[0]).not.toBe(entitiesOf(a!)[1]);
    entitiesOf(c!)[0]!.seenBy = 'changed by another request';
    expect(entitiesOf(a!)[1]!.seenBy).toBe('analyst');
  });

  it('never batches across caller classes, selections, subgraphs or other variables', async () => {
    const target = subgraph();
    const { counters } = counting();
    const run = chainFetch([batchEntities(counters)], target.send);
    const [analyst, publicCaller, energy, other] = await Promise.all([
      run(fetchOf(ANALYST, ['1'])),
      run(fetchOf(PUBLIC, ['2'])),
      run(fetchOf(ANALYST, ['3'], { subgraph: 'energy' })),
      run(fetchOf(ANALYST, ['4'], { other: { year: 2026 } })),
      run(fetchOf({ subject: 'mina', role: 'officer', ministry: 'energy' }, ['5'])),
    ]);
    expect(target.sent).toHaveLength(5);
    expect(entitiesOf(analyst!)[0]!.seenBy).toBe('analyst');
    expect(entitiesOf(publicCaller!)[0]!.seenBy).toBe('public');
    expect(entitiesOf(energy!).map((e) => e.id)).toEqual(['3']);
    expect(entitiesOf(other!).map((e) => e.id)).toEqual(['4']);
  });

  it('sends writes, personal reads and fetches other than _entities on their own, unbatched', async () => {
    const target = subgraph();
    const { batches, counters } = counting();
    const run = chainFetch([batchEntities(counters)], target.send);
    await Promise.all([
      run(fetchOf(ANALYST, ['1'], { personal: true })),
      run(fetchOf(ANALYST, ['2'], { personal: true })),
      run(fetchOf(ANALYST, ['3'], { write: true })),
      run(fetchOf(ANALYST, ['4'], { write: true })),
      run(fetchOf(ANALYST, [], { query: 'query{loans{id}}' })),
      run(fetchOf(ANALYST, [], { query: 'query{loans{id}}' })),
    ]);
    expect(target.sent).toHaveLength(6);
    expect(batches).toEqual([]); // the stage let them all pass
  });

  it('gives each request the errors about its own entities, paths in its numbering, and no other request’s', async () => {
    const target = subgraph({ errorFor: ['3', '4'] });
    const { counters } = counting();
    const run = chainFetch([batchEntities(counters)], target.send);
    const [a, b] = await Promise.all([run(fetchOf(ANALYST, ['1', '2'])), run(fetchOf(ANALYST, ['4', '3', '1']))]);
    expect(target.sent).toHaveLength(1);
    expect(a!.errors).toBeUndefined();
    expect(b!.errors).toEqual([
      { message: 'no financing for 4', path: ['_entities', 0, 'financing'] },
      { message: 'no financing for 3', path: ['_entities', 1, 'financing'] },
    ]);
  });

  it('does not split an answer the subgraph flags as personal: each request then asks on its own', async () => {
    const target = subgraph({ personalHeader: true });
    const { counters } = counting();
    const run = chainFetch([batchEntities(counters)], target.send);
    const [a, b] = await Promise.all([run(fetchOf(ANALYST, ['1'])), run(fetchOf({ subject: 'budi', role: 'analyst' }, ['2']))]);
    expect(target.sent.map(sentIds)).toEqual([['1', '2'], ['1'], ['2']]);
    expect(target.sent[1]!.options.context!.caller.subject).toBe('ana');
    expect(target.sent[2]!.options.context!.caller.subject).toBe('budi');
    expect(entitiesOf(a!).map((e) => e.id)).toEqual(['1']);
    expect(entitiesOf(b!).map((e) => e.id)).toEqual(['2']);
  });

  it('passes a failure of the batched fetch to every request in it', async () => {
    const target = subgraph({ fail: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const { counters } = counting();
    const run = chainFetch([batchEntities(counters)], target.send);
    const outcomes = await Promise.allSettled([run(fetchOf(ANALYST, ['1'])), run(fetchOf(ANALYST, ['2']))]);
    expect(target.sent).toHaveLength(1);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });

  it('starts another batch rather than grow one past MAX_BATCH_REPRESENTATIONS', async () => {
    const target = subgraph();
    const { batches, counters } = counting();
    const run = chainFetch([batchEntities(counters)], target.send);
    const page = (from: number) => Array.from({ length: MAX_BATCH_REPRESENTATIONS / 2 }, (_, i) => String(from + i));
    const answers = await Promise.all([run(fetchOf(ANALYST, page(0))), run(fetchOf(ANALYST, page(10_000))), run(fetchOf(ANALYST, page(20_000)))]);
    expect(target.sent.map((f) => sentIds(f).length)).toEqual([MAX_BATCH_REPRESENTATIONS, MAX_BATCH_REPRESENTATIONS / 2]);
    expect(batches).toEqual([2, 1]);
    expect(entitiesOf(answers[2]!)[0]!.id).toBe('20000');
  });

  it('sends a fetch alone, unchanged, when no other joins it in its turn', async () => {
    const target = subgraph();
    const { batches, counters } = counting();
    const run = chainFetch([batchEntities(counters)], target.send);
    const first = fetchOf(ANALYST, ['1']);
    await run(first);
    await run(fetchOf(ANALYST, ['2']));
    expect(target.sent).toEqual([first, expect.anything()]);
    expect(batches).toEqual([1, 1]);
  });
});
