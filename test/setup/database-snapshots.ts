import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_SNAPSHOTS_ENV } from '@kopdes/kit/testing';

/**
 * One folder per test run for the seeded in-memory databases the test processes share
 * (startTestSubgraph restores a subgraph's database from it after the first build): made before
 * the first test file, removed after the last, so no run reads another run's.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'kopdes-test-snapshots-'));
  process.env[TEST_SNAPSHOTS_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
