import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphEntries } from '../scripts/lib/registry';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * The production database path: the same migrations and queries against the PostgreSQL
 * server on 127.0.0.1:5432, one fresh database per subgraph and run, dropped afterwards.
 */
const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const run = `kopdes_test_${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: SERVER });
const databases: string[] = [];
let platform: TestPlatform;

function urlFor(database: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  return url.toString();
}

beforeAll(async () => {
  await admin.connect();
  const urls: Record<string, string> = {};
  for (const entry of subgraphEntries()) {
    const name = `${run}_${entry.name.replace(/-/g, '_')}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    databases.push(name);
    urls[entry.name] = urlFor(name);
  }
  platform = await startPlatform({ databaseUrls: urls });
});

afterAll(async () => {
  await platform?.stop();
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

describe('on PostgreSQL', () => {
  it('runs every subgraph on its own server database with the same migrations', async () => {
    for (const sg of platform.subgraphs.values()) {
      expect(sg.server.db.kind).toBe('postgres');
      const applied = await sg.server.db.sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL');
      expect(applied.length).toBeGreaterThan(0);
    }
  });

  it('answers the cross-subgraph regency query exactly as on the embedded databases', async () => {
    const { body } = await platform.query(
      `{ regency(code: "35.14") { name regionCounts { villages kelurahan } registry { cooperatives kkmp }
      districts { code villages { code cooperatives { id kind stage } } } } }`,
      undefined,
      { authorization: await bearer({ subject: 'pg-analyst', role: 'analyst' }) },
    );
    expect(body.errors).toBeUndefined();
    const regency = (
      body.data as {
        regency: { regionCounts: { villages: number }; registry: { cooperatives: number }; districts: { villages: { cooperatives: unknown[] }[] }[] };
      }
    ).regency;
    expect(regency.regionCounts.villages).toBe(365);
    expect(regency.registry.cooperatives).toBe(365);
    expect(regency.districts.flatMap((d) => d.villages).filter((v) => v.cooperatives.length === 1)).toHaveLength(365);
  });

  it('pages, filters and batches the same way', async () => {
    const { body } = await platform.query<{ cooperatives: { totalCount: number; edges: unknown[] } }>(
      '{ cooperatives(filter: { regionCode: "35.14", kind: KKMP }, first: 10) { totalCount edges { node { id village { name } } } } }',
      undefined,
      { authorization: await bearer({ subject: 'pg-analyst', role: 'analyst' }) },
    );
    expect(body.data!.cooperatives.totalCount).toBe(24);
    expect(body.data!.cooperatives.edges).toHaveLength(10);
    const sg = platform.subgraphs.get('cooperatives')!;
    const ids = Array.from({ length: 50 }, (_, i) => ({ __typename: 'Cooperative', id: `KDMP-35.14.01.${2001 + i}` }));
    const batch = await sg.query('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { id } } }', { r: ids });
    expect(batch.statements).toBe(1);
  });
});
