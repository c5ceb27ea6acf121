/**
 * The personal-data access record of one subgraph, from the command line:
 *
 *   npm run access:verify -- <subgraph> [--head <hash>] [--json]   checks the hash chain
 *   npm run access:prune -- <subgraph> [--json]                     applies ACCESS_RECORD_RETENTION_DAYS now
 *
 * Database: `<NAME>_DATABASE_URL` (or DATABASE_URL) when set, else the embedded database of
 * `npm start` in .data/<subgraph>, which only one process may open: stop npm start first.
 * `--head` takes a head hash noted earlier (verify prints it): it must still be in the chain,
 * which shows rows cut off its end. Exit codes: 0 verified (or pruned), 1 the chain is broken
 * (the first bad row is named), 2 usage, 3 database unavailable.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  databaseUrlFor,
  embeddedDataDir,
  EmbeddedDatabaseBusyError,
  openDatabase,
  pruneAccessRecord,
  rawSql,
  retentionDaysFromEnv,
  verifyAccessRecord,
  type Database,
} from '@kopdes/kit';
import { loadSubgraph, subgraphEntries } from './lib/registry';

const USAGE = 'Usage: npm run access:verify -- <subgraph> [--head <hash>] [--json]\n       npm run access:prune -- <subgraph> [--json]';

function fail(code: number, message: string): never {
  console.error(code === 2 ? `${message}\n${USAGE}` : message);
  process.exit(code);
}

function parse() {
  try {
    return parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { head: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (error) {
    return fail(2, (error as Error).message);
  }
}
const { values, positionals } = parse();
const [command, subgraph, ...extra] = positionals;
if (command !== 'verify' && command !== 'prune') fail(2, `Unknown command "${command ?? ''}": verify or prune.`);
if (!subgraph) fail(2, 'Name the subgraph whose access record to check.');
if (extra.length) fail(2, `Unexpected argument(s): ${extra.join(' ')}.`);
if (values.head !== undefined && !/^[0-9a-f]{64}$/.test(values.head)) fail(2, '--head takes a 64-character hex hash, as `verify` printed it.');
const entry = subgraphEntries().find((e) => e.name === subgraph);
if (!entry)
  fail(
    2,
    `Unknown subgraph "${subgraph}". Registered: ${subgraphEntries()
      .map((e) => e.name)
      .join(', ')}.`,
  );

const definition = await loadSubgraph(entry);
const url = databaseUrlFor(entry.name);
if (!url && !existsSync(embeddedDataDir(entry.name)))
  fail(
    3,
    `No embedded ${entry.name} database in ${embeddedDataDir(entry.name)} (npm start creates it), and no ${entry.name.toUpperCase()}_DATABASE_URL or DATABASE_URL.`,
  );
let db: Database<unknown>;
try {
  db = await openDatabase(definition.createClient, { subgraph: entry.name, migrationsDir: definition.migrationsDir, url });
} catch (error) {
  if (error instanceof EmbeddedDatabaseBusyError)
    fail(3, `${error.message}\nThe embedded database has one user at a time: stop npm start, or verify against PostgreSQL with DATABASE_URL.`);
  fail(3, `Cannot open the ${entry.name} database (${url ? 'PostgreSQL' : 'embedded'}): ${(error as Error).message}`);
}

try {
  if (command === 'prune') {
    const days = retentionDaysFromEnv();
    const result = await pruneAccessRecord(db.sql, days);
    if (values.json) console.log(JSON.stringify({ subgraph, retentionDays: days, ...result }));
    else
      console.log(
        result.pruned
          ? `Pruned ${result.pruned} read(s) older than ${days} days from the ${subgraph} access record; checkpoint after row ${result.checkpoint!.prunedThroughId}.`
          : `Nothing older than ${days} days in the ${subgraph} access record.`,
      );
  } else {
    const result = await verifyAccessRecord(rawSql(db.sql), { expectHead: values.head });
    if (values.json) console.log(JSON.stringify({ subgraph, ...result }));
    else if (result.ok) {
      console.log(
        result.head
          ? `The ${subgraph} access record verifies: ${result.rows} row(s), head row ${result.head.id} at ${result.head.at.toISOString()}, hash ${result.head.hash}.\nKeep that hash somewhere else and pass it as --head next time: a later verify then also shows rows deleted from the end.`
          : `The ${subgraph} access record is empty.`,
      );
    } else {
      console.error(
        `The ${subgraph} access record does NOT verify: first bad row ${result.bad!.id}: ${result.bad!.reason}. ${result.rows} row(s) before it verified.`,
      );
    }
    process.exitCode = result.ok ? 0 : 1;
  }
} finally {
  await db.close();
}
