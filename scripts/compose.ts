/**
 * Composes every registered subgraph into schema/supergraph.graphql, writes each subgraph's SDL to
 * schema/subgraphs/<name>.graphql and the schema contracts (full, and public: what callers without
 * a token see) to schema/contracts/. With --check, writes nothing and fails when the committed files
 * differ from what the code composes to.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { composeFromCode } from './lib/composition';
import { composedFiles, driftMessage, staleFiles } from './lib/compose-files';

const check = process.argv.includes('--check');
const schemaDir = path.join(repoRoot, 'schema');
const result = await composeFromCode();

if (result.errors.length > 0) {
  console.error(`Composition failed with ${result.errors.length} error(s):`);
  for (const e of result.errors) console.error(`  [${e.subgraph}] ${e.code ?? 'ERROR'}: ${e.message}`);
  process.exit(1);
}

const files = composedFiles(result);

if (check) {
  const stale = staleFiles(files, repoRoot);
  if (stale.length > 0) {
    console.error(driftMessage(stale));
    process.exit(1);
  }
  console.log(`Composed schema and contracts are up to date (${result.subgraphs.length} subgraphs).`);
} else {
  for (const dir of ['subgraphs', 'contracts']) mkdirSync(path.join(schemaDir, dir), { recursive: true });
  for (const f of readdirSync(path.join(schemaDir, 'subgraphs'))) {
    if (!files.has(path.join('schema/subgraphs', f))) rmSync(path.join(schemaDir, 'subgraphs', f));
  }
  for (const [file, text] of files) writeFileSync(path.join(repoRoot, file), text);
  console.log(`Wrote schema/supergraph.graphql, ${result.subgraphs.length} subgraph schemas and the contracts (schema/contracts/).`);
  if (process.argv.includes('--verbose')) for (const h of result.hints) console.log(`hint: ${h}`);
  else if (result.hints.length > 0) console.log(`${result.hints.length} composition hint(s); see them with --verbose.`);
}
