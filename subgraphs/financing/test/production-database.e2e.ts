import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_HEADER, generateSigningKeys, openSubgraphDatabase, repoRoot, signCaller, type SigningKeys } from '@kopdes/kit';
import { productionCommand } from '../../../scripts/deploy/dockerfile';
import { financing } from '../src/subgraph';

/**
 * A ministry's first production start, on fresh PostgreSQL databases (unique names, dropped
 * after): the production start command never seeds, the explicit flag seeds and labels the data
 * synthetic, and replicas starting together migrate (and seed) once.
 */
const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const run = `kopdes_prod_${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: SERVER });
const created: string[] = [];
const children: ChildProcess[] = [];
const packageDir = path.join(import.meta.dirname, '..');
const MIGRATIONS = readdirSync(path.join(packageDir, 'prisma/migrations'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
let keys: SigningKeys & { privateKeyPem: string };

async function freshDatabase(label: string): Promise<string> {
  const name = `${run}_${label}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  created.push(name);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function rows<R>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

/** The container image's start command (its CMD, in its WORKDIR); resolves to the URL it listens on. */
function productionStart(env: Record<string, string>, extraArgs: string[] = []): Promise<string> {
  const {
    argv: [, ...args],
    workdir,
  } = productionCommand('subgraph', 'financing');
  const child = spawn(process.execPath, [...args, ...extraArgs], {
    cwd: path.join(repoRoot, workdir),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      APOLLO_TELEMETRY_DISABLED: 'true',
      KOPDES_GATEWAY_PUBLIC_KEY: keys.publicKeyPem,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const listening = /"msg":"subgraph listening".*?"url":"([^"]+)"/.exec(log);
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', (code) => reject(Object.assign(new Error(`the subgraph exited with ${code} before listening:\n${log}`), { exitCode: code })));
  });
}

async function provinceSource(graphqlUrl: string): Promise<{ source: string; loans: number }> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CALLER_HEADER]: await signCaller({ subject: 'test-admin', role: 'admin' }, keys.privateKey) },
    body: JSON.stringify({
      query: '{ _entities(representations: [{ __typename: "Province", code: "35" }]) { ... on Province { financing { source loans } } } }',
    }),
  });
  const body = (await res.json()) as { data: { _entities: { financing: { source: string; loans: number } }[] } };
  return body.data._entities[0]!.financing;
}

const json = async (url: string) => (await fetch(url)).json() as Promise<Record<string, unknown>>;

beforeAll(async () => {
  await admin.connect();
  keys = await generateSigningKeys();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

describe('a production start on PostgreSQL', () => {
  it('migrates a fresh database and seeds nothing: no invented loans, no synthetic label', async () => {
    const url = await freshDatabase('plain');
    const graphql = await productionStart({ DATABASE_URL: url });
    expect(await rows(url, 'SELECT migration_name FROM "_prisma_migrations" ORDER BY 1')).toEqual(MIGRATIONS.map((migration_name) => ({ migration_name })));
    expect(await rows(url, 'SELECT count(*)::int AS n FROM "Loan"')).toEqual([{ n: 0 }]);
    expect(await rows(url, `SELECT to_regclass('"_kopdes_seed"') IS NULL AS absent`)).toEqual([{ absent: true }]);
    expect(await json(new URL('/health', graphql).toString())).toMatchObject({ status: 'ok', database: 'postgres', syntheticData: false });
    expect(await json(new URL('/ready', graphql).toString())).toMatchObject({
      status: 'ready',
      migrations: { applied: MIGRATIONS.length, expected: MIGRATIONS.length },
    });
    expect(await provinceSource(graphql)).toEqual({ source: 'Kemenkeu / Himbara banks / LPDB loan records', loans: 0 });
  });

  it('seeds only with KOPDES_SEED_SYNTHETIC=true, and then says synthetic in every source and in /health', async () => {
    const url = await freshDatabase('flagged');
    const graphql = await productionStart({ DATABASE_URL: url, KOPDES_SEED_SYNTHETIC: 'true', KOPDES_SEED_SCOPE: '35.14' });
    const n = (await rows<{ n: number }>(url, 'SELECT count(*)::int AS n FROM "Loan"'))[0]!.n;
    expect(n).toBeGreaterThan(0);
    expect(await rows(url, 'SELECT name, scope, synthetic FROM "_kopdes_seed"')).toEqual([{ name: 'financing', scope: '35.14', synthetic: true }]);
    expect(await json(new URL('/health', graphql).toString())).toMatchObject({ syntheticData: true });
    expect(await provinceSource(graphql)).toEqual({ source: 'Kemenkeu / Himbara banks / LPDB loan records (synthetic development data)', loans: n });
  });

  it('with --migrate-only (the Kubernetes Job) migrates, seeds nothing even when asked, and exits 0 without listening', async () => {
    const url = await freshDatabase('job');
    const exit = await productionStart({ DATABASE_URL: url, KOPDES_SEED_SYNTHETIC: 'true' }, ['--migrate-only']).then(
      () => 'listened',
      (error: { exitCode?: number }) => error.exitCode,
    );
    expect(exit).toBe(0);
    expect(await rows(url, 'SELECT migration_name FROM "_prisma_migrations" ORDER BY 1')).toEqual(MIGRATIONS.map((migration_name) => ({ migration_name })));
    expect(await rows(url, `SELECT to_regclass('"_kopdes_seed"') IS NULL AS absent`)).toEqual([{ absent: true }]);
  });

  it('refuses a KOPDES_SEED_SYNTHETIC value that is neither true nor false', async () => {
    const url = await freshDatabase('typo');
    await expect(productionStart({ DATABASE_URL: url, KOPDES_SEED_SYNTHETIC: 'yes' })).rejects.toThrow(
      /KOPDES_SEED_SYNTHETIC must be .*"true.* or .*"false.*; got .*"yes/,
    );
    // Refused before touching the database.
    expect(await rows(url, `SELECT to_regclass('"_prisma_migrations"') IS NULL AS absent`)).toEqual([{ absent: true }]);
  });
});

describe('replicas starting together', () => {
  it('apply each migration once and seed once, under the migration lock', async () => {
    const url = await freshDatabase('replicas');
    const opened = await Promise.all([1, 2, 3].map(() => openSubgraphDatabase(financing, { url, seed: true, scope: '35.14' })));
    try {
      const applied = opened.map(({ db }) => db.migrations.applied);
      // One replica applied every migration; the others found them applied.
      expect(applied.filter((a) => a.length > 0)).toEqual([MIGRATIONS]);
      expect(opened.map(({ db }) => db.migrations.alreadyApplied).sort()).toEqual([0, MIGRATIONS.length, MIGRATIONS.length]);
      expect(opened.filter(({ seeded }) => seeded)).toHaveLength(1);
      expect(await rows(url, 'SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1')).toEqual(
        MIGRATIONS.map((migration_name) => ({ migration_name, n: 1 })),
      );
      const { loans, distinct } = (
        await rows<{ loans: number; distinct: number }>(url, 'SELECT count(*)::int AS loans, count(DISTINCT id)::int AS distinct FROM "Loan"')
      )[0]!;
      expect(loans).toBeGreaterThan(0);
      expect(loans).toBe(distinct);
      expect(opened.every(({ db }) => db.synthetic)).toBe(true);
    } finally {
      await Promise.all(opened.map(({ db }) => db.close()));
    }
  });
});
