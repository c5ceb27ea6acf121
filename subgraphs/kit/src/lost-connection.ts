import { log } from './log';

type AnyFn = (...args: unknown[]) => unknown;

/** PostgreSQL's "terminated by the server" codes (admin shutdown, crash shutdown, cannot connect now). */
const TERMINATED = new Set(['57P01', '57P02', '57P03']);
const LOST = /not queryable|Connection terminated|ECONNRESET|EPIPE/i;
const READ = /^\s*(\/\*.*?\*\/\s*)?(SELECT|WITH)\b/is;

export function lostConnection(error: unknown): boolean {
  const e = error as { cause?: { originalCode?: string; kind?: string }; code?: string; message?: string };
  return TERMINATED.has(e.cause?.originalCode ?? e.code ?? '') || e.cause?.kind === 'ConnectionClosed' || LOST.test(e.message ?? '');
}

/**
 * A read, or a transaction's BEGIN, that failed because the server dropped its connection (a
 * restart, a failover, pg_terminate_backend) is sent once more on a fresh connection from the pool:
 * it changed nothing, so the caller need not see the failure. A statement inside a transaction is
 * not retried: the transaction fails whole, and the client retries the write with its idempotency key.
 */
export function retryOnLostConnection<F extends { connect(): Promise<object> }>(factory: F, subgraph: string): F {
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
            if (name !== 'queryRaw' && name !== 'startTransaction') return (value as AnyFn).bind(target);
            return async (...args: unknown[]) => {
              try {
                return await (value as AnyFn).apply(target, args);
              } catch (error) {
                const harmless = name === 'startTransaction' || READ.test((args[0] as { sql: string }).sql);
                if (!harmless || !lostConnection(error)) throw error;
                log.warn('database connection lost; retrying once on a fresh connection', {
                  subgraph,
                  during: name === 'startTransaction' ? 'BEGIN' : 'a read',
                  error: (error as Error).message,
                });
                return (value as AnyFn).apply(target, args);
              }
            };
          },
        });
      };
    },
  });
}
