import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { CompositionResult } from './composition';
import { contractFiles } from './contracts';

/** Every file `compose` writes, by path from the repo root: subgraph SDLs, the supergraph, the contracts. */
export function composedFiles(result: CompositionResult): Map<string, string> {
  const files = new Map<string, string>();
  for (const s of result.subgraphs) files.set(path.join('schema/subgraphs', `${s.name}.graphql`), s.sdl.trimEnd() + '\n');
  files.set('schema/supergraph.graphql', result.supergraphSdl!.trimEnd() + '\n');
  for (const [file, text] of contractFiles(result.supergraphSdl!)) files.set(file, text);
  return files;
}

/** The files under `root` that differ from `files`, and subgraph SDLs of subgraphs that no longer exist. */
export function staleFiles(files: ReadonlyMap<string, string>, root: string): string[] {
  const stale: string[] = [];
  for (const [file, text] of files) {
    const full = path.join(root, file);
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) stale.push(file);
  }
  const dir = path.join(root, 'schema/subgraphs');
  const extra = existsSync(dir) ? readdirSync(dir).filter((f) => !files.has(path.join('schema/subgraphs', f))) : [];
  stale.push(...extra.map((f) => `schema/subgraphs/${f} (no such subgraph)`));
  return stale;
}

/** What `compose --check` prints when files drifted: which, and what to do. */
export function driftMessage(stale: readonly string[]): string {
  const contract = stale.some((f) => f.startsWith('schema/contracts/public'))
    ? '\nThe public contract (what callers without a token may introspect) changed: review its diff before committing it.'
    : '';
  return `Composed schema is out of date: ${stale.join(', ')}.${contract}\nRun \`npm run compose\` and commit the result.`;
}
