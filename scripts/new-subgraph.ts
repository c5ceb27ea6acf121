/**
 * `npm run new-subgraph -- <name> [--owner "Kementerian ..."]`: scaffolds a ministry subgraph
 * in subgraphs/<name> from the kit's patterns, registers it (scripts/subgraphs.json: composition,
 * `npm start`, tests), links the workspace, generates its Prisma client and recomposes, so that
 * `npm start` serves its field through the gateway and `npm test` runs its test.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { checkSubgraphName, generatePrismaClient, scaffoldNames, scaffoldSubgraph } from './lib/scaffold';

const args = process.argv.slice(2);
const ownerAt = args.indexOf('--owner');
const owner = ownerAt >= 0 ? args[ownerAt + 1] : undefined;
const positional = args.filter((a, i) => !a.startsWith('--') && !(ownerAt >= 0 && i === ownerAt + 1));
if (positional.length > 1) {
  console.error(`One subgraph at a time; got ${positional.map((p) => `"${p}"`).join(', ')}.`);
  process.exit(2);
}
const name = positional[0];

const problem = checkSubgraphName(name, repoRoot);
if (problem) {
  console.error(problem);
  process.exit(2);
}
const n = scaffoldNames(name!);
const result = scaffoldSubgraph(repoRoot, name!, owner ?? `The ${name} ministry`);
console.log(`Created subgraphs/${name} (${result.files.length} files) and registered it on port ${result.entry.port}.`);

async function step(title: string, retry: string, run: () => unknown): Promise<void> {
  process.stdout.write(`  ${title}… `);
  const started = Date.now();
  try {
    await run();
    console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    console.log('failed');
    console.error(`${e.stderr || e.stdout || e.message}\nThe files are in place; finish with: ${retry}`);
    process.exit(1);
  }
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
await step('linking the workspace (npm install)', 'npm install --ignore-scripts && npm run compose', () => {
  execFileSync(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
});
await step('generating its Prisma client', `npm run generate -w ${n.packageName} && npm run compose`, () => generatePrismaClient(result.dir));
await step('composing the supergraph', 'npm run compose', () => {
  execFileSync(npm, ['run', 'compose', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
});

console.log(`
Subgraph "${name}" is ready: Cooperative.${n.field} (type ${n.namespaceType}) comes from subgraphs/${name}.

  npm start              serves it through the gateway; try
                         { cooperative(id: "KDMP-35.14.09.2019") { name ${n.field} { asOf source value } } }
  npm test               runs subgraphs/${name}/test/${name}.int.test.ts with the rest
  npm run schema:check   checks your changes against the committed supergraph and registered operations

Next: replace the example model in ${path.relative(process.cwd(), path.join(result.dir, 'prisma/schema.prisma'))} and the
${n.namespaceType} fields with your ministry's own (docs/ministry-guide.md), then commit subgraphs/${name},
scripts/subgraphs.json, package-lock.json and schema/.`);
