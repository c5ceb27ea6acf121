import { readFileSync } from 'node:fs';
import path from 'node:path';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { prettyFormatQueryPlan, QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadOperations } from '../gateway/src/operations';

const root = path.resolve(import.meta.dirname, '..');
const supergraph = Supergraph.build(readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
const planner = new QueryPlanner(supergraph);
const operations = loadOperations(path.join(root, 'schema/operations'));

// A changed plan (another subgraph hop, a lost batch) shows in review as a diff of schema/query-plans/.
describe('query plans of the registered operations', () => {
  it('covers every registered operation', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it.each(operations.map((op) => [op.name, op] as const))('%s', async (name, op) => {
    const operation = operationFromDocument(supergraph.apiSchema(), parse(op.document));
    const plan = prettyFormatQueryPlan(planner.buildQueryPlan(operation));
    expect(plan).toMatch(/^QueryPlan \{/);
    await expect(plan + '\n').toMatchFileSnapshot(path.join(root, 'schema/query-plans', `${name}.plan`));
  });
});
