import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerOf, startTestSubgraph, TEST_SNAPSHOTS_ENV, type TestSubgraph } from '@kopdes/kit/testing';
import { cooperatives } from '../subgraphs/cooperatives/src/subgraph';

const REGISTER = `mutation ($input: RegisterCooperativeInput!, $key: String!) { registerCooperative(input: $input, idempotencyKey: $key) { id } }`;
const COUNT = '{ cooperatives(filter: { regionCode: "35.14" }, first: 1) { totalCount edges { node { id name stage } } } }';

let dir: string;
let previous: string | undefined;
const started: TestSubgraph[] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kopdes-snapshot-test-'));
  previous = process.env[TEST_SNAPSHOTS_ENV];
  process.env[TEST_SNAPSHOTS_ENV] = dir;
});
afterAll(async () => {
  await Promise.allSettled(started.map((s) => s.stop()));
  if (previous === undefined) delete process.env[TEST_SNAPSHOTS_ENV];
  else process.env[TEST_SNAPSHOTS_ENV] = previous;
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<TestSubgraph> {
  const sg = await startTestSubgraph(cooperatives);
  started.push(sg);
  return sg;
}

describe("test databases restored from the run's snapshot", () => {
  it('start as the freshly seeded database, whatever an earlier test wrote to its own copy', async () => {
    const first = await start();
    expect(readdirSync(dir).filter((f) => f.startsWith('cooperatives-') && f.endsWith('.tar'))).toHaveLength(1);
    const seeded = await first.query(COUNT);
    expect(seeded.body.errors).toBeUndefined();

    const input = { villageCode: '3514141001', name: 'Koperasi Snapshot II', kind: 'KKMP', formation: 'NEW', musdesusDate: '2025-08-01', members: 25 };
    const wrote = await first.query(REGISTER, { input, key: 'snapshot-test-1' }, { caller: officerOf('cooperatives') });
    expect(wrote.body.errors).toBeUndefined();
    const changed = (await first.query<{ cooperatives: { totalCount: number } }>(COUNT)).body.data!.cooperatives.totalCount;
    expect(changed).toBe((seeded.body.data as { cooperatives: { totalCount: number } }).cooperatives.totalCount + 1);

    const second = await start();
    expect((await second.query(COUNT)).body).toEqual(seeded.body);
    expect(second.server.db.migrations.applied).toEqual([]); // restored: nothing left to migrate
    expect(second.server.db.synthetic).toBe(first.server.db.synthetic);
  });
});
