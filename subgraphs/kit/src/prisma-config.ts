import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { databaseUrlFor } from './database';
import { embeddedDataDir } from './paths';

/**
 * The Prisma CLI configuration every subgraph shares: the JS engine and a driver adapter,
 * so generate, `migrate diff` and `migrate deploy` run offline. The schema's datasource
 * URL is only a placeholder when no server is configured; the adapter decides.
 */
export function subgraphPrismaConfig(subgraph: string, packageDir: string) {
  const url = databaseUrlFor(subgraph);
  process.env.DATABASE_URL ??= 'postgresql://embedded@127.0.0.1/pglite';
  return defineConfig({
    experimental: { adapter: true },
    engine: 'js',
    schema: path.join(packageDir, 'prisma/schema.prisma'),
    migrations: { path: path.join(packageDir, 'prisma/migrations') },
    async adapter() {
      if (url) {
        const { PrismaPg } = await import('@prisma/adapter-pg');
        return new PrismaPg({ connectionString: url }) as never;
      }
      const { PGlite } = await import('@electric-sql/pglite');
      const { PrismaPGlite } = await import('pglite-prisma-adapter');
      const dataDir = embeddedDataDir(subgraph);
      mkdirSync(dataDir, { recursive: true });
      // PGlite runs every query as a prepared statement, which holds one command, and the schema engine
      // applies a migration as one parameterless executeRaw (node-postgres sends that as a simple query):
      // run those with `exec`, so `migrate diff --from-migrations` can replay them on an in-memory shadow database.
      const connect = async (db: InstanceType<typeof PGlite>) => {
        const adapter = await new PrismaPGlite(db).connect();
        const executeRaw = adapter.executeRaw.bind(adapter);
        adapter.executeRaw = async (query) => (query.args.length > 0 ? executeRaw(query) : db.exec(query.sql).then(() => 0));
        return adapter;
      };
      const main = new PGlite(dataDir);
      const factory = new PrismaPGlite(main);
      factory.connect = () => connect(main);
      factory.connectToShadowDb = () => connect(new PGlite());
      // Two copies of Prisma's adapter types are installed; the runtime contract is the same.
      return factory as never;
    },
  });
}
