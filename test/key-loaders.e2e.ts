import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSubgraphDatabase, withStatementScope, type AnySubgraph, type Database } from '@kopdes/kit';
import { TEST_SCOPE } from '@kopdes/kit/testing';
import { collaboration } from '../subgraphs/collaboration/src/subgraph';
import { digital } from '../subgraphs/digital/src/subgraph';
import { energy } from '../subgraphs/energy/src/subgraph';
import { financing } from '../subgraphs/financing/src/subgraph';
import { regions } from '../subgraphs/regions/src/subgraph';

/**
 * The by-key loaders behind `_entities` read by plain SQL (keyLoader), on PostgreSQL straight on
 * the pool: their rows must be the rows findMany gives (dates, enums, bigints, nulls), in key order.
 * The subgraphs' own integration tests cover the embedded database.
 */
const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const prefix = `kopdes_keyloaders_${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: SERVER });

type Model = { findMany(args: object): Promise<Record<string, unknown>[]> };

/** Loader name, the Prisma model it replaces findMany on, and the model's key. */
const CASES: { subgraph: AnySubgraph; loaders: { loader: string; model: string; key: string; unknown: string }[] }[] = [
  {
    subgraph: financing,
    loaders: [
      { loader: 'profile', model: 'financingProfile', key: 'cooperativeId', unknown: 'KDMP-00.00.00.0000' },
      { loader: 'loan', model: 'loan', key: 'id', unknown: 'LOAN-NONE' },
    ],
  },
  {
    subgraph: energy,
    loaders: [
      { loader: 'site', model: 'cooperativeSite', key: 'cooperativeId', unknown: 'KDMP-00.00.00.0000' },
      { loader: 'electrification', model: 'villageElectrification', key: 'villageCode', unknown: '00.00.00.0000' },
    ],
  },
  { subgraph: digital, loaders: [{ loader: 'onboarding', model: 'platformOnboarding', key: 'cooperativeId', unknown: 'KDMP-00.00.00.0000' }] },
  {
    subgraph: regions,
    loaders: [
      { loader: 'province', model: 'province', key: 'code', unknown: '00' },
      { loader: 'regency', model: 'regency', key: 'code', unknown: '00.00' },
      { loader: 'district', model: 'district', key: 'code', unknown: '00.00.00' },
      { loader: 'village', model: 'village', key: 'code', unknown: '00.00.00.0000' },
    ],
  },
  { subgraph: collaboration, loaders: [{ loader: 'agency', model: 'agency', key: 'code', unknown: 'NONE' }] },
];

const databases = new Map<string, Database<unknown>>();

beforeAll(async () => {
  await admin.connect();
  for (const { subgraph } of CASES) {
    const name = `${prefix}_${subgraph.name}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();
    databases.set(subgraph.name, (await openSubgraphDatabase(subgraph, { url, scope: TEST_SCOPE, seed: true })).db);
  }
}, 600_000);

afterAll(async () => {
  for (const db of databases.values()) await db.close();
  for (const { subgraph } of CASES) await admin.query(`DROP DATABASE IF EXISTS "${prefix}_${subgraph.name}" WITH (FORCE)`);
  await admin.end();
}, 120_000);

describe.each(CASES.flatMap(({ subgraph, loaders }) => loaders.map((c) => ({ subgraph, ...c }))))(
  '$subgraph.name $loader on PostgreSQL',
  ({ subgraph, loader, model, key, unknown }) => {
    it("returns findMany's rows in key order, null for an unknown key, in one counted statement", async () => {
      const db = databases.get(subgraph.name)!;
      const prisma = db.prisma as Record<string, Model>;
      const sample = await prisma[model]!.findMany({ orderBy: { [key]: 'desc' }, take: 40 });
      expect(sample.length).toBeGreaterThan(0);
      const keys = [...sample.map((row) => String(row[key])), unknown];
      const tally = { statements: 0 };
      const rows = await withStatementScope(tally, () => {
        const loaders = subgraph.createLoaders(db.prisma, db) as Record<string, { load(key: string): Promise<unknown> }>;
        return Promise.all(keys.map((k) => loaders[loader]!.load(k)));
      });
      expect(tally.statements).toBe(1);
      expect(rows).toEqual([...sample, null]);
    });
  },
);
