import DataLoader from 'dataloader';

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
  return new DataLoader<K, T | null>(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((row) => [key(row), row] as const));
    return keys.map((k) => byKey.get(k) ?? null);
  }, { maxBatchSize: 5000 });
}

/** All rows per key (possibly none), fetched in one statement per batch. */
export function listLoader<K, T>(fetch: (keys: readonly K[]) => Promise<T[]>, key: (row: T) => K): DataLoader<K, T[]> {
  return new DataLoader<K, T[]>(async (keys) => {
    const byKey = groupBy(await fetch(keys), key);
    return keys.map((k) => byKey.get(k) ?? []);
  }, { maxBatchSize: 5000 });
}

/**
 * One aggregate row per region (or village) code, for every code of a batch in one statement;
 * `empty(code)` stands for a code without rows (the figures of a region with no records).
 */
export function aggregateLoader<T extends { code: string }>(fetch: (codes: string[]) => Promise<T[]>, empty: (code: string) => T): DataLoader<string, T> {
  return new DataLoader<string, T>(async (codes) => {
    const byCode = new Map((await fetch([...codes])).map((row) => [row.code, row]));
    return codes.map((code) => byCode.get(code) ?? empty(code));
  }, { maxBatchSize: 5000 });
}
