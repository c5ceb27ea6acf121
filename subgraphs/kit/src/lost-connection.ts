import { log } from './log';

type AnyFn = (...args: unknown[]) => unknown;

/** PostgreSQL's "terminated by the server" codes (admin shutdown, crash shutdown, cannot connect now). */
const TERMINATED = new Set(['57P01', '57P02', '57P03']);
const LOST = /not queryable|Connection terminated|ECONNRESET|EPIPE/i;
const READ = /^\s*(\/\*.*?\*\/\s*)?(SELECT|WITH)\b/is;

function lostConnection(error: unknown): boolean {
  const e = error as { cause?: { originalCode?: string; kind?: string }; code?: string; message?: string };
  return TERMINATED.has(e.cause?.originalCode ?? e.code ?? '') || e.cause?.kind === 'ConnectionClosed' || LOST.test(e.message ?? '');
}

/**
 * A read that failed because the server dropped its connection (a restart, a failover,
 * pg_terminate_backend) is sent once more on a fresh connection from the pool: it changed nothing,
 * so the caller need not see the failure. Writes are not retried here: they run in transactions,
 * and the client retries them with their idempotency key.
 */
export function retryingReads<F extends { connect(): Promise<object> }>(factory: F, subgraph: string): F {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      if (prop !== 'connect') {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as AnyFn).bind(obj) : value;
      }
      return async () => {
        const adapter = await obj.connect();
        return new Proxy(adapter, {
          get(target, name, r) {
            const value = Reflect.get(target, name, r) as unknown;
            if (typeof value !== 'function') return value;
            if (name !== 'queryRaw') return (value as AnyFn).bind(target);
            return async (query: { sql: string }, ...rest: unknown[]) => {
              try {
                return await (value as AnyFn).call(target, query, ...rest);
              } catch (error) {
                if (!READ.test(query.sql) || !lostConnection(error)) throw error;
                log.warn('database connection lost during a read; retrying it once', { subgraph, error: (error as Error).message });
                return (value as AnyFn).call(target, query, ...rest);
              }
            };
          },
        });
      };
    },
  });
}
