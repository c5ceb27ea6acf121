/**
 * Typed client kit for front-end teams: typed documents (graphql-codegen's client preset) for the
 * registered operations (schema/operations → schema/client) or a team's own folder, every custom scalar
 * mapped, and Apollo Client type policies from the supergraph's @key directives. Reads the committed
 * contract and supergraph files: no running server needed.
 *
 *   npm run codegen                                               # schema/operations → schema/client
 *   npm run codegen -- --operations ../my-app/src --out ../my-app/src/gql [--contract public]
 *   npm run codegen -- --check                                    # fails when the committed output drifts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@kopdes/kit';
import { driftedFiles, generateClient } from './lib/codegen';

const usage = 'Usage: npm run codegen -- [--operations DIR] [--out DIR] [--contract full|public] [--check]';
let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      operations: { type: 'string' },
      out: { type: 'string' },
      contract: { type: 'string', default: 'full' },
      check: { type: 'boolean', default: false },
    },
  }).values;
}
try {
  args = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (args.contract !== 'full' && args.contract !== 'public') {
  console.error(`--contract is "full" (what analysts see, the default) or "public" (what callers without a token see), not "${args.contract}".\n${usage}`);
  process.exit(2);
}
// Paths a team types are relative to where they ran npm, not to this repo.
const from = process.env.INIT_CWD ?? process.cwd();
const operations = args.operations ? path.resolve(from, args.operations) : path.join(repoRoot, 'schema/operations');
const out = args.out ? path.resolve(from, args.out) : path.join(repoRoot, 'schema/client');

let files: Map<string, string>;
try {
  files = await generateClient({
    schemaFile: path.join(repoRoot, 'schema/contracts', `${args.contract}.graphql`),
    supergraphFile: path.join(repoRoot, 'schema/supergraph.graphql'),
    operations,
    out,
  });
} catch (error) {
  console.error(`codegen failed: ${(error as Error).message}`);
  process.exit(1);
}
const shown = (file: string) => path.relative(from, file) || file;
if (args.check) {
  const drifted = driftedFiles(files);
  if (drifted.length) {
    console.error(
      `Generated client is out of date: ${drifted.map(shown).join(', ')}.\nRun \`npm run codegen${args.operations ? ' -- …' : ''}\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`Generated client is up to date (${files.size} files in ${shown(out)}).`);
} else {
  for (const [file, text] of files) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  console.log(`Wrote ${files.size} files to ${shown(out)} (typed documents for ${shown(operations)}, type-policies.ts).`);
}
