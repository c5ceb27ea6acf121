import pg from 'pg';
import { log } from './log';
import { lostConnection } from './lost-connection';
import { traceStatement, type StatementCounter } from './statements';

/**
 * A read by plain SQL on a subgraph's own database, counted like Prisma's statements, rows typed
 * as the Prisma client reads them. On PostgreSQL it goes straight to the pool: for a lookup by key
 * Prisma's request pipeline cost more CPU than the driver and the statement together (bench:floor).
 */
export type CountedRead = <R>(sql: string, params: unknown[]) => Promise<R[]>;

const UTC_DATE = (text: string) => new Date(`${text}T00:00:00.000Z`);
const UTC_TIMESTAMP = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
/** Types Prisma reads otherwise than pg does by default: dates and timestamps as UTC, int8 as bigint. */
const AS_PRISMA: Record<number, (text: string) => unknown> = {
  [pg.types.builtins.DATE]: UTC_DATE,
  [pg.types.builtins.TIMESTAMP]: UTC_TIMESTAMP,
  [pg.types.builtins.INT8]: (text) => BigInt(text),
};
/** Types Prisma reads into its own classes (Decimal, bytes): not served by a counted read. */
const UNSUPPORTED = new Set<number>([pg.types.builtins.NUMERIC, pg.types.builtins.BYTEA, pg.types.builtins.MONEY]);
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => AS_PRISMA[oid] ?? pg.types.getTypeParser(oid, format ?? 'text'),
} as pg.CustomTypesConfig;

export function pgCountedRead(pool: pg.Pool, counter: StatementCounter, subgraph: string): CountedRead {
  return async <R>(sql: string, params: unknown[]) => {
    const run = () => {
      counter.record();
      return traceStatement(sql, () => pool.query({ text: sql, values: params, types }));
    };
    let result: pg.QueryResult;
    try {
      result = await run();
    } catch (error) {
      // A read changed nothing: sent once more on a fresh connection, as Prisma's reads are (lost-connection.ts).
      if (!lostConnection(error)) throw error;
      log.warn('database connection lost; retrying once on a fresh connection', {
        subgraph,
        during: 'a read',
        error: (error as Error).message,
      });
      result = await run();
    }
    const odd = result.fields.find((f) => UNSUPPORTED.has(f.dataTypeID));
    if (odd)
      throw new Error(
        `Column "${odd.name}" is numeric or bytes, which Prisma reads into its own types: read it through the Prisma client, not a counted read.`,
      );
    return result.rows as R[];
  };
}

/** The embedded database: through the Prisma client's raw query (counted by its adapter, typed by Prisma). */
export function prismaCountedRead(prisma: unknown): CountedRead {
  const client = prisma as { $queryRawUnsafe<T>(sql: string, ...values: unknown[]): Promise<T> };
  return <R>(sql: string, params: unknown[]) => client.$queryRawUnsafe<R[]>(sql, ...params);
}
