import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request tally of SQL statements, so batching can be checked and reported. */
export interface StatementScope {
  statements: number;
}

const scope = new AsyncLocalStorage<StatementScope>();

export function withStatementScope<T>(tally: StatementScope, fn: () => T): T {
  return scope.run(tally, fn);
}

/** Counts every statement a subgraph's database runs, in total and for the current request. */
export class StatementCounter {
  total = 0;

  record(): void {
    this.total += 1;
    const current = scope.getStore();
    if (current) current.statements += 1;
  }
}

type AnyFn = (...args: unknown[]) => unknown;
const COUNTED = new Set(['queryRaw', 'executeRaw']);

/** Wraps a Prisma driver adapter (and the transactions it opens) so each statement is counted. */
function countQueries<T extends object>(target: T, counter: StatementCounter): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as AnyFn;
      if (COUNTED.has(String(prop))) {
        return (...args: unknown[]) => {
          counter.record();
          return fn.apply(obj, args);
        };
      }
      if (prop === 'startTransaction') {
        return async (...args: unknown[]) => countQueries((await fn.apply(obj, args)) as object, counter);
      }
      return fn.bind(obj);
    },
  });
}

export interface AdapterFactoryLike {
  connect(): Promise<object>;
}

export function countingAdapter<F extends AdapterFactoryLike>(factory: F, counter: StatementCounter): F {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      if (prop === 'connect') return async () => countQueries(await obj.connect(), counter);
      const value = Reflect.get(obj, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as AnyFn).bind(obj) : value;
    },
  });
}
