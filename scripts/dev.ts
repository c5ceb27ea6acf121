/**
 * `npm start`: the whole platform on embedded databases. Seeds each subgraph's database on
 * first run (one process per subgraph, two at a time), then starts the subgraphs and the
 * gateway, prints the URLs, and stops everything on Ctrl-C.
 */
import { execSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { embeddedDataDir, ensureDevSigningKeys, repoRoot } from '@kopdes/kit';
import { devHs256Secret } from '../gateway/src/auth';
import { firstJsonLine, inParallel, startScript, waitForHttp } from './lib/processes';
import { subgraphEntries } from './lib/registry';

const started = Date.now();
const port = Number(process.env.PORT ?? 4000);
const children: ChildProcess[] = [];
const tty = process.stdout.isTTY;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let stopping = false;
function stopAll(code: number): never {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  const running = children.filter((c) => c.exitCode === null);
  void Promise.all(running.map((c) => new Promise((r) => c.once('exit', r)))).then(() => process.exit(code));
  return undefined as never;
}
process.on('SIGINT', () => {
  console.log('\nStopping…');
  stopAll(0);
});
process.on('SIGTERM', () => stopAll(0));

const entries = subgraphEntries();

// Generated code (Prisma clients, the GraphiQL bundle) comes from `npm install`; regenerate if missing.
const missing =
  entries.some((e) => !existsSync(path.join(repoRoot, 'subgraphs', e.name, 'src/generated/prisma/client.ts'))) ||
  !existsSync(path.join(repoRoot, 'gateway/public/build/index.html'));
if (missing) {
  console.log('Generating Prisma clients and the GraphiQL bundle…');
  execSync('npx turbo run generate --output-logs=errors-only', { cwd: repoRoot, stdio: 'inherit' });
}

const toSeed = entries.filter((e) => !existsSync(path.join(embeddedDataDir(e.name), '.kopdes-seeded')));
if (toSeed.length > 0) {
  console.log(
    `First start: creating and seeding ${toSeed.length} embedded database(s) (${process.env.KOPDES_SEED_SCOPE ? `region ${process.env.KOPDES_SEED_SCOPE}` : 'national dataset'}; ministry data is synthetic).`,
  );
  const running = new Map<string, number>();
  const ticker = tty
    ? setInterval(() => {
        const now = Date.now();
        process.stdout.write(`\r  seeding ${[...running].map(([n, t]) => `${n} ${seconds(now - t)}`).join(', ')}\u001b[K`);
      }, 250)
    : undefined;
  try {
    await inParallel(toSeed, Math.max(2, Math.min(availableParallelism(), 4)), async (entry) => {
      running.set(entry.name, Date.now());
      if (!tty) console.log(`  seeding ${entry.name}…`);
      const child = startScript(path.join(repoRoot, 'scripts/seed.ts'), [entry.name]);
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const result = await firstJsonLine<{ seedMs: number }>(child).catch((error: Error) => {
        throw new Error(`Seeding ${entry.name} failed: ${error.message}\n${stderr}`);
      });
      running.delete(entry.name);
      process.stdout.write(`${tty ? '\r\u001b[K' : ''}  ✓ ${entry.name} seeded in ${seconds(result.seedMs)}\n`);
    });
  } catch (error) {
    if (ticker) clearInterval(ticker);
    console.error(`\n${(error as Error).message}\nRun \`npm run reset\` to start from empty databases.`);
    stopAll(1);
  }
  if (ticker) clearInterval(ticker);
}

// Development keys (gateway signing pair, bearer-token secret) are generated once into .secrets/.
await ensureDevSigningKeys();
devHs256Secret();

// The gateway serves a static supergraph file, so it starts alongside the subgraphs.
const host = startScript(path.join(repoRoot, 'scripts/host.ts'));
children.push(host);
host.stderr!.pipe(process.stderr);
const gateway = startScript(path.join(repoRoot, 'gateway/src/index.ts'), [], { PORT: String(port) });
children.push(gateway);
gateway.stderr!.pipe(process.stderr);
gateway.stdout!.pipe(process.stdout);
gateway.once('exit', (code) => {
  if (!stopping) {
    console.error(`Gateway exited with ${code}.`);
    stopAll(1);
  }
});
const hosted = await firstJsonLine<{ subgraphs: { name: string; url: string }[] }>(host, (line) => console.log(line)).catch((error: Error) => {
  console.error(`Subgraphs failed to start: ${error.message}`);
  return stopAll(1);
});
host.once('exit', (code) => {
  if (!stopping) {
    console.error(`Subgraph host exited with ${code}.`);
    stopAll(1);
  }
});

await waitForHttp(`http://127.0.0.1:${port}/health`, 60_000).catch((error: Error) => {
  console.error(error.message);
  stopAll(1);
});

console.log(`
Kopdes Graph is up in ${seconds(Date.now() - started)} (ministry data is synthetic).

  GraphiQL   http://localhost:${port}/
  GraphQL    http://localhost:${port}/graphql
  Health     http://localhost:${port}/health
${hosted.subgraphs.map((s) => `  ${s.name.padEnd(15)}${s.url}`).join('\n')}

Press Ctrl-C to stop.`);
