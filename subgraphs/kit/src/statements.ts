import { AsyncLocalStorage } from 'node:async_hooks';
import { SpanKind, SpanStatusCode, type Context, type Span, type Tracer } from '@opentelemetry/api';

/**
 * The request being served, as code far from it sees it (one AsyncLocalStorage per request: each one
 * more makes every promise of the process pay Node 20's promise hook again): the tally of its SQL
 * statements, so batching can be checked and reported, and its ids for logs.
 */
export interface StatementScope {
  statements: number;
  requestId?: string;
  traceId?: string;
  /** Set only when tracing is on: each statement becomes a child span of the request's. */
  trace?: { tracer: Tracer; span: Span; parent: Context };
}

/** The scope of the request being served (plugins read its trace). */
export const currentStatementScope = (): StatementScope | undefined => scope.getStore();

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

/** Runs one statement, as a span of the current request when tracing is on (else no span work at all). */
export function traceStatement<T>(sql: string, run: () => Promise<T>): Promise<T> {
  const traced = scope.getStore()?.trace;
  return traced ? sqlSpan(traced, sql, run) : run();
}

/** One statement as a client span (database semantic conventions); the text has placeholders, never the values. */
async function sqlSpan<T>(traced: NonNullable<StatementScope['trace']>, sql: string, run: () => Promise<T>): Promise<T> {
  const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';
  const span = traced.tracer.startSpan(
    operation,
    { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operation, 'db.query.text': sql.slice(0, 4096) } },
    traced.parent,
  );
  try {
    return await run();
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

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
          return traceStatement((args[0] as { sql?: string } | undefined)?.sql ?? '', () => fn.apply(obj, args) as Promise<unknown>);
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
