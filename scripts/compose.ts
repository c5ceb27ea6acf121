/**
 * Composes every registered subgraph into schema/supergraph.graphql and writes each
 * subgraph's SDL to schema/subgraphs/<name>.graphql. With --check, writes nothing and
 * fails when the committed files differ from what the code composes to.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { composeFromCode } from './lib/composition';

const check = process.argv.includes('--check');
const schemaDir = path.join(repoRoot, 'schema');
const result = await composeFromCode();

if (result.errors.length > 0) {
  console.error(`Composition failed with ${result.errors.length} error(s):`);
  for (const e of result.errors) console.error(`  [${e.subgraph}] ${e.code ?? 'ERROR'}: ${e.message}`);
  process.exit(1);
}

const files = new Map<string, string>();
for (const s of result.subgraphs) files.set(path.join('schema/subgraphs', `${s.name}.graphql`), s.sdl.trimEnd() + '\n');
files.set('schema/supergraph.graphql', result.supergraphSdl!.trimEnd() + '\n');

if (check) {
  const stale: string[] = [];
  for (const [file, text] of files) {
    const full = path.join(repoRoot, file);
    if (!existsSync(full) || readFileSync(full, 'utf8') !== text) stale.push(file);
  }
  const extra = readdirSync(path.join(schemaDir, 'subgraphs')).filter((f) => !files.has(path.join('schema/subgraphs', f)));
  stale.push(...extra.map((f) => `schema/subgraphs/${f} (no such subgraph)`));
  if (stale.length > 0) {
    console.error(`Composed schema is out of date: ${stale.join(', ')}.\nRun \`npm run compose\` and commit the result.`);
    process.exit(1);
  }
  console.log(`Composed schema is up to date (${result.subgraphs.length} subgraphs).`);
} else {
  mkdirSync(path.join(schemaDir, 'subgraphs'), { recursive: true });
  for (const f of readdirSync(path.join(schemaDir, 'subgraphs'))) {
    if (!files.has(path.join('schema/subgraphs', f))) rmSync(path.join(schemaDir, 'subgraphs', f));
  }
  for (const [file, text] of files) writeFileSync(path.join(repoRoot, file), text);
  console.log(`Wrote schema/supergraph.graphql and ${result.subgraphs.length} subgraph schemas.`);
  if (process.argv.includes("--verbose")) for (const h of result.hints) console.log(`hint: ${h}`);
  else if (result.hints.length > 0) console.log(`${result.hints.length} composition hint(s); see them with --verbose.`);
}
