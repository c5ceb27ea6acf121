/**
 * What `npm run import` needs around the kit's import framework: finding a subgraph's
 * importers, choosing one by the file's columns, and opening the right database (the
 * embedded one of `npm start` only while the dev stack is stopped).
 */
import { existsSync } from 'node:fs';
import {
  databaseUrlFor,
  embeddedDataDir,
  EmbeddedDatabaseBusyError,
  openSubgraphDatabase,
  readRecords,
  type AnyImporter,
  type Database,
  type ImportFormat,
} from '@kopdes/kit';
import { loadSubgraph, type SubgraphEntry } from './registry';

export function exportName(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A subgraph package's importers: its `<camelName>Importers` export. */
export async function loadImporters(entry: SubgraphEntry): Promise<Record<string, AnyImporter> | undefined> {
  const mod = (await import(entry.package)) as Record<string, unknown>;
  return mod[`${exportName(entry.name)}Importers`] as Record<string, AnyImporter> | undefined;
}

/** The columns of a file: the CSV header, or the keys of the first NDJSON record. */
export async function fileColumns(file: string, format: ImportFormat): Promise<string[] | undefined> {
  const items = readRecords(file, format);
  try {
    for await (const item of items) {
      if (item.kind === 'header') return item.columns;
      if (item.kind === 'row') return Object.keys(item.values);
    }
    return undefined;
  } finally {
    await items.return(undefined);
  }
}

/** The one importer whose columns fit the file: every required column present, none unknown. */
export function chooseImporter(importers: Record<string, AnyImporter>, columns: string[]): { name: string; importer: AnyImporter } | { error: string } {
  const fits = Object.entries(importers).filter(([, imp]) => {
    const known = new Set(imp.columns.map((c) => c.name));
    return imp.columns.every((c) => !c.required || columns.includes(c.name)) && columns.every((c) => known.has(c));
  });
  if (fits.length === 1) return { name: fits[0]![0], importer: fits[0]![1] };
  const list = Object.entries(importers)
    .map(([name, imp]) => `  ${name}: ${imp.columns.map((c) => (c.required ? `${c.name}*` : c.name)).join(', ')}`)
    .join('\n');
  return {
    error:
      fits.length === 0
        ? `No importer takes the columns ${columns.join(', ')}. Importers (* = required):\n${list}`
        : `Several importers take these columns (${fits.map(([n]) => n).join(', ')}); choose one with --type.`,
  };
}

export class StackRunningError extends Error {}

/**
 * Opens the subgraph's database: PostgreSQL when `<NAME>_DATABASE_URL` / `DATABASE_URL` is
 * set (migrated, never seeded: real records go into it), else the embedded database of
 * `npm start` (migrated, and seeded if it is new, exactly as `npm start` would). Only one process may open that one: the kit's lock refuses while
 * `npm start` (or anything else) holds it.
 */
export async function openForImport(entry: SubgraphEntry, log: (line: string) => void): Promise<Database<unknown>> {
  const url = databaseUrlFor(entry.name);
  if (!url && !existsSync(embeddedDataDir(entry.name)))
    log(`No embedded ${entry.name} database yet: creating and seeding it as npm start would (ministry data is synthetic).`);
  try {
    const { db } = await openSubgraphDatabase(await loadSubgraph(entry), { url, scope: process.env.KOPDES_SEED_SCOPE || undefined });
    return db;
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusyError) {
      throw new StackRunningError(error.message);
    }
    throw error;
  }
}
