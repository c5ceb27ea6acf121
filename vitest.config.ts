import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Apollo loads graphql's CommonJS build; tests must use the same one (one realm).
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    env: { KOPDES_LOG: 'silent', APOLLO_TELEMETRY_DISABLED: 'true' },
    globalSetup: ['test/setup/database-snapshots.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Three tiers: unit (in memory; test/setup/unit-guard.ts refuses ports and processes),
    // integration (one subgraph or the gateway with its database or HTTP server), e2e (the platform).
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['subgraphs/*/test/**/*.test.ts', 'gateway/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          setupFiles: ['test/setup/unit-guard.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['subgraphs/*/test/**/*.int.test.ts', 'gateway/test/**/*.int.test.ts', 'test/**/*.int.test.ts'] },
      },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.e2e.ts', 'subgraphs/*/test/**/*.e2e.ts'] } },
    ],
  },
});
