/**
 * Migrates and seeds one subgraph's embedded database (run by `npm start` on first start,
 * one process per subgraph so seeding uses every core). Usage: tsx scripts/seed.ts <name>
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { embeddedDataDir, openSubgraphDatabase } from '@kopdes/kit';
import { loadSubgraph, subgraphEntries } from './lib/registry';

export const SEEDED_MARKER = '.kopdes-seeded';

const name = process.argv[2];
const entry = subgraphEntries().find((e) => e.name === name);
if (!entry) {
  console.error(
    `Unknown subgraph "${name}". Known: ${subgraphEntries()
      .map((e) => e.name)
      .join(', ')}.`,
  );
  process.exit(2);
}
const started = Date.now();
const { db, seeded, seedMs } = await openSubgraphDatabase(await loadSubgraph(entry), { scope: process.env.KOPDES_SEED_SCOPE || undefined });
await db.close();
if (db.kind === 'pglite') writeFileSync(path.join(embeddedDataDir(entry.name), SEEDED_MARKER), new Date().toISOString());
console.log(JSON.stringify({ subgraph: entry.name, seeded, seedMs, totalMs: Date.now() - started }));
