/**
 * `npm run schema:check`: recomposes the supergraph from every subgraph's current code,
 * compares its API schema with the committed one, and validates every registered client
 * operation (schema/operations/*.graphql) against it. Fails (exit 1) on composition errors,
 * and on breaking changes that a registered operation uses.
 *
 *   npm run schema:check                  compare with schema/supergraph.graphql as committed at HEAD
 *   npm run schema:check -- --base main   compare with another git ref (or SCHEMA_CHECK_BASE=main; CI: the target branch)
 *   npm run schema:check -- --json        machine-readable report on stdout
 *   npm run schema:check -- --verbose     list every safe change too
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { loadOperations } from '../gateway/src/operations';
import { composeFromCode } from './lib/composition';
import { checkSchema, formatReport, type SubgraphSdl } from './lib/schema-check';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = flag('--json');
const operationsDir = path.resolve(option('--operations') ?? path.join(repoRoot, 'schema/operations'));

function git(...gitArgs: string[]): string | undefined {
  try {
    return execFileSync('git', gitArgs, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** The committed schema: at a git ref (default HEAD), else the working-tree files. */
function previousSchema(): { supergraph?: string; subgraphs: SubgraphSdl[]; from: string } {
  const explicit = option('--base') ?? (process.env.SCHEMA_CHECK_BASE || undefined);
  const ref = explicit ?? 'HEAD';
  const supergraph = git('show', `${ref}:schema/supergraph.graphql`);
  if (supergraph !== undefined) {
    const files = (git('ls-tree', '--name-only', `${ref}:schema/subgraphs`) ?? '').split('\n').filter((f) => f.endsWith('.graphql'));
    const subgraphs = files.map((f) => ({ name: f.replace(/\.graphql$/, ''), sdl: git('show', `${ref}:schema/subgraphs/${f}`) ?? '' }));
    return { supergraph, subgraphs, from: `git ${ref}` };
  }
  if (explicit) {
    console.error(`Cannot read schema/supergraph.graphql at git ref "${ref}". Is the ref fetched (git fetch origin ${ref})?`);
    process.exit(2);
  }
  const file = path.join(repoRoot, 'schema/supergraph.graphql');
  const dir = path.join(repoRoot, 'schema/subgraphs');
  return {
    supergraph: existsSync(file) ? readFileSync(file, 'utf8') : undefined,
    subgraphs: existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.graphql'))
          .map((f) => ({ name: f.replace(/\.graphql$/, ''), sdl: readFileSync(path.join(dir, f), 'utf8') }))
      : [],
    from: 'working tree',
  };
}

const composed = await composeFromCode();
const previous = previousSchema();
const operations = loadOperations(operationsDir);
const report = await checkSchema({
  subgraphs: composed.subgraphs,
  previousSupergraphSdl: previous.supergraph,
  previousSubgraphs: previous.subgraphs,
  operations,
});

let text: string;
if (json) {
  const { supergraphSdl: _omit, ...rest } = report;
  text = JSON.stringify({ base: previous.from, ...rest }, null, 2);
} else {
  text =
    `Compared ${composed.subgraphs.length} subgraphs (from code) with the supergraph of the ${previous.from}; ` +
    `${operations.length} registered operation(s) in ${path.relative(repoRoot, operationsDir) || '.'}.\n\n${formatReport(report, { verbose: flag('--verbose') })}`;
}
// Exit only once a piped stdout has taken the whole report.
process.stdout.write(text + '\n', () => process.exit(report.ok ? 0 : 1));
