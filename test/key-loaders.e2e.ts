import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSubgraphDatabase, withStatementScope, type AnySubgraph, type Database } from '@kopdes/kit';
import { TEST_SCOPE } from '@kopdes/kit/testing';
import { collaboration } from '../subgraphs/collaboration/src/subgraph';
import { regionPage } from '../subgraphs/cooperatives/src/cooperative/cooperative.loaders';
import { cooperatives } from '../subgraphs/cooperatives/src/subgraph';
import { digital } from '../subgraphs/digital/src/subgraph';
import { energy } from '../subgraphs/energy/src/subgraph';
import { financing } from '../subgraphs/financing/src/subgraph';
import { regencyWithIntercepts } from '../subgraphs/financing/test/intercepts';
import { labour } from '../subgraphs/labour/src/subgraph';
import { regions } from '../subgraphs/regions/src/subgraph';
import { villages } from '../subgraphs/villages/src/subgraph';

/**
 * The by-key loaders behind `_entities` (keyLoader) and the one-to-many ones (groupLoader) read by
 * plain SQL, on PostgreSQL straight on the pool: their rows must be the rows findMany gives (dates,
 * enums, bigints, nulls), in key order and findMany's order. The subgraphs' own integration tests
 * cover the embedded database.
 */
const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const prefix = `kopdes_keyloaders_${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: SERVER });

type Model = { findMany(args: object): Promise<Record<string, unknown>[]>; groupBy(args: object): Promise<Record<string, unknown>[]> };
type Loaders = Record<string, { load(key: string): Promise<unknown> }>;

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

const BY_DATE = [{ date: 'asc' }, { id: 'asc' }];
const BY_CODE = [{ code: 'asc' }];
/** Loader name, the Prisma model and foreign key it replaces findMany on, and findMany's order. */
const GROUPS: { subgraph: AnySubgraph; loader: string; model: string; key: string; orderBy: object[] }[] = [
  { subgraph: energy, loader: 'plantsOfCooperative', model: 'solarPlant', key: 'cooperativeId', orderBy: [{ id: 'asc' }] },
  { subgraph: financing, loader: 'loansOfCooperative', model: 'loan', key: 'cooperativeId', orderBy: [{ appliedOn: 'asc' }, { id: 'asc' }] },
  { subgraph: financing, loader: 'interceptsOfCooperative', model: 'danaDesaIntercept', key: 'cooperativeId', orderBy: BY_DATE },
  { subgraph: financing, loader: 'disbursementsOfLoan', model: 'loanDisbursement', key: 'loanId', orderBy: BY_DATE },
  { subgraph: financing, loader: 'repaymentsOfLoan', model: 'loanRepayment', key: 'loanId', orderBy: BY_DATE },
  { subgraph: financing, loader: 'interceptsOfLoan', model: 'danaDesaIntercept', key: 'loanId', orderBy: BY_DATE },
  { subgraph: labour, loader: 'trainingsOfCooperative', model: 'training', key: 'cooperativeId', orderBy: [{ trainedOn: 'asc' }, { id: 'asc' }] },
  { subgraph: labour, loader: 'hiresOfCooperative', model: 'hire', key: 'cooperativeId', orderBy: [{ hiredOn: 'desc' }, { id: 'asc' }] },
  { subgraph: villages, loader: 'yearsOfVillage', model: 'villageYear', key: 'villageCode', orderBy: [{ year: 'asc' }] },
  { subgraph: regions, loader: 'regenciesOfProvince', model: 'regency', key: 'provinceCode', orderBy: BY_CODE },
  { subgraph: regions, loader: 'districtsOfRegency', model: 'district', key: 'regencyCode', orderBy: BY_CODE },
  { subgraph: regions, loader: 'villagesOfDistrict', model: 'village', key: 'districtCode', orderBy: BY_CODE },
  { subgraph: regions, loader: 'villagesOfRegency', model: 'village', key: 'regencyCode', orderBy: BY_CODE },
  { subgraph: cooperatives, loader: 'cooperativesOfVillage', model: 'cooperative', key: 'villageCode', orderBy: [{ id: 'asc' }] },
];
const SUBGRAPHS = [...new Set([...CASES.map((c) => c.subgraph), ...GROUPS.map((g) => g.subgraph)])];

const databases = new Map<string, Database<unknown>>();

beforeAll(async () => {
  await admin.connect();
  for (const subgraph of SUBGRAPHS) {
    const name = `${prefix}_${subgraph.name}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();
    // Financing's in a regency with Dana Desa intercepts, so that their loaders have rows to read.
    const scope = subgraph === financing ? regencyWithIntercepts() : TEST_SCOPE;
    databases.set(subgraph.name, (await openSubgraphDatabase(subgraph, { url, scope, seed: true })).db);
  }
}, 600_000);

afterAll(async () => {
  for (const db of databases.values()) await db.close();
  for (const subgraph of SUBGRAPHS) await admin.query(`DROP DATABASE IF EXISTS "${prefix}_${subgraph.name}" WITH (FORCE)`);
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
        const loaders = subgraph.createLoaders(db.prisma, db) as Loaders;
        return Promise.all(keys.map((k) => loaders[loader]!.load(k)));
      });
      expect(tally.statements).toBe(1);
      expect(rows).toEqual([...sample, null]);
    });
  },
);

describe.each(GROUPS)('$subgraph.name $loader on PostgreSQL', ({ subgraph, loader, model, key, orderBy }) => {
  it("returns each key's findMany rows in findMany's order, none for an unknown key, in one counted statement", async () => {
    const db = databases.get(subgraph.name)!;
    const prisma = db.prisma as Record<string, Model>;
    // The keys with the most rows, where the order shows.
    const groups = await prisma[model]!.groupBy({ by: [key], _count: { _all: true }, orderBy: [{ _count: { [key]: 'desc' } }, { [key]: 'asc' }], take: 40 });
    const keys = groups.map((group) => String(group[key]));
    expect(keys.length).toBeGreaterThan(0);
    const rows = await prisma[model]!.findMany({ where: { [key]: { in: keys } }, orderBy });
    const expected = keys.map((k) => rows.filter((row) => row[key] === k));
    const tally = { statements: 0 };
    const lists = await withStatementScope(tally, () => {
      const loaders = subgraph.createLoaders(db.prisma, db) as Loaders;
      return Promise.all([...keys, 'NONE'].map((k) => loaders[loader]!.load(k)));
    });
    expect(tally.statements).toBe(1);
    expect(lists).toEqual([...expected, []]);
  });
});

describe('cooperatives regionPage on PostgreSQL', () => {
  it("returns findMany's page and count for a region at every level, after a cursor too, in two counted statements", async () => {
    const db = databases.get(cooperatives.name)!;
    const prisma = db.prisma as unknown as Record<string, Model & { count(args: object): Promise<number> }>;
    const board = (rows: Record<string, unknown>[]) => rows.map(({ board: _, ...row }) => row); // personal: never in a page
    const [sample] = await prisma.cooperative!.findMany({ orderBy: { id: 'asc' }, take: 1 });
    const village = String(sample!.villageCode);
    const regions = [village.slice(0, 2), village.slice(0, 5), village.slice(0, 8), village];
    for (const [level, column] of (['provinceCode', 'regencyCode', 'districtCode', 'villageCode'] as const).entries()) {
      const code = regions[level]!;
      const all = await prisma.cooperative!.findMany({ where: { [column]: code }, orderBy: { id: 'asc' } });
      expect(all.length).toBeGreaterThan(0);
      const afterId = all.length > 2 ? String(all[1]!.id) : undefined;
      const expected = board(all.filter((row) => afterId === undefined || String(row.id) > afterId).slice(0, 11));
      const tally = { statements: 0 };
      const page = await withStatementScope(tally, () => regionPage(db, column, code, afterId, 11, true));
      expect(tally.statements).toBe(2);
      expect(page.rows).toEqual(expected);
      expect(page.totalCount).toBe(await prisma.cooperative!.count({ where: { [column]: code } }));
    }
    expect((await regionPage(db, 'regencyCode', '00.00', undefined, 11, true)).rows).toEqual([]);
    expect((await regionPage(db, 'regencyCode', regions[1]!, undefined, 11, false)).totalCount).toBe(0);
  });
});

describe('digital latestSurvey on PostgreSQL', () => {
  it("returns what Prisma's raw query returned (dates, enums, floats, nulls), null for an unknown village, in one counted statement", async () => {
    const db = databases.get(digital.name)!;
    const prisma = db.prisma as unknown as { $queryRawUnsafe<T>(sql: string, ...values: unknown[]): Promise<T> };
    const codes = (await prisma.$queryRawUnsafe<{ code: string }[]>('SELECT DISTINCT "villageCode" AS code FROM "ConnectivitySurvey" ORDER BY 1 LIMIT 40')).map(
      (r) => r.code,
    );
    expect(codes.length).toBeGreaterThan(0);
    const expected = await prisma.$queryRawUnsafe<{ villageCode: string }[]>(
      'SELECT DISTINCT ON ("villageCode") "villageCode", "surveyedOn", signal, fiber, "downloadMbps" FROM "ConnectivitySurvey" WHERE "villageCode" = ANY($1) ORDER BY "villageCode", "surveyedOn" DESC',
      codes,
    );
    const tally = { statements: 0 };
    const rows = await withStatementScope(tally, () => {
      const loaders = (digital as AnySubgraph).createLoaders(db.prisma, db) as Loaders;
      return Promise.all([...codes, '00.00.00.0000'].map((code) => loaders.latestSurvey!.load(code)));
    });
    expect(tally.statements).toBe(1);
    expect(rows).toEqual([...codes.map((code) => expected.find((row) => row.villageCode === code)), null]);
  });
});
