import { PUBLIC, ANALYST } from '@kopdes/kit/testing';
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { rootFieldNames } from '../src/contract';
import { fetchedSubgraphs, wantsQueryPlan } from '../src/query-plan';

describe('query plan report', () => {
  it('is for signed-in callers who ask, never for the public', () => {
    expect(wantsQueryPlan(ANALYST, 'true')).toBe(true);
    expect(wantsQueryPlan(ANALYST, ' 1 ')).toBe(true);
    expect(wantsQueryPlan(ANALYST, undefined)).toBe(false);
    expect(wantsQueryPlan(ANALYST, 'false')).toBe(false);
    expect(wantsQueryPlan(PUBLIC, 'true')).toBe(false);
  });

  it('names every subgraph a plan fetches from, wherever the Fetch node sits', () => {
    const plan = {
      kind: 'Sequence',
      nodes: [
        { kind: 'Fetch', serviceName: 'regions' },
        {
          kind: 'Parallel',
          nodes: [
            { kind: 'Flatten', path: ['a'], node: { kind: 'Fetch', serviceName: 'financing' } },
            { kind: 'Defer', primary: { node: { kind: 'Fetch', serviceName: 'energy' } }, deferred: [] },
          ],
        },
        { kind: 'Condition', ifClause: { kind: 'Fetch', serviceName: 'regions' } },
      ],
    };
    expect([...fetchedSubgraphs(plan)].sort()).toEqual(['energy', 'financing', 'regions']);
    expect(fetchedSubgraphs(undefined).size).toBe(0);
  });
});

describe('root fields of an operation (public introspection)', () => {
  it('follows fragments and inline fragments, once each', () => {
    const document = parse(
      'query { ...A ... on Query { __type(name: "X") { name } } } fragment A on Query { __schema { queryType { name } } ...A provinces { code } }',
    );
    const operation = document.definitions[0] as OperationDefinitionNode;
    expect([...rootFieldNames(operation.selectionSet, document)].sort()).toEqual(['__schema', '__type', 'provinces']);
  });
});
