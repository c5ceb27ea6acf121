/**
 * Embedded mode: every subgraph in one process, each with its own port and its own PGlite
 * database folder. Sharing the process keeps the stack small (one PGlite instance costs
 * ~45 MB here against ~260 MB in a process of its own); production runs one process per
 * subgraph (`npm start -w @kopdes/<name>`) against its own PostgreSQL.
 */
import { bootSubgraph, log, type SubgraphServer } from '@kopdes/kit';
import { loadSubgraphs } from './lib/registry';

const servers: SubgraphServer[] = [];
try {
  // Opened together: while one database replays its WAL another can compile its schema.
  await Promise.all(
    (await loadSubgraphs()).map(async ({ entry, definition }) => {
      const server = await bootSubgraph(definition, { scope: process.env.KOPDES_SEED_SCOPE || undefined });
      servers.push(server);
      // Benchmarks run their own stack beside `npm start`: KOPDES_EPHEMERAL_PORTS=true listens on free ports.
      await server.listen(process.env.KOPDES_EPHEMERAL_PORTS === 'true' ? 0 : entry.port, '127.0.0.1');
    }),
  );
  servers.sort((a, b) => a.url().localeCompare(b.url()));
  console.log(JSON.stringify({ ready: true, subgraphs: servers.map((s) => ({ name: s.name, url: s.url() })) }));
} catch (error) {
  log.error('embedded subgraphs failed to start', { error: error instanceof Error ? error.stack : String(error) });
  await Promise.allSettled(servers.map((s) => s.stop()));
  process.exit(1);
}

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled(servers.map((s) => s.stop()));
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
