import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withDefer } from '../src/defer/directive';
import { moveInto, runPlan, type PlanRun } from '../src/defer/execute-plan';
import { represent } from '../src/defer/fetch';
import { deferredParts, type SubsequentPayload } from '../src/defer/parts';
import { DeferPlanner } from '../src/defer/planner';
import { parseSelection, shape } from '../src/defer/shape';

const sdl = readFileSync(path.join(import.meta.dirname, '../../schema/supergraph.graphql'), 'utf8');
const schema = withDefer(Supergraph.build(sdl).apiSchema().toGraphQLJSSchema());

type Answer = { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

/** Data sources that answer from a table and record each call; `hold` keeps a subgraph's answer until released. */
function fakeSources(answers: Record<string, Answer>, held: Set<string> = new Set()) {
  const calls: { subgraph: string; variables: Record<string, unknown> }[] = [];
  const waiting = new Map<string, () => void>();
  const sources = new Map(
    Object.entries(answers).map(([subgraph, answer]) => [
      subgraph,
      {
        async process(options: { request: { variables?: Record<string, unknown> } }) {
          calls.push({ subgraph, variables: options.request.variables ?? {} });
          if (held.has(subgraph)) await new Promise<void>((resolve) => waiting.set(subgraph, resolve));
          return structuredClone(answer);
        },
      },
    ]),
  );
  return { sources, calls, release: (subgraph: string) => waiting.get(subgraph)?.(), isWaiting: (subgraph: string) => waiting.has(subgraph) };
}

function prepare(query: string, sources: PlanRun['sources'], variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const planner = new DeferPlanner();
  planner.update(sdl);
  const { plan, operation } = planner.plan(document, null, query);
  const request = { request: { variables }, context: {} } as unknown as PlanRun['request'];
  const run: PlanRun = { sources, request, schema, operation, data: {} };
  return { plan, run, shaping: { schema, variables } };
}

const PROFILE =
  '{ cooperative(id: "x") { name ... @defer(label: "fin") { financing { outstanding } } village { name ... @defer { developmentStatus { status } } } } }';

describe('the defer executor', () => {
  it('answers the primary part without the deferred subgraphs, then each part as its sub-plan finishes', async () => {
    const fake = fakeSources(
      {
        cooperatives: {
          data: { cooperative: { __typename: 'Cooperative', name: 'KDMP X', id: 'x', village: { __typename: 'Village', code: '35.14.01.2001' } } },
        },
        regions: { data: { _entities: [{ name: 'Gerbo' }] } },
        financing: { data: { _entities: [{ financing: { outstanding: '500' } }] } },
        villages: {
          data: { _entities: [null] },
          errors: [{ message: 'Village needs a signed-in analyst', path: ['_entities', 0, 'developmentStatus'], extensions: { code: 'FORBIDDEN' } }],
        },
      },
      new Set(['financing']),
    );
    const { plan, run, shaping } = prepare(PROFILE, fake.sources as never);
    const primary = await runPlan(run, plan.node as never);
    expect(fake.calls.map((c) => c.subgraph)).toEqual(['cooperatives', 'regions']);
    expect(primary.errors).toEqual([]);
    const node = plan.node as { kind: string; primary: { subselection: string } };
    expect(shape(shaping, parseSelection(node.primary.subselection), run.data)).toEqual({ cooperative: { name: 'KDMP X', village: { name: 'Gerbo' } } });

    const parts = deferredParts({ run, shape: shaping, labels: new Set(['fin']), format: (errors) => errors.map((e) => e.toJSON()) }, primary.deferred)[
      Symbol.asyncIterator
    ]();
    // financing is held: the villages part, written second, comes first; its error stands in it, at the village.
    const first = (await parts.next()).value as SubsequentPayload;
    expect(first).toEqual({
      incremental: [
        {
          data: { developmentStatus: null },
          path: ['cooperative', 'village'],
          errors: [
            {
              message: 'Village needs a signed-in analyst',
              path: ['cooperative', 'village', 'developmentStatus'],
              extensions: { code: 'FORBIDDEN', serviceName: 'villages' },
            },
          ],
        },
      ],
      hasNext: true,
    });
    expect(fake.isWaiting('financing')).toBe(true);
    // Every entity fetch sent the representation its key needs, and nothing more.
    expect(fake.calls.find((c) => c.subgraph === 'financing')!.variables).toEqual({ representations: [{ __typename: 'Cooperative', id: 'x' }] });
    fake.release('financing');
    expect((await parts.next()).value).toEqual({
      incremental: [{ data: { financing: { outstanding: '500' } }, path: ['cooperative'], label: 'fin' }],
      hasNext: false,
    });
    expect((await parts.next()).done).toBe(true);
  });

  it('runs a fragment deferred inside a deferred one after it, with its own part', async () => {
    const fake = fakeSources({
      regions: { data: { village: { __typename: 'Village', code: '1', name: 'Gerbo' } } },
      villages: { data: { _entities: [{ developmentStatus: { status: 'MAJU' } }] } },
      digital: { data: { _entities: [{ connectivity: { signal: 'G4' } }] } },
    });
    const { plan, run, shaping } = prepare(
      '{ village(code: "1") { name ... @defer { developmentStatus { status } ... @defer(label: "inner") { connectivity { signal } } } } }',
      fake.sources as never,
    );
    const primary = await runPlan(run, plan.node as never);
    const all: SubsequentPayload[] = [];
    for await (const part of deferredParts({ run, shape: shaping, labels: new Set(['inner']), format: (e) => e.map((x) => x.toJSON()) }, primary.deferred))
      all.push(part);
    expect(all).toEqual([
      { incremental: [{ data: { developmentStatus: { status: 'MAJU' } }, path: ['village'] }], hasNext: true },
      { incremental: [{ data: { connectivity: { signal: 'G4' } }, path: ['village'], label: 'inner' }], hasNext: false },
    ]);
  });

  it('skips a Condition branch whose variable is false (@defer(if: $v)) and runs the fragment in the primary part', async () => {
    const fake = fakeSources({
      regions: { data: { village: { __typename: 'Village', code: '1', name: 'Gerbo' } } },
      villages: { data: { _entities: [{ developmentStatus: { status: 'MAJU' } }] } },
    });
    const { plan, run } = prepare(
      'query ($d: Boolean!) { village(code: "1") { name ... @defer(if: $d) { developmentStatus { status } } } }',
      fake.sources as never,
      { d: false },
    );
    const primary = await runPlan(run, plan.node as never);
    expect(primary.deferred).toEqual([]);
    expect(run.data).toMatchObject({ village: { name: 'Gerbo', developmentStatus: { status: 'MAJU' } } });
  });
});

describe('representations and paths', () => {
  it('leaves out an object that lacks a key field, and follows lists item by item', () => {
    const requires = [
      {
        kind: 'InlineFragment' as const,
        typeCondition: 'Village',
        selections: [
          { kind: 'Field' as const, name: '__typename' },
          { kind: 'Field' as const, name: 'code' },
        ],
      },
    ];
    expect(represent(schema, { __typename: 'Village', code: '1', name: 'x' }, requires)).toEqual({ __typename: 'Village', code: '1' });
    expect(represent(schema, { __typename: 'Village', name: 'x' }, requires)).toBeNull();
    const data = { regency: { villages: [{ code: 'a' }, null, { code: 'c' }] } };
    expect(moveInto(schema, [{ value: data, path: [] }], ['regency', 'villages', '@']).map((e) => e.path)).toEqual([
      ['regency', 'villages', 0],
      ['regency', 'villages', 2],
    ]);
  });
});
