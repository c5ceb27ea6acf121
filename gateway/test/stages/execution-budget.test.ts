import { buildSchema, getOperationAST, parse } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configFromEnv } from '../../src/config';
import { costLimitPlugin, operationCost } from '../../src/cost';
import { BudgetRefusal, ExecutionBudget, executionBudgetPlugin } from '../../src/execution-budget';
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
    expect(budget.stats).toEqual({ admitted: 4, waited: 2, refused: 0 });
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

describe('the execution budget queue bounds', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses an operation with 503 and Retry-After when EXECUTION_QUEUE_MAX are already waiting', async () => {
    const budget = new ExecutionBudget(20_000, 1_000, { maxWaiting: 2, maxWaitMs: 10_000 });
    const running = await budget.acquire(20_000);
    const waiting = [budget.acquire(20_000), budget.acquire(20_000)];
    const refused = await budget.acquire(20_000).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetRefusal);
    const { extensions, message } = refused as BudgetRefusal;
    expect(extensions.code).toBe('OVERLOADED');
    expect((extensions.http as { status: number }).status).toBe(503);
    expect([...(extensions.http as unknown as { headers: Map<string, string> }).headers]).toEqual([['retry-after', '10']]);
    expect(message).toMatch(/EXECUTION_QUEUE_MAX/);
    expect(budget.load()).toEqual({ used: 20_000, waiting: 2 });
    running();
    (await waiting[0]!)();
    (await waiting[1]!)();
    expect(budget.stats).toEqual({ admitted: 3, waited: 2, refused: 1 });
  });

  it('refuses an operation that waited EXECUTION_QUEUE_WAIT_MS, and lets the ones behind it in', async () => {
    vi.useFakeTimers();
    const budget = new ExecutionBudget(30_000, 1_000, { maxWaiting: 10, maxWaitMs: 5_000 });
    const running = await budget.acquire(20_000);
    const big = budget.acquire(20_000).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    // Fits beside the running one, but waits behind the big one (first come, first served).
    let smallStarted = false;
    const small = budget.acquire(5_000).then((release) => {
      smallStarted = true;
      return release;
    });
    await vi.advanceTimersByTimeAsync(3_999);
    expect(smallStarted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await big).toBeInstanceOf(BudgetRefusal);
    expect(((await big) as BudgetRefusal).message).toMatch(/EXECUTION_QUEUE_WAIT_MS/);
    expect(smallStarted).toBe(true);
    expect(budget.load()).toEqual({ used: 25_000, waiting: 0 });
    running();
    (await small)();
    expect(budget.load()).toEqual({ used: 0, waiting: 0 });
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

describe('the execution budget in Apollo Server', () => {
  it('answers a refused operation with 503, Retry-After and the reason, and lets cheap operations through', async () => {
    const { ApolloServer, HeaderMap } = await import('@apollo/server');
    const schema = buildSchema('type Query { items(first: Int): [Item] } type Item { a: Int }');
    const budget = new ExecutionBudget(1_000, 50, { maxWaiting: 0, maxWaitMs: 7_000 });
    // The order of apollo.ts: the cost limit sets the estimate the budget then reads.
    const server = new ApolloServer({
      schema,
      plugins: [costLimitPlugin(configFromEnv({}).limits, () => new Map()), executionBudgetPlugin(budget) as never],
    });
    await server.start();
    const ask = (query: string) =>
      server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } },
        context: async () => ({ execution: newExecution() }) as never,
      });
    const held = await budget.acquire(1_000);
    const refused = await ask('{ items(first: 100) { a } }');
    const cheap = await ask('{ items(first: 1) { a } }');
    held();
    const admitted = await ask('{ items(first: 100) { a } }');
    await server.stop();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(JSON.parse((refused.body as { string: string }).string).errors[0]).toMatchObject({
      message: expect.stringMatching(/busy with costly operations .*EXECUTION_QUEUE_MAX/),
      extensions: { code: 'OVERLOADED' },
    });
    expect(cheap.status ?? 200).toBe(200);
    expect(admitted.status ?? 200).toBe(200);
    expect(budget.load()).toEqual({ used: 0, waiting: 0 });
  });
});
