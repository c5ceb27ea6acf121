import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, openSubgraphDatabase, readCsv, readRecords, repoRoot, runImport, type Database, type ImportFormat, type ReadItem } from '@kopdes/kit';
import { TEST_SCOPE } from '@kopdes/kit/testing';
import { cooperatives, cooperativesImporters } from '../src/subgraph';

let db: Database<unknown>;
let dir: string;
let fileNo = 0;

beforeAll(async () => {
  ({ db } = await openSubgraphDatabase(cooperatives, { dataDir: 'memory://', scope: TEST_SCOPE }));
  dir = mkdtempSync(path.join(tmpdir(), 'kopdes-import-test-'));
});
afterAll(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sql = <R>(text: string, params?: unknown[]) => db.sql.query<R>(text, params);

function file(text: string, ext = 'csv'): string {
  const name = path.join(dir, `import-${++fileNo}.${ext}`);
  writeFileSync(name, text);
  return name;
}

function importFile(name: string, type: 'stages' | 'business-units', options: { dryRun?: boolean } = {}) {
  const format: ImportFormat = name.endsWith('.csv') ? 'csv' : 'ndjson';
  return runImport({
    db: db.sql,
    importer: cooperativesImporters[type]!,
    name: type,
    items: readRecords(name, format),
    actor: 'test',
    source: path.basename(name),
    ...options,
  });
}

/** Every cooperative's units and update time, and the audit log size: what "nothing written" compares. */
async function snapshot() {
  const rows = await sql<{ id: string; units: string; stage: string; updatedAt: string }>(
    'SELECT id, units::text AS units, stage::text AS stage, "updatedAt"::text AS "updatedAt" FROM "Cooperative" ORDER BY id',
  );
  const [audit] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM "_kopdes_audit"');
  return { rows, audit: audit!.n };
}

async function unitsOf(id: string): Promise<{ type: string; status: string }[]> {
  const [row] = await sql<{ units: string }>('SELECT units::text AS units FROM "Cooperative" WHERE id = $1', [id]);
  return JSON.parse(row!.units) as { type: string; status: string }[];
}

/** Cooperatives of the test region with an OPERATING unit, and without a LPG unit. */
async function fixtures() {
  const operating = await sql<{ id: string; type: string }>(
    `SELECT id, u->>'type' AS type FROM "Cooperative", jsonb_array_elements(units) u WHERE u->>'status' = 'OPERATING' ORDER BY id LIMIT 1`,
  );
  const withoutLpg = await sql<{ id: string }>(`SELECT id FROM "Cooperative" WHERE NOT units @> '[{"type": "LPG"}]' ORDER BY id LIMIT 3`);
  return { operating: operating[0]!, withoutLpg: withoutLpg.map((r) => r.id) };
}

describe('business-units import', () => {
  it('writes nothing when one row is bad, and reports that row with its line and reason', async () => {
    const { operating, withoutLpg } = await fixtures();
    const before = await snapshot();
    const name = file(
      [
        'cooperativeId,type,status',
        `${withoutLpg[0]},LPG,PLANNED`,
        `${withoutLpg[1]},LPG,PLANNED`,
        `${operating.id},${operating.type},PLANNED`,
        `${withoutLpg[2]},LPG,PLANNED`,
      ].join('\n'),
    );
    const report = await importFile(name, 'business-units');
    expect(report.issues).toEqual([{ line: 4, reason: `A business unit cannot go back from OPERATING to PLANNED.` }]);
    expect(report.written).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it('imports a valid file in one transaction, audited, and re-importing it changes nothing', async () => {
    const { withoutLpg } = await fixtures();
    const name = file(
      ['cooperativeId,type,status', ...withoutLpg.map((id) => `${id},LPG,UNDER_CONSTRUCTION`), `${withoutLpg[0]},FREE_MEALS_SUPPLY,OPERATING`].join('\r\n') +
        '\r\n',
    );
    const before = await snapshot();
    const first = await importFile(name, 'business-units');
    expect(first).toMatchObject({ rows: 4, issues: [], changedRows: 4, unchangedRows: 0, entities: 3, written: true });
    expect(await unitsOf(withoutLpg[0]!)).toEqual(
      expect.arrayContaining([
        { type: 'LPG', status: 'UNDER_CONSTRUCTION' },
        { type: 'FREE_MEALS_SUPPLY', status: expect.any(String) },
      ]),
    );
    const audit = await sql<{ operation: string; entity_id: string; after: { units: unknown[] }; idempotency_key: string }>(
      'SELECT operation, entity_id, after, idempotency_key FROM "_kopdes_audit" ORDER BY id DESC LIMIT 3',
    );
    expect(audit.map((a) => a.operation)).toEqual(['import.business-units', 'import.business-units', 'import.business-units']);
    expect(audit.map((a) => a.entity_id).sort()).toEqual([...withoutLpg].sort());
    const afterFirst = await snapshot();
    expect(afterFirst.audit).toBe(before.audit + 3);

    const again = await importFile(name, 'business-units');
    expect(again).toMatchObject({ rows: 4, issues: [], changedRows: 0, unchangedRows: 4, entities: 0, written: false });
    expect(await snapshot()).toEqual(afterFirst);
  });

  it('validates on a dry run and says what would change, writing nothing', async () => {
    const { withoutLpg } = await fixtures();
    const before = await snapshot();
    const report = await importFile(file(`cooperativeId,type,status\n${withoutLpg[0]},LPG,PLANNED\n`), 'business-units', { dryRun: true });
    expect(report).toMatchObject({ rows: 1, issues: [], changedRows: 1, entities: 1, written: false, dryRun: true });
    expect(await snapshot()).toEqual(before);
  });
});

describe('stages import', () => {
  it('applies the mutation rules to every row and reports each bad row by line', async () => {
    const [musdesus] = await sql<{ id: string }>(
      `UPDATE "Cooperative" SET stage = 'MUSDESUS_HELD' WHERE id = (SELECT max(id) FROM "Cooperative") RETURNING id`,
    );
    const [operating] = await sql<{ id: string }>(`SELECT id FROM "Cooperative" WHERE stage = 'OPERATING' ORDER BY id LIMIT 1`);
    const before = await snapshot();
    const name = file(
      [
        JSON.stringify({ cooperativeId: musdesus!.id, stage: 'NOTARY_DEED' }),
        JSON.stringify({ cooperativeId: operating!.id, stage: 'SIMKOPDES' }),
        '',
        JSON.stringify({ cooperativeId: musdesus!.id, stage: 'AHU_DECREE' }),
        JSON.stringify({ cooperativeId: 'KDMP-99.99.99.9999', stage: 'NOTARY_DEED', nib: '123', npwp: 12345678901234568 }),
        '{"cooperativeId": ',
        JSON.stringify({ stage: 'NOTARY_DEED' }),
        JSON.stringify({ cooperativeId: operating!.id.replace(/1$/, '2'), stage: 'LAUNCHED', colour: 'red' }),
      ].join('\n'),
      'ndjson',
    );
    const report = await importFile(name, 'stages');
    expect(report.written).toBe(false);
    expect(report.issues.map((i) => i.line)).toEqual([2, 4, 5, 6, 7, 8]);
    const reason = (line: number) => report.issues.find((i) => i.line === line)!.reason;
    expect(reason(2)).toBe(`A cooperative cannot go back from OPERATING to SIMKOPDES; the lifecycle only moves forward.`);
    expect(reason(4)).toBe(`repeats ${musdesus!.id} from line 1; give each record once.`);
    expect(reason(5)).toMatch(/^nib "123" is not valid; expected 13 digits\. npwp "12345678901234568" is not valid; expected 15 or 16 digits\.$/);
    expect(reason(6)).toMatch(/^is not valid JSON/);
    expect(reason(7)).toBe('cooperativeId is required.');
    expect(reason(8)).toMatch(/unknown field\(s\) colour.*stage "LAUNCHED" is not a lifecycle stage/);
    expect(await snapshot()).toEqual(before);
  });

  it('needs the identifiers a stage brings, keeps stored ones, and moves the stage forward', async () => {
    // A cooperative just past its notary deed (fixture: the first one of the region, set back in SQL).
    const [coop] = await sql<{ id: string; musdesus: string }>(
      `UPDATE "Cooperative" SET stage = 'NOTARY_DEED', "ahuDecreeNumber" = NULL, "ahuDecreeDate" = NULL, "nikKoperasi" = NULL, nib = NULL, npwp = NULL
        WHERE id = (SELECT min(id) FROM "Cooperative") RETURNING id, to_char("musdesusDate", 'YYYY-MM-DD') AS musdesus`,
    );
    const missing = await importFile(file(`cooperativeId,stage\n${coop!.id},AHU_DECREE\n`), 'stages');
    expect(missing.issues).toEqual([
      { line: 2, reason: 'Stage AHU_DECREE needs ahuDecreeNumber (AHU-0025573.AH.01.29.TAHUN 2025); it is issued at AHU_DECREE.' },
    ]);
    const early = await importFile(
      file(`cooperativeId,stage,ahuDecreeNumber,ahuDecreeDate\n${coop!.id},AHU_DECREE,AHU-0012345.AH.01.29.TAHUN 2025,2025-01-02\n`),
      'stages',
    );
    expect(early.issues[0]!.reason).toBe(`ahuDecreeDate 2025-01-02 is before the musdesus (${coop!.musdesus}); the decree follows the meeting.`);
    const ok = await importFile(
      file(`cooperativeId,stage,ahuDecreeNumber,ahuDecreeDate\n${coop!.id},AHU_DECREE,AHU-0012345.AH.01.29.TAHUN 2025,2025-10-01\n`),
      'stages',
    );
    expect(ok).toMatchObject({ issues: [], changedRows: 1, written: true });
    const [after] = await sql<{ stage: string; ahu: string; date: string }>(
      `SELECT stage::text AS stage, "ahuDecreeNumber" AS ahu, to_char("ahuDecreeDate", 'YYYY-MM-DD') AS date FROM "Cooperative" WHERE id = $1`,
      [coop!.id],
    );
    expect(after).toEqual({ stage: 'AHU_DECREE', ahu: 'AHU-0012345.AH.01.29.TAHUN 2025', date: '2025-10-01' });
    // The same stage again with the identifier left out: nothing to change.
    const again = await importFile(file(`cooperativeId,stage\n${coop!.id},AHU_DECREE\n`), 'stages');
    expect(again).toMatchObject({ issues: [], changedRows: 0, unchangedRows: 1, written: false });
  });
});

describe('CSV reader', () => {
  it('reads quoted commas, doubled quotes and line breaks, numbering records by their first line', async () => {
    const name = file('\uFEFFa,b\n1,"x, y"\n\n2,"he said ""hi"""\n3,"two\nlines"\n4,after\n5\n"6,open\n');
    const items: ReadItem[] = [];
    for await (const item of readCsv(name)) items.push(item);
    expect(items).toEqual([
      { kind: 'header', line: 1, columns: ['a', 'b'] },
      { kind: 'row', line: 2, values: { a: '1', b: 'x, y' } },
      { kind: 'row', line: 4, values: { a: '2', b: 'he said "hi"' } },
      { kind: 'row', line: 5, values: { a: '3', b: 'two\nlines' } },
      { kind: 'row', line: 7, values: { a: '4', b: 'after' } },
      { kind: 'error', line: 8, reason: 'has 1 field(s) but the header has 2; quote fields that contain commas.' },
      { kind: 'error', line: 9, reason: 'has a quoted field that is never closed; check the quotes from this line on.' },
    ]);
  });
});

describe('npm run import', () => {
  const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
  // Asynchronous: a worker blocked in spawnSync misses vitest's heartbeats.
  const cli = (args: string[], dataDir: string) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        tsx,
        [path.join(repoRoot, 'scripts/import.ts'), ...args],
        {
          cwd: repoRoot,
          encoding: 'utf8',
          env: {
            ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.endsWith('DATABASE_URL'))),
            KOPDES_DATA_DIR: dataDir,
            KOPDES_SEED_SCOPE: TEST_SCOPE,
          },
        },
        (error, stdout, stderr) => resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('imports into the embedded database, reports bad rows with exit code 1, and refuses while another process holds it', async () => {
    const dataDir = path.join(dir, 'data');
    const { withoutLpg } = await fixtures();
    const bad = file(`cooperativeId,type,status\n${withoutLpg[0]},LPG,PLANNED\n${withoutLpg[1]},ROCKET,PLANNED\n`);
    const refused = await cli(['cooperatives', bad], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('1 bad row(s); nothing was written:\n  line 3: type "ROCKET" is not a business unit type');

    const good = file(`cooperativeId,type,status\n${withoutLpg[0]},LPG,PLANNED\n`);
    const imported = await cli(['cooperatives', good, '--json'], dataDir);
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ subgraph: 'cooperatives', importer: 'business-units', rows: 1, changedRows: 1, written: true });

    // The dev stack (or any process) holding the embedded database: the import says so instead of corrupting it.
    const holder = await openDatabase(cooperatives.createClient, {
      subgraph: 'cooperatives',
      migrationsDir: cooperatives.migrationsDir,
      dataDir: path.join(dataDir, 'cooperatives'),
    });
    try {
      const busy = await cli(['cooperatives', good], dataDir);
      expect(busy.status).toBe(3);
      expect(busy.stderr).toMatch(/is open in process \d+.*stop npm start/);
    } finally {
      await holder.close();
    }
  }, 180_000);
});
