/**
 * Bulk import benchmark: `npx tsx scripts/bench-import.ts [rows]` (default 100,000).
 * Seeds a national cooperatives registry (83,762 synthetic cooperatives) in a temporary
 * embedded database, generates a CSV of business-unit updates that are all valid and all
 * change something, then times `npm run import` on it, once to write and once again to show
 * that a re-import changes nothing. Results also go to bench-results/import.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { BUSINESS_UNIT_TYPES, loadRegions, randomFor, syntheticCooperative, UNIT_STATUSES } from '@kopdes/kit/synthetic';

const target = Number(process.argv[2] ?? 100_000);
const dataDir = mkdtempSync(path.join(tmpdir(), 'kopdes-bench-import-'));
const csv = path.join(dataDir, `business-units-${target}.csv`);
// The embedded database, national scope: no server URL, no seed scope.
const env: NodeJS.ProcessEnv = { ...process.env, KOPDES_DATA_DIR: dataDir, KOPDES_LOG: 'silent' };
for (const key of ['KOPDES_SEED_SCOPE', 'COOPERATIVES_DATABASE_URL', 'DATABASE_URL']) delete env[key];
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function run(args: string[]): { ms: number; stdout: string; stderr: string; status: number | null } {
  const started = Date.now();
  const result = spawnSync(tsx, args, { cwd: repoRoot, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ms: Date.now() - started, stdout: result.stdout, stderr: result.stderr, status: result.status };
}

try {
  console.log(`Seeding a national cooperatives registry in ${dataDir}…`);
  const seed = run([path.join(repoRoot, 'scripts/seed.ts'), 'cooperatives']);
  if (seed.status !== 0) throw new Error(`seed failed:\n${seed.stderr}`);
  console.log(`  seeded in ${seconds(seed.ms)}`);

  // Rows that move a unit one status forward, or add a unit the cooperative lacks: all valid, all changes.
  const cooperatives = loadRegions().villages.map(syntheticCooperative);
  const lines = ['cooperativeId,type,status'];
  const taken = new Set<string>();
  for (let round = 0; lines.length <= target && round < BUSINESS_UNIT_TYPES.length; round++) {
    for (const c of cooperatives) {
      if (lines.length > target) break;
      const rnd = randomFor(`bench-import-${round}`, c.id);
      const type = BUSINESS_UNIT_TYPES[(rnd.int(0, BUSINESS_UNIT_TYPES.length - 1) + round) % BUSINESS_UNIT_TYPES.length]!;
      if (taken.has(`${c.id} ${type}`)) continue;
      const current = c.units.find((u) => u.type === type)?.status;
      if (current === 'OPERATING') continue;
      const status = current ? UNIT_STATUSES[UNIT_STATUSES.indexOf(current) + 1]! : 'PLANNED';
      taken.add(`${c.id} ${type}`);
      lines.push(`${c.id},${type},${status}`);
    }
  }
  writeFileSync(csv, lines.join('\n') + '\n');
  const rows = lines.length - 1;
  console.log(
    `Generated ${rows.toLocaleString('en')} rows (${(statSync(csv).size / 1e6).toFixed(1)} MB) for ${new Set([...taken].map((k) => k.split(' ')[0])).size.toLocaleString('en')} cooperatives.`,
  );

  const script = path.join(repoRoot, 'scripts/import.ts');
  const dry = run([script, 'cooperatives', csv, '--dry-run', '--json']);
  const first = run([script, 'cooperatives', csv, '--json']);
  const again = run([script, 'cooperatives', csv, '--json']);
  for (const [name, r] of [
    ['dry run', dry],
    ['import', first],
    ['re-import', again],
  ] as const) {
    if (r.status !== 0) throw new Error(`${name} failed (${r.status}):\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`);
  }
  const parse = (r: { stdout: string }) =>
    JSON.parse(r.stdout) as { rows: number; changedRows: number; unchangedRows: number; entities: number; written: boolean; ms: number };
  const results = {
    rows,
    dryRun: { wallMs: dry.ms, ...parse(dry) },
    import: { wallMs: first.ms, ...parse(first) },
    reimport: { wallMs: again.ms, ...parse(again) },
  };
  console.log(`
  dry run     ${seconds(results.dryRun.ms).padStart(7)} in the import, ${seconds(dry.ms)} wall (process start, open database)
  import      ${seconds(results.import.ms).padStart(7)} in the import, ${seconds(first.ms)} wall: ${results.import.changedRows.toLocaleString('en')} rows changed ${results.import.entities.toLocaleString('en')} cooperatives, one transaction, audited
  re-import   ${seconds(results.reimport.ms).padStart(7)} in the import, ${seconds(again.ms)} wall: ${results.reimport.changedRows} changed, ${results.reimport.unchangedRows.toLocaleString('en')} already up to date
  throughput  ${Math.round(rows / (results.import.ms / 1000)).toLocaleString('en')} rows/s (embedded PGlite database, ${new Date().toISOString().slice(0, 10)})`);
  mkdirSync(path.join(repoRoot, 'bench-results'), { recursive: true });
  writeFileSync(path.join(repoRoot, 'bench-results/import.json'), JSON.stringify(results, null, 2) + '\n');
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
