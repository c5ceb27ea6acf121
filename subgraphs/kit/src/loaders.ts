import DataLoader from 'dataloader';
import type { Database } from './database';

/** Groups rows by a key, keeping their order. */
export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** One row per key (or null), fetched in one statement per batch. */
export function rowLoader<K, T>(fetch: (keys: readonly K[]) => Promise<T[]>, key: (row: T) => K): DataLoader<K, T | null> {
  return new DataLoader<K, T | null>(
    async (keys) => {
      const byKey = new Map((await fetch(keys)).map((row) => [key(row), row] as const));
      return keys.map((k) => byKey.get(k) ?? null);
    },
    { maxBatchSize: 5000 },
  );
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A lookup by key, checked and written once per process (keyLookup), loaded per request (keyLoader). */
export interface KeyLookup<T> {
  sql: string;
  key: string & keyof T;
}

/** Table, key and columns go into SQL text: plain identifiers only, and the key among the columns. */
function checkNames(what: string, table: string, key: string, columns: readonly string[]): void {
  for (const name of [table, key, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`${what}: "${name}" is not a plain SQL identifier; name the table and columns as the Prisma schema does.`);
  }
  if (!columns.includes(key)) throw new Error(`${what}: the columns of "${table}" must include its key "${key}".`);
}

const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(', ');

/**
 * The statement behind a keyLoader, `SELECT <columns> FROM "<table>" WHERE "<key>" = ANY($1)`, built
 * once (loaders are created per request). Name exactly the columns the client's reads may return
 * (never an omitted one): rows come back typed as findMany's for them.
 */
export function keyLookup<T>(table: string, key: string & keyof T, columns: readonly (string & keyof T)[]): KeyLookup<T> {
  checkNames('keyLookup', table, key, columns);
  return { sql: `SELECT ${quoted(columns)} FROM "${table}" WHERE "${key}" = ANY($1)`, key };
}

/**
 * One row per key (or null) by one statement per batch: the lookup behind `_entities` and by-id
 * queries. A counted read (counted-read.ts) rather than findMany: building findMany's query cost 3x
 * running it (0.8 against 0.26 ms of CPU per lookup, and 0.09 straight on the pool; measured for bench:floor).
 */
export function keyLoader<T>(db: Pick<Database<unknown>, 'read'>, { sql, key }: KeyLookup<T>): DataLoader<string, T | null> {
  return rowLoader(
    (keys: readonly string[]) => db.read<T>(sql, [[...keys]]),
    (row) => String(row[key]),
  );
}

/** All rows per key (possibly none), fetched in one statement per batch. */
export function listLoader<K, T>(fetch: (keys: readonly K[]) => Promise<T[]>, key: (row: T) => K): DataLoader<K, T[]> {
  return new DataLoader<K, T[]>(
    async (keys) => {
      const byKey = groupBy(await fetch(keys), key);
      return keys.map((k) => byKey.get(k) ?? []);
    },
    { maxBatchSize: 5000 },
  );
}

/** A column of a listLookup's order and its direction. */
export type OrderBy<T> = readonly [string & keyof T, 'asc' | 'desc'];

/** Rows by a foreign key in a set order, checked and written once per process (listLookup), loaded per request (groupLoader). */
export type ListLookup<T> = KeyLookup<T>;

/**
 * The statement behind a groupLoader, `SELECT <columns> FROM "<table>" WHERE "<key>" = ANY($1) ORDER BY …`:
 * keyLookup for one-to-many. The order must end in a column unique among a key's rows (the primary
 * key, or the rest of a composite one), so that a list reads the same on every request.
 */
export function listLookup<T>(table: string, key: string & keyof T, columns: readonly (string & keyof T)[], orderBy: readonly OrderBy<T>[]): ListLookup<T> {
  checkNames('listLookup', table, key, columns);
  if (orderBy.length === 0) throw new Error(`listLookup: "${table}" needs an order ending in a unique column (e.g. [['id', 'asc']]).`);
  for (const [column, direction] of orderBy) {
    if (!columns.includes(column)) throw new Error(`listLookup: "${table}" is ordered by "${column}", which is not among its columns.`);
    if (direction !== 'asc' && direction !== 'desc') throw new Error(`listLookup: order "${column}" by 'asc' or 'desc', not "${String(direction)}".`);
  }
  const order = orderBy.map(([column, direction]) => `"${column}" ${direction.toUpperCase()}`).join(', ');
  return { sql: `SELECT ${quoted(columns)} FROM "${table}" WHERE "${key}" = ANY($1) ORDER BY ${order}`, key };
}

/** The rows of each key in the lookup's order (none for a missing key), one counted statement per batch: listLoader by plain SQL. */
export function groupLoader<T>(db: Pick<Database<unknown>, 'read'>, { sql, key }: ListLookup<T>): DataLoader<string, T[]> {
  return listLoader(
    (keys: readonly string[]) => db.read<T>(sql, [[...keys]]),
    (row) => String(row[key]),
  );
}

/**
 * One aggregate row per region (or village) code, for every code of a batch in one statement;
 * `empty(code)` stands for a code without rows (the figures of a region with no records).
 */
export function aggregateLoader<T extends { code: string }>(fetch: (codes: string[]) => Promise<T[]>, empty: (code: string) => T): DataLoader<string, T> {
  return new DataLoader<string, T>(
    async (codes) => {
      const byCode = new Map((await fetch([...codes])).map((row) => [row.code, row]));
      return codes.map((code) => byCode.get(code) ?? empty(code));
    },
    { maxBatchSize: 5000 },
  );
}
