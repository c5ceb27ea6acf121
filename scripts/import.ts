/**
 * `npm run import -- <subgraph> <file> [--dry-run] [--type <importer>] [--format csv|ndjson] [--json] [--actor <name>]`
 * `npm run import -- <subgraph> --list`
 *
 * Loads a ministry's records from CSV (header row) or NDJSON into its subgraph's database,
 * with the same rules as its mutations. Every bad row is reported with its line number;
 * nothing is written unless the whole file is valid. Rows equal to what is stored are not
 * written, so importing the same file again changes nothing.
 *
 * Database: `<NAME>_DATABASE_URL` (or DATABASE_URL) when set, else the embedded database of
 * `npm start` in .data/<subgraph>, which only one process may open: stop npm start first.
 *
 * Exit codes: 0 imported (or valid on --dry-run), 1 bad rows, 2 usage, 3 database busy.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { formatOf, readRecords, runImport, type ImportFormat, type ImportReport } from '@kopdes/kit';
import { announceWrite } from '../gateway/src/response-cache';
import { chooseImporter, fileColumns, loadImporters, openForImport, StackRunningError } from './lib/import';
import { loadSubgraph, subgraphEntries } from './lib/registry';

const args = process.argv.slice(2);
const valueFlags = new Set(['--type', '--format', '--actor']);
const flags = new Map<string, string | true>();
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (valueFlags.has(a)) flags.set(a, args[++i] ?? '');
  else if (a.startsWith('--')) flags.set(a, true);
  else positional.push(a);
}
const json = flags.has('--json');
const dryRun = flags.has('--dry-run');
const usage = 'Usage: npm run import -- <subgraph> <file.csv|file.ndjson> [--dry-run] [--type <importer>] [--json]\n       npm run import -- <subgraph> --list';

function fail(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

const [subgraph, file] = positional;
const entries = subgraphEntries();
if (!subgraph) fail(2, usage);
const entry = entries.find((e) => e.name === subgraph);
if (!entry) fail(2, `Unknown subgraph "${subgraph}". Registered: ${entries.map((e) => e.name).join(', ')}.`);
const importers = await loadImporters(entry);
if (!importers || Object.keys(importers).length === 0) {
  fail(
    2,
    `The ${subgraph} subgraph has no importers yet. A subgraph offers them by exporting \`${subgraph.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Importers\` from its package (see docs/ministry-guide.md).`,
  );
}

if (flags.has('--list')) {
  for (const [name, importer] of Object.entries(importers)) {
    console.log(`${name}: ${importer.description}`);
    for (const c of importer.columns) console.log(`  ${c.name.padEnd(18)}${c.required ? 'required  ' : 'optional  '}${c.description}`);
    console.log('');
  }
  process.exit(0);
}

if (!file) fail(2, usage);
if (!existsSync(file)) fail(2, `No such file: ${file}`);
const format = (flags.get('--format') as ImportFormat | undefined) ?? formatOf(file);
if (format !== 'csv' && format !== 'ndjson') fail(2, `Cannot tell the format of ${file}: name it .csv or .ndjson (.jsonl), or pass --format csv|ndjson.`);

let chosen: { name: string; importer: (typeof importers)[string] };
const type = flags.get('--type');
if (typeof type === 'string') {
  const importer = importers[type];
  if (!importer) fail(2, `The ${subgraph} subgraph has no importer "${type}"; it has: ${Object.keys(importers).join(', ')}.`);
  chosen = { name: type, importer };
} else {
  const columns = await fileColumns(file, format);
  if (!columns) fail(1, `${file} holds no records.`);
  const picked = chooseImporter(importers, columns);
  if ('error' in picked) fail(2, picked.error);
  chosen = picked;
}

const sha = createHash('sha256');
for await (const chunk of createReadStream(file)) sha.update(chunk as Buffer);
const source = `${path.basename(file)}@${sha.digest('hex').slice(0, 16)}`;

const log = (line: string) => console.error(line);
let db: Awaited<ReturnType<typeof openForImport>>;
try {
  db = await openForImport(entry, log);
} catch (error) {
  if (error instanceof StackRunningError) fail(3, error.message);
  throw error;
}

// Progress on stderr once a file is large enough to wait for.
const tty = process.stderr.isTTY;
let lastProgress = 0;
let shown = false;
function progress(phase: 'read' | 'check' | 'write', done: number, total?: number): void {
  const now = Date.now();
  if ((total === undefined || done < total) && now - lastProgress < (tty ? 200 : 2000)) return;
  if (done < 10_000 && !shown) return;
  lastProgress = now;
  shown = true;
  const verb = { read: 'read', check: 'checked', write: 'wrote' }[phase];
  const text = `  ${verb} ${done.toLocaleString('en')}${total !== undefined ? ` / ${total.toLocaleString('en')}` : ''} ${phase === 'write' ? 'records' : 'rows'}`;
  process.stderr.write(tty ? `\r${text}\u001b[K` : `${text}\n`);
}

let report: ImportReport;
try {
  report = await runImport({
    db: db.sql,
    importer: chosen.importer,
    name: chosen.name,
    items: readRecords(file, format),
    dryRun,
    source,
    actor: typeof flags.get('--actor') === 'string' ? (flags.get('--actor') as string) : `import:${userInfo().username}`,
    ministry: subgraph,
    onProgress: progress,
    summaries: (await loadSubgraph(entry)).summaries,
  });
} finally {
  if (shown && tty) process.stderr.write('\n');
  await db.close();
}

const relative = path.relative(process.cwd(), db.location);
const where = db.kind === 'pglite' ? `embedded database ${relative && !relative.startsWith('..') ? relative : db.location}` : `PostgreSQL ${db.location}`;
if (json) {
  console.log(JSON.stringify({ subgraph, importer: chosen.name, file, database: where, ...report }, null, 2));
} else {
  const rate = report.rows >= 1000 ? ` (${Math.round(report.rows / Math.max(report.ms / 1000, 0.001)).toLocaleString('en')} rows/s)` : '';
  console.log(
    `${subgraph} / ${chosen.name}: ${report.rows.toLocaleString('en')} row(s) from ${file} into the ${where} in ${(report.ms / 1000).toFixed(1)} s${rate}.`,
  );
  if (report.issues.length > 0) {
    console.log(`\n${report.issues.length} bad row(s); nothing was written:`);
    for (const issue of report.issues) console.log(`  line ${issue.line}: ${issue.reason}`);
  } else if (report.dryRun) {
    console.log(
      `Dry run: every row is valid; ${report.changedRows.toLocaleString('en')} row(s) would change ${report.entities.toLocaleString('en')} record(s), ${report.unchangedRows.toLocaleString('en')} row(s) are already up to date. Nothing was written.`,
    );
  } else if (report.written) {
    console.log(
      `Imported: ${report.changedRows.toLocaleString('en')} row(s) changed ${report.entities.toLocaleString('en')} record(s) (each audited); ${report.unchangedRows.toLocaleString('en')} row(s) were already up to date.`,
    );
  } else {
    console.log(`Nothing to change: all ${report.unchangedRows.toLocaleString('en')} row(s) are already up to date.`);
  }
}
if (report.written && process.env.REDIS_URL) {
  // Gateways sharing this Redis drop their cached answers that read this subgraph.
  try {
    const replicas = await announceWrite(process.env.REDIS_URL, subgraph);
    console.error(`Told ${replicas} gateway replica(s) to drop cached ${subgraph} answers.`);
  } catch (error) {
    console.error(`Could not tell the gateways through REDIS_URL (${(error as Error).message}); cached answers expire within RESPONSE_CACHE_TTL_MS.`);
  }
}
process.exitCode = report.issues.length > 0 ? 1 : 0;
