/**
 * `npm run new-subgraph` end to end, without touching the repository: the scaffold is written
 * into a temporary copy of the registry (its node_modules linked to the repo's), its Prisma
 * client generated, then it is composed with every registered subgraph, served through the
 * real gateway, typechecked, and its own generated test is run.
 */
import '../gateway/src/telemetry';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFederatedSchema, repoRoot, type AnySubgraph } from '@kopdes/kit';
import { startTestSubgraph, testSigningKeys, type TestSubgraph } from '@kopdes/kit/testing';
import { configFromEnv, createGatewayServer, type GatewayServer } from '../gateway/src/server';
import { loadOperations } from '../gateway/src/operations';
import { loadSubgraphs } from '../scripts/lib/registry';
import { checkSubgraphName, generatePrismaClient, readRegistry, scaffoldSubgraph, type ScaffoldResult } from '../scripts/lib/scaffold';
import { checkSchema, compose, type SubgraphSdl } from '../scripts/lib/schema-check';
import { renderAll } from '../scripts/deploy/render-all';
import { bearer, TEST_JWT_SECRET } from './helpers';

const NAME = 'food-security';
const bin = (tool: string) => path.join(repoRoot, 'node_modules/.bin', tool);

/** Runs a tool without blocking the test worker (a blocked worker misses vitest's heartbeats). */
function run(
  tool: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin(tool), args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let root: string;
let scaffold: ScaffoldResult;
let current: SubgraphSdl[];
let withScaffold: SubgraphSdl[];
const servers: TestSubgraph[] = [];
let gateway: GatewayServer | undefined;
let gatewayUrl: string;

beforeAll(async () => {
  // A temporary root shaped like the repository: what the scaffold reads and writes.
  root = mkdtempSync(path.join(tmpdir(), 'kopdes-scaffold-'));
  mkdirSync(path.join(root, 'scripts'));
  mkdirSync(path.join(root, 'schema'));
  copyFileSync(path.join(repoRoot, 'scripts/subgraphs.json'), path.join(root, 'scripts/subgraphs.json'));
  copyFileSync(path.join(repoRoot, 'schema/supergraph.graphql'), path.join(root, 'schema/supergraph.graphql'));
  copyFileSync(path.join(repoRoot, 'tsconfig.json'), path.join(root, 'tsconfig.json'));
  copyFileSync(path.join(repoRoot, 'vitest.config.ts'), path.join(root, 'vitest.config.ts'));
  mkdirSync(path.join(root, 'test/setup'), { recursive: true });
  for (const setup of ['database-snapshots.ts', 'unit-guard.ts']) copyFileSync(path.join(repoRoot, 'test/setup', setup), path.join(root, 'test/setup', setup));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');

  scaffold = scaffoldSubgraph(root, NAME, 'Badan Pangan Nasional');
  await generatePrismaClient(scaffold.dir);
  const definition = ((await import(path.join(scaffold.dir, 'src/subgraph.ts'))) as Record<string, AnySubgraph>).foodSecurity!;

  const loaded = await loadSubgraphs();
  current = await Promise.all(
    loaded.map(async ({ entry, definition: d }) => ({ name: entry.name, sdl: await printFederatedSchema(d), url: `http://127.0.0.1:9/${entry.name}` })),
  );
  withScaffold = [...current, { name: NAME, sdl: await printFederatedSchema(definition), url: '' }];

  // The query below needs the registry, the regions and the new subgraph; the others are composed but not started.
  const urls = new Map<string, string>();
  for (const [name, d] of [
    ...loaded.filter((l) => ['cooperatives', 'regions'].includes(l.entry.name)).map((l) => [l.entry.name, l.definition] as const),
    [NAME, definition] as const,
  ]) {
    const sg = await startTestSubgraph(d);
    servers.push(sg);
    urls.set(name, sg.url);
  }
  const composed = compose(withScaffold.map((s) => ({ ...s, url: urls.get(s.name) ?? s.url })));
  if (!composed.supergraphSdl) throw new Error(composed.issues.map((i) => i.message).join('\n'));
  const supergraphPath = path.join(root, 'schema/supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
  const keys = await testSigningKeys();
  gateway = await createGatewayServer(
    { ...configFromEnv({ RESPONSE_CACHE_WARM: 'false' }), supergraphPath },
    { signingKey: keys.privateKey, auth: { audience: 'kopdes-graph', hs256Secret: TEST_JWT_SECRET } },
  );
  gatewayUrl = await gateway.listen(0);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.allSettled(servers.map((s) => s.stop()));
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('new-subgraph scaffold', () => {
  it('registers the subgraph with the next free port and writes the package, schema, migration, entity, seed and test', () => {
    const registry = readRegistry(root);
    const before = JSON.parse(readFileSync(path.join(repoRoot, 'scripts/subgraphs.json'), 'utf8')) as { port: number }[];
    expect(registry.at(-1)).toEqual({ name: NAME, package: '@kopdes/food-security', port: Math.max(...before.map((e) => e.port)) + 1 });
    expect(scaffold.files).toEqual(
      expect.arrayContaining([
        'package.json',
        'prisma/schema.prisma',
        'prisma/migrations/0001_init/migration.sql',
        'src/subgraph.ts',
        'src/seed.ts',
        'src/cooperative/cooperative-food-security.type.ts',
        'test/food-security.int.test.ts',
      ]),
    );
    expect(JSON.parse(readFileSync(path.join(scaffold.dir, 'package.json'), 'utf8')).name).toBe('@kopdes/food-security');
  });

  it('composes with every registered subgraph: the schema check sees only safe additions, grouped under the new subgraph', async () => {
    const previous = compose(current);
    const report = await checkSchema({
      subgraphs: withScaffold,
      previousSupergraphSdl: previous.supergraphSdl,
      previousSubgraphs: current,
      operations: loadOperations(path.join(repoRoot, 'schema/operations')),
    });
    expect(report.composition).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.changes.every((c) => c.class === 'safe')).toBe(true);
    expect(report.changes).toContainEqual(expect.objectContaining({ type: 'FIELD_ADDED', coordinate: 'Cooperative.foodSecurity', subgraphs: [NAME] }));
  });

  it("answers its field through the gateway next to the registry's", async () => {
    const res = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await bearer({ subject: 'e2e-analyst', role: 'analyst' }) },
      body: JSON.stringify({ query: '{ cooperative(id: "KDMP-35.14.09.2019") { id name village { name } foodSecurity { asOf source value } } }' }),
    });
    const body = (await res.json()) as {
      data?: { cooperative: { name: string; village: { name: string }; foodSecurity: { asOf: string; source: string; value: number } } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data!.cooperative).toEqual({
      id: 'KDMP-35.14.09.2019',
      name: 'Koperasi Desa Merah Putih Wonokerto',
      village: { name: 'Wonokerto' },
      foodSecurity: { asOf: '2025-11-28T00:00:00.000Z', source: expect.stringMatching(/Badan Pangan Nasional.*synthetic/), value: expect.any(Number) },
    });
  });

  it('typechecks', async () => {
    const result = await run('tsc', ['-p', scaffold.dir]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 180_000);

  it('passes its own generated test', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
    const result = await run('vitest', ['run', '--project', 'integration', `subgraphs/${NAME}`], { cwd: root, env: { ...env, NO_COLOR: '1' } });
    // eslint-disable-next-line no-control-regex
    expect(result.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/Tests {2}3 passed \(3\)/);
    expect(result.status).toBe(0);
  }, 180_000);

  it("gets its deployment: the manifests rendered from the registry include it, and the gateway's supergraph points at its Service", () => {
    const files = renderAll(
      {
        registry: 'registry.example.go.id/kopdes',
        tag: 't1',
        namespace: 'kopdes',
        gatewayReplicas: 2,
        subgraphReplicas: 2,
        authIssuer: 'https://sso.example.go.id/realms/kopdes',
        authAudience: 'kopdes-graph',
        otelCollectorImage: 'unused',
      },
      readRegistry(root),
      compose(withScaffold).supergraphSdl!,
    );
    const port = readRegistry(root).find((e) => e.name === NAME)!.port;
    expect(files.get(`10-subgraph-${NAME}.yaml`)!.map((o) => `${o.kind}/${o.metadata.name.replace(/-migrate-\w+$/, '-migrate')}`)).toEqual([
      `Job/${NAME}-migrate`,
      `Deployment/${NAME}`,
      `Service/${NAME}`,
      `PodDisruptionBudget/${NAME}`,
    ]);
    const supergraph = files.get('20-gateway.yaml')!.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
    expect(supergraph.data['supergraph.graphql']).toContain(`url: "http://${NAME}.kopdes.svc.cluster.local:${port}/graphql"`);
  });

  it('refuses bad, reserved and existing names with a clear message', async () => {
    expect(checkSubgraphName('Food_Security', root)).toMatch(/not a valid subgraph name: use lower-case letters/);
    expect(checkSubgraphName('food--security', root)).toMatch(/not a valid subgraph name/);
    expect(checkSubgraphName('kit', root)).toMatch(/reserved/);
    expect(checkSubgraphName('class', root)).toMatch(/reserved/);
    expect(checkSubgraphName('cooperatives', root)).toMatch(/already registered/);
    expect(checkSubgraphName(NAME, root)).toMatch(/already registered/);
    expect(checkSubgraphName('village', root)).toMatch(/Cooperative already has a field "village" \(from cooperatives\)/);
    expect(checkSubgraphName('health', root)).toBeNull();
    // The command itself refuses before writing anything.
    const cli = await run('tsx', [path.join(repoRoot, 'scripts/new-subgraph.ts'), 'Bad Name'], { cwd: repoRoot });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/"Bad Name" is not a valid subgraph name/);
    expect(existsSync(path.join(repoRoot, 'subgraphs', NAME))).toBe(false);
  }, 60_000);
});
