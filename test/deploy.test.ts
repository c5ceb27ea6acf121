/**
 * Deployment files, checked offline: the Dockerfiles' structure (no Docker engine runs here, so
 * the images are not built by the tests), and every Kubernetes object `npm run deploy:render`
 * writes, validated against the Kubernetes object schemas by kubernetes-models (no cluster).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tracingEnabled } from '@kopdes/kit';
import { authConfigFromEnv } from '../gateway/src/auth';
import { subgraphEntries, type SubgraphEntry } from '../scripts/lib/registry';
import { parseDockerfile, productionCommand, readDockerfile } from '../scripts/deploy/dockerfile';
import { SECRETS, SUPERGRAPH_DIR, type Manifest, type RenderOptions } from '../scripts/deploy/manifests';
import { ALERTS } from '../scripts/deploy/monitoring';
import { renderAll } from '../scripts/deploy/render-all';
import { supergraphs } from '../scripts/deploy/rehearsal/supergraphs';

const OPTIONS: RenderOptions = {
  registry: 'registry.example.go.id/kopdes',
  tag: '2026.12.1',
  namespace: 'kopdes',
  gatewayReplicas: 2,
  subgraphReplicas: 2,
  authIssuer: 'https://sso.example.go.id/realms/kopdes',
  authAudience: 'kopdes-graph',
  otelEndpoint: 'otel.monitoring.svc:4317',
  otelCollectorImage: 'registry.example.go.id/kopdes/opentelemetry-collector-contrib:0.114.0',
};
const SUPERGRAPH = readFileSync(path.join(repoRoot, 'schema/supergraph.graphql'), 'utf8');

/** kubernetes-models' class for an object's apiVersion and kind ("apps/v1" → kubernetes-models/apps/v1). */
async function validate(manifest: Manifest): Promise<void> {
  const models = (await import(/* @vite-ignore */ `kubernetes-models/${manifest.apiVersion}`)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = models[manifest.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${manifest.kind} in ${manifest.apiVersion}`);
  new Model(JSON.parse(JSON.stringify(manifest))).validate();
}

const find = (objects: Manifest[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
type Container = {
  image: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  readinessProbe?: { httpGet: { path: string } };
  livenessProbe?: { httpGet: { path: string } };
  resources?: unknown;
  args?: string[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
};
const containerOf = (o: Manifest | undefined) =>
  (o as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers[0]!;

describe('Dockerfiles', () => {
  for (const kind of ['gateway', 'subgraph'] as const) {
    it(`${kind}: multi-stage from a configurable registry, non-root, no installs in the final stage, health check, production CMD`, () => {
      const file = readDockerfile(kind);
      expect(file.globalArgs).toContain('REGISTRY');
      expect(file.stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
      for (const stage of file.stages) expect(stage.from).toMatch(/^\$\{REGISTRY\}/);
      const deps = file.stages[1]!.instructions.filter((i) => i.keyword === 'RUN')
        .map((i) => i.args)
        .join('\n');
      expect(deps).toMatch(/npm ci .*--omit=dev/);
      const final = file.stages.at(-1)!;
      const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
      expect(user).toBeDefined();
      expect(['root', '0']).not.toContain(user!.split(':')[0]);
      // Nothing installed, generated or downloaded in the final image, or at its start.
      expect(final.instructions.filter((i) => i.keyword === 'RUN')).toEqual([]);
      for (const i of final.instructions) expect(i.args).not.toMatch(/\b(npm (install|ci|i)|npx|prisma generate|curl|wget)\b/);
      // node_modules come from the production-only stage, never from the full build.
      const copies = final.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
      expect(copies.filter((c) => c.includes('node_modules'))).toEqual(['--from=deps /app/node_modules ./node_modules']);
      expect(copies.filter((c) => c.startsWith('--from=build'))).toEqual([expect.stringMatching(/generated|public\/build/)]);
      expect(final.instructions.some((i) => i.keyword === 'HEALTHCHECK' && i.args.includes('/health'))).toBe(true);
      expect(final.instructions.some((i) => i.keyword === 'ENV' && /NODE_ENV=production/.test(i.args))).toBe(true);
      // The gateway's heap is bounded (its caches and execution budget are), and its young generation, so its resident set stays within ~300 MB.
      expect(productionCommand(kind, 'financing')).toEqual({
        argv: ['node', ...(kind === 'gateway' ? ['--max-old-space-size=192', '--max-semi-space-size=8'] : []), '--import', 'tsx', 'src/index.ts'],
        workdir: kind === 'gateway' ? 'gateway' : 'subgraphs/financing',
      });
    });
  }

  it('the parser sees a stage running as root', () => {
    const rootImage = parseDockerfile('ARG REGISTRY\nFROM ${REGISTRY}node AS runtime\nUSER root\nCMD ["node"]\n');
    expect(rootImage.stages[0]!.instructions.find((i) => i.keyword === 'USER')!.args).toBe('root');
  });

  it('tsx, which runs the production start command, is a production dependency', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.tsx).toBeDefined();
  });
});

describe('Kubernetes manifests rendered from scripts/subgraphs.json', () => {
  const files = renderAll(OPTIONS, subgraphEntries(), SUPERGRAPH);
  const objects = [...files.values()].flat();

  it('validates every object against the Kubernetes schemas', async () => {
    expect(objects.length).toBeGreaterThan(subgraphEntries().length * 4);
    for (const object of objects) await validate(object);
  });

  it('fails validation for a broken object (the check can fail)', async () => {
    const broken = { ...find(objects, 'Service', 'gateway')!, spec: { ports: [{ port: 'eighty' }] } };
    await expect(validate(broken)).rejects.toThrow();
  });

  it('gives every subgraph a migration Job, a Deployment probed on /health and /ready, a Service and a PodDisruptionBudget', () => {
    for (const entry of subgraphEntries()) {
      const job = objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith(`${entry.name}-migrate-`));
      expect(containerOf(job).args).toEqual(['node', '--import', 'tsx', 'src/index.ts', '--migrate-only']);
      const container = containerOf(find(objects, 'Deployment', entry.name));
      expect(container.image).toBe(`registry.example.go.id/kopdes/kopdes-${entry.name}:2026.12.1`);
      expect(container.readinessProbe!.httpGet.path).toBe('/ready');
      expect(container.livenessProbe!.httpGet.path).toBe('/health');
      expect(container.resources).toBeDefined();
      expect(container.env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: SECRETS.database(entry.name) } });
      expect(find(objects, 'Service', entry.name)).toMatchObject({ spec: { ports: [{ port: entry.port }] } });
      expect(find(objects, 'PodDisruptionBudget', entry.name)).toBeDefined();
    }
  });

  it("sends every service's traces to the rendered collector over OTLP/HTTP, and none without one", () => {
    const envOf = (objects: Manifest[], name: string) => Object.fromEntries(containerOf(find(objects, 'Deployment', name)).env!.map((e) => [e.name, e.value]));
    const collector = find(objects, 'Service', 'otel-collector') as unknown as { spec: { ports: { port: number }[] } };
    expect(collector.spec.ports.map((p) => p.port)).toContain(4318);
    for (const [name, service] of [['gateway', 'kopdes-gateway'], ...subgraphEntries().map((e) => [e.name, `kopdes-${e.name}`])] as const) {
      const env = envOf(objects, name);
      expect(env).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.kopdes.svc.cluster.local:4318', OTEL_SERVICE_NAME: service });
      expect(tracingEnabled(env)).toBe(true);
    }
    const without = [...renderAll({ ...OPTIONS, otelEndpoint: undefined }, subgraphEntries(), SUPERGRAPH).values()].flat();
    expect(tracingEnabled(envOf(without, 'gateway'))).toBe(false);
    expect(Object.keys(envOf(without, 'regions')).filter((k) => k.startsWith('OTEL_'))).toEqual([]);
  });

  it('references Secrets and never inlines one', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/postgres(ql)?:\/\/|BEGIN (PRIVATE|PUBLIC) KEY|"keys":\s*\[/);
    const gateway = containerOf(find(objects, 'Deployment', 'gateway'));
    expect(gateway.env).toContainEqual({ name: 'REDIS_URL', valueFrom: { secretKeyRef: SECRETS.redis } });
  });

  it('gives the gateway what its production start-up requires of authentication (issuer, audience, JWKS)', () => {
    const gateway = containerOf(find(objects, 'Deployment', 'gateway'));
    const env = Object.fromEntries(gateway.env!.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
    expect(env).toMatchObject({ NODE_ENV: 'production', AUTH_ISSUER: OPTIONS.authIssuer, AUTH_AUDIENCE: 'kopdes-graph' });
    // The gateway's own check, with the mounted JWKS path swapped for a local one.
    const dir = mkdtempSync(path.join(tmpdir(), 'kopdes-deploy-'));
    writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [] }));
    expect(authConfigFromEnv({ ...env, AUTH_JWKS_FILE: path.join(dir, 'jwks.json') })).toMatchObject({ issuer: OPTIONS.authIssuer, audience: 'kopdes-graph' });
    expect(() => authConfigFromEnv({ ...env, AUTH_ISSUER: '', AUTH_JWKS_FILE: path.join(dir, 'jwks.json') })).toThrow(/set AUTH_ISSUER/);
  });

  it('mounts the supergraph ConfigMap as a folder (no subPath), where hot reload watches it, with in-cluster subgraph URLs', () => {
    const gateway = containerOf(find(objects, 'Deployment', 'gateway'));
    expect(gateway.volumeMounts).toContainEqual({ name: 'supergraph', mountPath: SUPERGRAPH_DIR, readOnly: true });
    expect(gateway.volumeMounts!.every((m) => m.subPath === undefined)).toBe(true);
    expect(gateway.env).toContainEqual({ name: 'SUPERGRAPH_PATH', value: `${SUPERGRAPH_DIR}/supergraph.graphql` });
    const sdl = (find(objects, 'ConfigMap', 'kopdes-supergraph') as unknown as { data: Record<string, string> }).data['supergraph.graphql']!;
    for (const entry of subgraphEntries()) expect(sdl).toContain(`url: "http://${entry.name}.kopdes.svc.cluster.local:${entry.port}/graphql"`);
    expect(sdl).not.toContain('127.0.0.1');
    expect(find(objects, 'HorizontalPodAutoscaler', 'gateway')).toBeDefined();
  });

  it('alerts only on metrics the gateway and subgraphs serve', () => {
    const served = [
      ...readFileSync(path.join(repoRoot, 'gateway/src/metrics.ts'), 'utf8').matchAll(/name: '([a-z_]+)'/g),
      ...readFileSync(path.join(repoRoot, 'subgraphs/kit/src/server.ts'), 'utf8').matchAll(/name: '([a-z_]+)'/g),
    ]
      .map((m) => m[1]!)
      .concat('process_resident_memory_bytes', 'up');
    for (const { expr } of ALERTS) {
      for (const [name] of expr.matchAll(/\b(kopdes_[a-z_]+|process_[a-z_]+|up)(?=[{[\s])/g)) {
        expect(served).toContain(name.replace(/_bucket$/, ''));
      }
    }
  });

  it('renders a subgraph added to the registry (as npm run new-subgraph adds one)', () => {
    const added: SubgraphEntry = { name: 'food-security', package: '@kopdes/food-security', port: 4109 };
    const withNew = [...renderAll(OPTIONS, [...subgraphEntries(), added], SUPERGRAPH).values()].flat();
    expect(find(withNew, 'Deployment', 'food-security')).toBeDefined();
    expect(find(withNew, 'Service', 'food-security')).toMatchObject({ spec: { ports: [{ port: 4109 }] } });
  });
});

describe('the production rehearsal', () => {
  it("rolls from a supergraph without labour's hireRecords to the committed one (the roll still finds its field)", () => {
    const urls = new Map(subgraphEntries().map((e) => [e.name, `http://127.0.0.1:${e.port}/graphql`]));
    const { previous, current } = supergraphs(urls);
    expect(current).toMatch(/hireRecords: \[LabourHire!\]!/);
    expect(previous).not.toMatch(/hireRecords/);
  });
});
