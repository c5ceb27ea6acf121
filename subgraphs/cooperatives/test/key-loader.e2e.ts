import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSubgraphDatabase, withStatementScope, type Database } from '@kopdes/kit';
import { TEST_SCOPE } from '@kopdes/kit/testing';
import { createCooperativeLoaders } from '../src/cooperative/cooperative.loaders';
import type { CooperativesDb } from '../src/db';
import { cooperatives } from '../src/subgraph';

/**
 * The cooperative loader behind `_entities` reads by plain SQL (keyLoader): on PostgreSQL straight
 * on the pool, embedded through Prisma's raw query. Either way its rows must be findMany's rows.
 */
const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const name = `kopdes_keyloader_${process.pid}_${Date.now().toString(36)}`;
const url = Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();
const admin = new pg.Client({ connectionString: SERVER });
const databases: Record<'postgres' | 'embedded', Database<unknown> | undefined> = { postgres: undefined, embedded: undefined };

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  databases.postgres = (await openSubgraphDatabase(cooperatives, { url, scope: TEST_SCOPE, seed: true })).db;
  databases.embedded = (await openSubgraphDatabase(cooperatives, { dataDir: 'memory://', scope: TEST_SCOPE, seed: true })).db;
});
afterAll(async () => {
  await databases.postgres?.close();
  await databases.embedded?.close();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

describe.each(['postgres', 'embedded'] as const)('the cooperative key loader on %s', (kind) => {
  it("returns findMany's rows, in key order, null for an unknown id, in one counted statement", async () => {
    const db = databases[kind]!;
    const prisma = db.prisma as CooperativesDb;
    // Ones with and without the optional columns (decree, NIB), so nulls and dates are both compared.
    const sample = await prisma.cooperative.findMany({ orderBy: { id: 'desc' }, take: 40 });
    expect(sample.some((c) => c.ahuDecreeDate === null) && sample.some((c) => c.ahuDecreeDate !== null)).toBe(true);
    const ids = [...sample.map((c) => c.id), 'KDMP-00.00.00.0000'];
    const tally = { statements: 0 };
    const loaders = createCooperativeLoaders(prisma, db);
    const rows = await withStatementScope(tally, () => Promise.all(ids.map((id) => loaders.cooperative.load(id))));
    expect(tally.statements).toBe(1);
    // Every column but the units and updatedAt, which businessUnits and provenance read by cooperativeDetail.
    expect(rows).toEqual([...sample.map(({ units: _units, updatedAt: _updatedAt, ...rest }) => rest), null]);
    expect(rows[0]!.musdesusDate).toBeInstanceOf(Date);
    expect(rows[0]).not.toHaveProperty('board'); // personal data: only ever read on the access record
    expect(rows[0]).not.toHaveProperty('units');
    const details = await withStatementScope(tally, () => Promise.all(ids.map((id) => loaders.cooperativeDetail.load(id))));
    expect(tally.statements).toBe(2);
    expect(details).toEqual([...sample.map(({ id, units, updatedAt }) => ({ id, units, updatedAt })), null]);
    expect(sample.some((c) => Array.isArray(c.units) && c.units.length > 0)).toBe(true);
  });
});

describe('a counted read on PostgreSQL', () => {
  it('refuses numeric columns, which Prisma reads as Decimal, saying what to do instead', async () => {
    await expect(databases.postgres!.read('SELECT 1.5::numeric AS amount', [])).rejects.toThrow(/"amount" is numeric or bytes.*through the Prisma client/);
  });

  it('reads dates and timestamps as UTC, whatever the process time zone, and int8 as bigint, as Prisma does', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Jayapura'; // UTC+9: a local reading would be nine hours off
    try {
      const [row] = await databases.postgres!.read<{ day: Date; at: Date; big: bigint }>(
        `SELECT '2025-03-01'::date AS day, '2025-03-01 10:20:30.456'::timestamp AS at, 9007199254740993::int8 AS big`,
        [],
      );
      expect(row).toEqual({ day: new Date('2025-03-01T00:00:00.000Z'), at: new Date('2025-03-01T10:20:30.456Z'), big: 9007199254740993n });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
