import { describe, expect, it } from 'vitest';
import { keyLoader, keyLookup } from '@kopdes/kit';

interface Row {
  id: string;
  name: string;
}

describe('keyLookup and keyLoader', () => {
  it('write one statement for a batch of keys and answer in key order, null for a missing key', async () => {
    const lookup = keyLookup<Row>('Thing', 'id', ['id', 'name']);
    expect(lookup.sql).toBe('SELECT "id", "name" FROM "Thing" WHERE "id" = ANY($1)');
    const calls: unknown[][] = [];
    const read = <R>(sql: string, params: unknown[]) => {
      calls.push([sql, params]);
      return Promise.resolve([
        { id: 'b', name: 'B' },
        { id: 'a', name: 'A' },
      ] as R[]);
    };
    const loader = keyLoader({ read }, lookup);
    expect(await Promise.all(['a', 'b', 'c'].map((id) => loader.load(id)))).toEqual([{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }, null]);
    expect(calls).toEqual([[lookup.sql, [['a', 'b', 'c']]]]);
  });

  it('refuse a name that is not a plain identifier, and columns without the key', () => {
    expect(() => keyLookup<Row>('Thing"; DROP TABLE x; --', 'id', ['id'])).toThrow(/is not a plain SQL identifier/);
    expect(() => keyLookup<Row>('Thing', 'id', ['name'])).toThrow(/must include its key "id"/);
  });
});
