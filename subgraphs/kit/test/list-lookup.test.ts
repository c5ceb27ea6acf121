import { describe, expect, it } from 'vitest';
import { groupLoader, listLookup } from '@kopdes/kit';

interface Row {
  id: number;
  ownerId: string;
  on: string;
}

describe('listLookup and groupLoader', () => {
  it('write one ordered statement for a batch of keys and answer each key with its rows in that order, none for a missing key', async () => {
    const lookup = listLookup<Row>(
      'Thing',
      'ownerId',
      ['id', 'ownerId', 'on'],
      [
        ['on', 'desc'],
        ['id', 'asc'],
      ],
    );
    expect(lookup.sql).toBe('SELECT "id", "ownerId", "on" FROM "Thing" WHERE "ownerId" = ANY($1) ORDER BY "on" DESC, "id" ASC');
    const rows: Row[] = [
      { id: 2, ownerId: 'b', on: '2026-02-01' },
      { id: 3, ownerId: 'a', on: '2026-02-01' },
      { id: 1, ownerId: 'a', on: '2026-01-01' },
    ];
    const calls: unknown[][] = [];
    const read = <R>(sql: string, params: unknown[]) => {
      calls.push([sql, params]);
      return Promise.resolve(rows as R[]);
    };
    const loader = groupLoader({ read }, lookup);
    expect(await Promise.all(['a', 'b', 'c'].map((id) => loader.load(id)))).toEqual([[rows[1], rows[2]], [rows[0]], []]);
    expect(calls).toEqual([[lookup.sql, [['a', 'b', 'c']]]]);
  });

  it('refuse a name that is not a plain identifier, columns without the key, and an order that is missing or names an unselected column', () => {
    expect(() => listLookup<Row>('Thing', 'ownerId', ['id', 'ownerId', 'on"; DROP TABLE x; --' as 'on'], [['id', 'asc']])).toThrow(
      /is not a plain SQL identifier/,
    );
    expect(() => listLookup<Row>('Thing', 'ownerId', ['id', 'on'], [['id', 'asc']])).toThrow(/must include its key "ownerId"/);
    expect(() => listLookup<Row>('Thing', 'ownerId', ['id', 'ownerId'], [])).toThrow(/needs an order ending in a unique column/);
    expect(() => listLookup<Row>('Thing', 'ownerId', ['id', 'ownerId'], [['on', 'asc']])).toThrow(/ordered by "on", which is not among its columns/);
    expect(() => listLookup<Row>('Thing', 'ownerId', ['id', 'ownerId'], [['id', 'up' as 'asc']])).toThrow(/by 'asc' or 'desc', not "up"/);
  });
});
