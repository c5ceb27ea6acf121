import { buildSchema, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/config';
import { costLimitPlugin, operationCost } from '../../src/cost';
import { ExecutionBudget } from '../../src/execution-budget';
import { newExecution } from '../../src/pipeline';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('execution budget', () => {
  it('lets costly operations run only while their costs fit, the rest waiting in arrival order', async () => {
    const budget = new ExecutionBudget(50_000, 1_000);
    const started: string[] = [];
    const run = (name: string, cost: number) =>
      budget.acquire(cost).then((release) => {
        started.push(name);
        return release;
      });
    const a = run('export-a', 20_000);
    const b = run('export-b', 20_000);
    const c = run('export-c', 20_000);
    const list = run('list', 4_000); // fits, but arrived after a waiting export: waits its turn
    const profile = run('profile', 40); // under the minimum: never waits
    await flush();
    expect(started).toEqual(['export-a', 'export-b', 'profile']);
    expect(budget.load()).toEqual({ used: 40_000, waiting: 2 });
    const releaseA = await a;
    releaseA();
    releaseA(); // giving back twice gives back once
    await flush();
    expect(started).toEqual(['export-a', 'export-b', 'profile', 'export-c', 'list']);
    expect(budget.load()).toEqual({ used: 44_000, waiting: 0 });
    for (const release of await Promise.all([b, c, list, profile])) release();
    expect(budget.load()).toEqual({ used: 0, waiting: 0 });
    expect(budget.stats).toEqual({ admitted: 4, waited: 2 });
  });

  it('runs an operation costlier than the whole budget alone, and does nothing when off', async () => {
    const budget = new ExecutionBudget(10_000, 1_000);
    const started: string[] = [];
    const small = await budget.acquire(5_000);
    const huge = budget.acquire(200_000).then((release) => {
      started.push('huge');
      return release;
    });
    await flush();
    expect(started).toEqual([]);
    small();
    (await huge)();
    expect(started).toEqual(['huge']);
    const off = new ExecutionBudget(0, 1_000);
    await Promise.all([off.acquire(1e9), off.acquire(1e9)]);
    expect(off.load()).toEqual({ used: 0, waiting: 0 });
  });
});

describe('the cost estimate the budget reads', () => {
  it('is recorded on the execution by the cost limit, also when it comes from its per-document cache', async () => {
    const schema = buildSchema('type Query { items(first: Int): [Item] } type Item { a: Int b: Int }');
    const document = parse('{ items(first: 100) { a b } }');
    const operation = getOperationAST(document)!;
    const limits = configFromEnv({}).limits;
    const plugin = costLimitPlugin(limits, () => new Map());
    const costs: (number | undefined)[] = [];
    for (let i = 0; i < 2; i += 1) {
      const execution = newExecution();
      const listener = await plugin.requestDidStart!({} as never);
      await listener!.didResolveOperation!({
        document,
        operation,
        operationName: null,
        request: { variables: {} },
        schema,
        contextValue: { execution },
      } as never);
      costs.push(execution.cost);
    }
    expect(costs[0]).toBe(operationCost(schema, new Map(), document, operation, {}, limits).cost);
    expect(costs[0]).toBeGreaterThan(1);
    expect(costs[1]).toBe(costs[0]);
  });
});
