import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import {
  applyMigrations,
  decodeCursor,
  encodeCursor,
  listLoader,
  normalizeRegionCode,
  Rupiah,
  rowLoader,
  tryNormalizeRegionCode,
  type SqlExecutor,
} from '@kopdes/kit';
import { parseCsv, syntheticCooperative, villageKind } from '@kopdes/kit/synthetic';

describe('region codes', () => {
  it('normalises undotted codes and rejects malformed ones', () => {
    expect(tryNormalizeRegionCode('3514142001')).toBe('35.14.14.2001');
    expect(tryNormalizeRegionCode('3514')).toBe('35.14');
    expect(tryNormalizeRegionCode(' 35.14 ')).toBe('35.14');
    expect(tryNormalizeRegionCode('351')).toBeNull();
    expect(() => normalizeRegionCode('35.14', 'code', 'PROVINCE')).toThrow(/regency code; code needs a province code/);
  });
});

describe('Rupiah', () => {
  it('is exact beyond 32 bits and refuses fractions', () => {
    expect(Rupiah.serialize(3_000_000_000n)).toBe('3000000000');
    expect(Rupiah.parseValue('3000000000')).toBe(3_000_000_000n);
    expect(() => Rupiah.parseValue('1.5')).toThrow(/whole number of rupiah/);
    expect(() => Rupiah.parseValue(0.5)).toThrow();
  });
});

describe('cursors', () => {
  it('round-trips and rejects foreign cursors', () => {
    expect(decodeCursor(encodeCursor('KDMP-35.14.01.2001'))).toBe('KDMP-35.14.01.2001');
    expect(() => decodeCursor('not a cursor!')).toThrow(/not a cursor/);
  });
});

describe('loaders', () => {
  it('return results in key order, null or [] for missing keys, one fetch per batch', async () => {
    let fetches = 0;
    const rows = [
      { id: 'b', v: 2 },
      { id: 'a', v: 1 },
    ];
    const one = rowLoader(
      async () => {
        fetches += 1;
        return rows;
      },
      (r) => r.id,
    );
    expect(await Promise.all([one.load('a'), one.load('x'), one.load('b')])).toEqual([rows[1], null, rows[0]]);
    const many = listLoader(
      async () => {
        fetches += 1;
        return [
          { k: 'a', n: 1 },
          { k: 'a', n: 2 },
        ];
      },
      (r) => r.k,
    );
    expect(await Promise.all([many.load('a'), many.load('z')])).toEqual([
      [
        { k: 'a', n: 1 },
        { k: 'a', n: 2 },
      ],
      [],
    ]);
    expect(fetches).toBe(2);
  });
});

describe('synthetic data', () => {
  it('is deterministic and follows the village kind', () => {
    const desa = { code: '35.14.01.2001', districtCode: '35.14.01', name: 'Gerbo', kind: villageKind('35.14.01.2001') };
    const a = syntheticCooperative(desa);
    expect(syntheticCooperative(desa)).toEqual(a);
    expect(a.id).toBe('KDMP-35.14.01.2001');
    expect(a.board.filter((m) => m.role !== 'SUPERVISOR' && m.role !== 'SUPERVISOR_CHAIR')).toHaveLength(5);
    for (const m of a.board) expect(m.nik).toMatch(/^351401\d{10}$/);
    expect(syntheticCooperative({ ...desa, code: '35.14.14.1001', kind: villageKind('35.14.14.1001') }).kind).toBe('KKMP');
  });

  it('parses quoted CSV fields', () => {
    expect(parseCsv('a,b\n1,"x, ""y"""\n')).toEqual([
      ['a', 'b'],
      ['1', 'x, "y"'],
    ]);
  });
});

describe('migrations', () => {
  function executor(db: PGlite): SqlExecutor {
    const wrap = (q: PGlite | Parameters<Parameters<PGlite['transaction']>[0]>[0]): SqlExecutor => ({
      query: async (sql, params) => (await q.query(sql, params)).rows as never,
      exec: async (sql) => {
        await q.exec(sql);
      },
      transaction: (fn) => ('transaction' in q ? q.transaction((tx) => fn(wrap(tx))) : fn(wrap(q))),
    });
    return wrap(db);
  }

  it('apply once, record in _prisma_migrations, and refuse an edited applied migration', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kopdes-migrations-'));
    mkdirSync(path.join(dir, '0001_init'));
    writeFileSync(path.join(dir, '0001_init', 'migration.sql'), 'CREATE TABLE t (id int primary key);');
    const db = new PGlite();
    const sql = executor(db);
    expect(await applyMigrations(sql, dir)).toEqual({ applied: ['0001_init'], alreadyApplied: 0 });
    expect(await applyMigrations(sql, dir)).toEqual({ applied: [], alreadyApplied: 1 });
    mkdirSync(path.join(dir, '0002_broken'));
    writeFileSync(path.join(dir, '0002_broken', 'migration.sql'), 'CREATE TABLE u (id int); SELECT * FROM nope;');
    await expect(applyMigrations(sql, dir)).rejects.toThrow(/nope/);
    // A failed migration leaves nothing half-applied.
    expect((await db.query(`SELECT to_regclass('u') AS u`)).rows).toEqual([{ u: null }]);
    writeFileSync(path.join(dir, '0001_init', 'migration.sql'), 'CREATE TABLE t (id bigint primary key);');
    await expect(applyMigrations(sql, dir)).rejects.toThrow(/edited after it was applied/);
    await db.close();
  });
});
