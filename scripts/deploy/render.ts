/**
 * Renders the Kubernetes manifests of a ministry network from scripts/subgraphs.json and the
 * composed supergraph:
 *   npm run deploy:render -- --registry registry.example.go.id/kopdes --tag 2026.12.1
 *     --auth-issuer https://sso.example.go.id/realms/kopdes [--auth-audience kopdes-graph] [--out dir]
 *     [--namespace kopdes] [--gateway-replicas 2] [--subgraph-replicas 2] [--otel-endpoint otel.example:4317]
 * Writes one YAML file per service into --out (default scripts/deploy/out, git-ignored); apply them
 * in file order. Secrets are referenced, never written: see docs/operations.md.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { repoRoot } from '@kopdes/kit';
import { subgraphEntries } from '../lib/registry';
import { DEFAULTS, renderAll } from './render-all';

const { values } = parseArgs({
  options: {
    registry: { type: 'string' },
    tag: { type: 'string' },
    out: { type: 'string' },
    namespace: { type: 'string' },
    'gateway-replicas': { type: 'string' },
    'subgraph-replicas': { type: 'string' },
    'otel-endpoint': { type: 'string' },
    'otel-image': { type: 'string' },
    'auth-issuer': { type: 'string' },
    'auth-audience': { type: 'string' },
  },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const count = (value: string | undefined, fallback: number, name: string) => {
  const n = value === undefined ? fallback : Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fail(`--${name} must be a whole number of at least 1; got "${value}".`);
};
const registry = values.registry ?? fail('--registry is required: the image registry and path prefix, e.g. --registry registry.example.go.id/kopdes');
const tag = values.tag ?? fail('--tag is required: the image tag to deploy, e.g. --tag 2026.12.1');
if (!/^[\w][\w.-]{0,127}$/.test(tag)) fail(`--tag "${tag}" is not a valid image tag (letters, digits, _ . -; at most 128).`);
const authIssuer =
  values['auth-issuer']?.trim() ||
  fail(
    '--auth-issuer is required: the "iss" of your identity provider\'s tokens for this graph, e.g. --auth-issuer https://sso.example.go.id/realms/kopdes (the gateway refuses to start in production without it).',
  );
const namespace = values.namespace ?? DEFAULTS.namespace;
if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) fail(`--namespace "${namespace}" is not a valid Kubernetes namespace name.`);
const out = path.resolve(values.out ?? path.join(repoRoot, 'scripts/deploy/out'));

const files = renderAll(
  {
    registry,
    tag,
    namespace,
    authIssuer,
    authAudience: values['auth-audience']?.trim() || DEFAULTS.authAudience,
    gatewayReplicas: count(values['gateway-replicas'], DEFAULTS.gatewayReplicas, 'gateway-replicas'),
    subgraphReplicas: count(values['subgraph-replicas'], DEFAULTS.subgraphReplicas, 'subgraph-replicas'),
    otelEndpoint: values['otel-endpoint'],
    otelCollectorImage: values['otel-image'] ?? `${registry.replace(/\/$/, '')}/opentelemetry-collector-contrib:${DEFAULTS.otelCollectorVersion}`,
  },
  subgraphEntries(),
  readFileSync(path.join(repoRoot, 'schema/supergraph.graphql'), 'utf8'),
);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [file, manifests] of files) {
  writeFileSync(path.join(out, file), manifests.map((m) => stringify(m, { lineWidth: 0 })).join('---\n'));
}
const objects = [...files.values()].flat();
console.log(
  `Wrote ${objects.length} objects in ${files.size} files to ${path.relative(process.cwd(), out) || '.'}: apply in file order (kubectl apply -f ${path.relative(process.cwd(), out)}).`,
);
