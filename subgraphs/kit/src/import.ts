/**
 * Bulk import of a ministry's records from the files ministries export (CSV with a header
 * row, or NDJSON), with the same rules as the mutations: every bad row is reported with its
 * line number and reason; nothing is written unless the whole file is valid (one
 * transaction); rows equal to what is stored are not written, so re-importing a file changes
 * nothing. A subgraph declares its importers; `npm run import` runs them.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream';
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse';
import type { SqlExecutor } from './migrate';
import { auditJson } from './writes';
import { deferSummaryRefresh, refillRegionSummaries, type RegionSummary } from './summary';

export interface ImportColumn {
  name: string;
  required?: boolean;
  description: string;
}

/** A row the importer accepted on its own (format rules), before the database rules. */
export interface ParsedRow<R> {
  line: number;
  record: R;
}

/** One record (e.g. a cooperative) to write, from one or several rows. */
export interface EntityWrite {
  entityId: string;
  /** Lines of the file that changed it. */
  lines: number[];
  /** What the rows change, as stored before and after (the audit log's before/after). */
  before: unknown;
  after: unknown;
  /** Anything else `write` needs (e.g. the whole new value when the audit shows a part). */
  data?: unknown;
}

export interface ImportIssue {
  line: number;
  reason: string;
}

export interface ImportPlan {
  issues: ImportIssue[];
  writes: EntityWrite[];
  /** Rows equal to what is stored. */
  unchanged: number;
}

/**
 * How one kind of record is imported. `parse` applies the format rules of one row (no
 * database); `plan` applies the rules that need the stored records, for every row of a batch
 * of entities (all rows of one entity are always in the same batch), and says what would
 * change; `write` applies those changes. plan and write run in the import's one transaction.
 */
export interface Importer<R> {
  description: string;
  /** Entity written (audit log), e.g. "Cooperative". */
  entity: string;
  columns: ImportColumn[];
  parse(values: Record<string, string>): { record: R } | { errors: string[] };
  /** Natural key of a row: two rows with the same key are a mistake in the file. */
  naturalKey(record: R): string;
  /** The entity a row changes; defaults to the natural key. */
  entityId?(record: R): string;
  plan(db: SqlExecutor, rows: ParsedRow<R>[], options: { lock: boolean }): Promise<ImportPlan>;
  write(db: SqlExecutor, writes: EntityWrite[]): Promise<void>;
}

export type AnyImporter = Importer<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs each check (the mutations' rule functions throw) and collects every message. */
export function ruleErrors(...checks: (() => unknown)[]): string[] {
  const errors: string[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------
// Readers: stream a file, one item per record, with the line it starts on.

export type ReadItem =
  | { kind: 'header'; line: number; columns: string[] }
  | { kind: 'row'; line: number; values: Record<string, string> }
  | { kind: 'error'; line: number; reason: string };

export type ImportFormat = 'csv' | 'ndjson';

export function formatOf(file: string): ImportFormat | undefined {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson';
  return undefined;
}

/** Cells as the importers see them: trimmed text; empty cells are absent. */
function clean(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const v = value.trim();
    if (v !== '') out[key] = v;
  }
  return out;
}

/** A CSV record's fields and the line it starts on. */
interface CsvRecord {
  fields: string[];
  line: number;
}

/** Line breaks in `text` (CRLF, LF or CR). */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\n|\r/g)?.length ?? 0;
}

/** csv-parse's errors as a ministry's data clerk can act on them. */
function csvReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'has a quoted field that is never closed; check the quotes from this line on.';
    default:
      // csv-parse reads no further: say so, since later rows were not checked.
      return `cannot be read as CSV (${error.message}); reading stopped here: fix this line and import again.`;
  }
}

/**
 * RFC 4180 CSV with a header row (csv-parse), streamed. Each record is numbered by the line it
 * starts on. A record csv-parse cannot read (an unclosed quote swallows the rest of the file)
 * becomes an error item after the records before it, instead of failing the whole read; a row
 * with the wrong number of fields is an error of its own, and reading goes on.
 */
export async function* readCsv(file: string): AsyncGenerator<ReadItem> {
  // Where the previous record ended: a record starts on the line after it, past the blank (or,
  // with ltrim, blank-looking) lines csv-parse keeps at the front of its raw text.
  let lastEnd = 0;
  const startOf = (raw: string | undefined, end: number) => {
    const blank = /^(?:[ \t]*(?:\r\n|\n|\r))*/.exec(raw ?? '')![0];
    const start = lastEnd + 1 + lineBreaks(blank);
    lastEnd = end;
    return start;
  };
  // csv-parse reads no further after a record it skips, so this is the last item.
  let unreadable: ReadItem | undefined;
  const options: Options<CsvRecord, { record: string[] }> = {
    bom: true,
    // Checked below, so the message names both counts and reading goes on.
    relax_column_count: true,
    // A quote inside an unquoted field is text (5" tyre), as spreadsheets write it.
    relax_quotes: true,
    // Spaces before an opening quote are allowed (importers trim cells anyway). Not rtrim: text
    // after a closing quote would then end the read.
    ltrim: true,
    skip_empty_lines: true,
    // Reports the unclosed quote through on_skip after the records before it, where an error
    // would fail the stream and lose them.
    skip_records_with_error: true,
    raw: true,
    // With `raw`, each record comes as { record, raw }.
    on_record: (parsed: { record: string[] }, context: InfoRecord) => ({ fields: parsed.record, line: startOf(context.raw, context.lines) }),
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      if (error) unreadable = { kind: 'error', line: startOf(raw, lastEnd + 1), reason: csvReason(error) };
      return undefined;
    },
  };
  // parse()'s overloads type records as string arrays only; on_record makes them CsvRecords.
  const parser = pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), parse(options as unknown as Options), () => {});
  let header: string[] | undefined;
  for await (const { fields: record, line } of parser as AsyncIterable<CsvRecord>) {
    if (!header) {
      header = record.map((h) => h.trim());
      yield { kind: 'header', line, columns: header };
    } else if (record.length !== header.length) {
      yield { kind: 'error', line, reason: `has ${record.length} field(s) but the header has ${header.length}; quote fields that contain commas.` };
    } else {
      const values: Record<string, string> = {};
      for (let i = 0; i < record.length; i++) values[header[i]!] = record[i]!;
      yield { kind: 'row', line, values: clean(values) };
    }
  }
  if (unreadable) yield unreadable;
  if (!header) yield { kind: 'error', line: 1, reason: 'the file is empty: a CSV import starts with a header row naming the columns.' };
}

/** One JSON object per line; blank lines are skipped. */
export async function* readNdjson(file: string): AsyncGenerator<ReadItem> {
  let line = 0;
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { kind: 'error', line, reason: `is not valid JSON (${(error as Error).message}).` };
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      yield { kind: 'error', line, reason: 'is not a JSON object; each line holds one record, e.g. {"cooperativeId": "..."}.' };
      continue;
    }
    const values: Record<string, string> = {};
    const bad: string[] = [];
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[key] = String(v);
      else bad.push(key);
    }
    if (bad.length > 0) yield { kind: 'error', line, reason: `${bad.join(', ')} must be text, a number or a boolean.` };
    else yield { kind: 'row', line, values: clean(values) };
  }
}

export function readRecords(file: string, format: ImportFormat): AsyncGenerator<ReadItem> {
  return format === 'csv' ? readCsv(file) : readNdjson(file);
}

// ---------------------------------------------------------------------------------------
// The run

export interface ImportOptions {
  db: SqlExecutor;
  importer: AnyImporter;
  /** Importer name, recorded in the audit log as `import.<name>`. */
  name: string;
  items: AsyncIterable<ReadItem>;
  dryRun?: boolean;
  /** Who imports (audit log). */
  actor: string;
  ministry?: string;
  /** Identifies the file (e.g. its sha256): audit entries are keyed `import:<source>:<line>`. */
  source: string;
  /** Rows per database batch. */
  batchSize?: number;
  onProgress?(phase: 'read' | 'check' | 'write', done: number, total?: number): void;
  /** The subgraph's region summaries: a large import refills them once at its end instead of per statement. */
  summaries?: readonly RegionSummary[];
}

export interface ImportReport {
  rows: number;
  issues: ImportIssue[];
  /** Rows that would change (or changed) a record. */
  changedRows: number;
  unchangedRows: number;
  /** Records written (or that would be, on a dry run). */
  entities: number;
  written: boolean;
  dryRun: boolean;
  ms: number;
}

class Rollback extends Error {}

/**
 * Reads every row, applies the importer's rules, and writes everything in one transaction,
 * or nothing when any row is bad (or on a dry run). Each record written gets an audit entry.
 */
export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const { importer, db } = options;
  const batchSize = options.batchSize ?? 2000;
  const known = new Set(importer.columns.map((c) => c.name));
  const required = importer.columns.filter((c) => c.required).map((c) => c.name);
  const expected = importer.columns.map((c) => c.name).join(', ');
  const issues: ImportIssue[] = [];
  const parsed: (ParsedRow<unknown> & { key: string; entity: string })[] = [];
  const seen = new Map<string, number>();
  let rows = 0;
  let headerChecked = false;

  for await (const item of options.items) {
    if (item.kind === 'header') {
      headerChecked = true;
      const unknown = item.columns.filter((c) => !known.has(c));
      const missing = required.filter((c) => !item.columns.includes(c));
      if (unknown.length > 0) issues.push({ line: item.line, reason: `unknown column(s) ${unknown.join(', ')}; the columns are: ${expected}.` });
      if (missing.length > 0) issues.push({ line: item.line, reason: `missing required column(s) ${missing.join(', ')}.` });
      continue;
    }
    if (item.kind === 'error') {
      issues.push({ line: item.line, reason: item.reason });
      continue;
    }
    rows++;
    if (rows % 10_000 === 0) options.onProgress?.('read', rows);
    const reasons: string[] = [];
    if (!headerChecked) {
      const unknown = Object.keys(item.values).filter((k) => !known.has(k));
      if (unknown.length > 0) reasons.push(`unknown field(s) ${unknown.join(', ')}; the fields are: ${expected}.`);
    }
    const absent = required.filter((c) => item.values[c] === undefined);
    if (absent.length > 0) reasons.push(`${absent.join(', ')} ${absent.length > 1 ? 'are' : 'is'} required.`);
    else {
      const result = importer.parse(item.values);
      if ('errors' in result) reasons.push(...result.errors);
      else {
        const key = importer.naturalKey(result.record);
        const previous = seen.get(key);
        if (previous !== undefined) reasons.push(`repeats ${key} from line ${previous}; give each record once.`);
        else if (reasons.length === 0) {
          seen.set(key, item.line);
          parsed.push({ line: item.line, record: result.record, key, entity: importer.entityId?.(result.record) ?? key });
        }
      }
    }
    if (reasons.length > 0) issues.push({ line: item.line, reason: reasons.join(' ') });
  }
  options.onProgress?.('read', rows, rows);

  // Every row of an entity in the same batch, in file order within it.
  parsed.sort((a, b) => (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : a.line - b.line));
  const batches: (typeof parsed)[] = [];
  for (let start = 0; start < parsed.length;) {
    let end = Math.min(start + batchSize, parsed.length);
    while (end < parsed.length && parsed[end]!.entity === parsed[end - 1]!.entity) end++;
    batches.push(parsed.slice(start, end));
    start = end;
  }

  let changedRows = 0;
  let unchangedRows = 0;
  const writes: EntityWrite[] = [];
  let written = false;
  try {
    await db.transaction(async (tx) => {
      let checked = 0;
      for (const batch of batches) {
        const plan = await importer.plan(tx, batch, { lock: !options.dryRun });
        issues.push(...plan.issues);
        writes.push(...plan.writes);
        unchangedRows += plan.unchanged;
        checked += batch.length;
        options.onProgress?.('check', checked, parsed.length);
      }
      changedRows = writes.reduce((n, w) => n + w.lines.length, 0);
      if (issues.length > 0 || options.dryRun || writes.length === 0) throw new Rollback();
      // Several batches: one refill of the summaries at the end costs less than a refresh per statement.
      const bulk = (options.summaries?.length ?? 0) > 0 && writes.length > batchSize;
      if (bulk) await deferSummaryRefresh(tx);
      for (let start = 0; start < writes.length; start += batchSize) {
        const slice = writes.slice(start, start + batchSize);
        await importer.write(tx, slice);
        // One statement per batch: arrays through unnest, not thousands of parameters.
        await tx.query(
          `INSERT INTO "_kopdes_audit" (actor, ministry, operation, entity, entity_id, before, after, idempotency_key)
           SELECT $1, $2, $3, $4, v.entity_id, v.before::jsonb, v.after::jsonb, v.key
             FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) AS v(entity_id, before, after, key)`,
          [
            options.actor,
            options.ministry ?? null,
            `import.${options.name}`,
            importer.entity,
            slice.map((w) => w.entityId),
            slice.map((w) => auditJson(w.before)),
            slice.map((w) => auditJson(w.after)),
            slice.map((w) => `import:${options.source}:${w.lines.join(',')}`.slice(0, 500)),
          ],
        );
        options.onProgress?.('write', Math.min(start + batchSize, writes.length), writes.length);
      }
      if (bulk) await refillRegionSummaries(tx, options.summaries!);
      written = true;
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  issues.sort((a, b) => a.line - b.line);
  return { rows, issues, changedRows, unchangedRows, entities: writes.length, written, dryRun: !!options.dryRun, ms: Date.now() - started };
}
