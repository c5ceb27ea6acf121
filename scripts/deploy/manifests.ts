/**
 * Kubernetes objects for a ministry network, from the one subgraph registry (scripts/subgraphs.json):
 * per subgraph a migration Job, a Deployment, a Service and a PodDisruptionBudget; the gateway with
 * its supergraph as a ConfigMap (hot reload), an HPA; Prometheus scrape and alert rules; optionally an
 * OpenTelemetry collector. Secrets are only referenced (docs/operations.md says how to create them).
 */
import { createHash } from 'node:crypto';
import type { SubgraphEntry } from '../lib/registry';

export interface RenderOptions {
  /** Image registry and path prefix, e.g. "registry.example.go.id/kopdes". */
  registry: string;
  tag: string;
  namespace: string;
  gatewayReplicas: number;
  subgraphReplicas: number;
  /** The "iss" of the identity provider's tokens for this graph, e.g. https://sso.example.go.id/realms/kopdes. */
  authIssuer: string;
  /** The "aud" that provider issues for this graph. */
  authAudience: string;
  /** OTLP endpoint of the site's tracing/metrics backend; renders a collector when set. */
  otelEndpoint?: string;
  otelCollectorImage: string;
}

/** The Secrets the manifests reference by name and key; created by the operator, never rendered. */
export const SECRETS = {
  database: (subgraph: string) => ({ name: `kopdes-${subgraph}-database`, key: 'url' }),
  signing: { name: 'kopdes-gateway-signing', privateKey: 'private.pem', publicKeys: 'public.pem' },
  jwks: { name: 'kopdes-auth-jwks', key: 'jwks.json' },
  redis: { name: 'kopdes-redis', key: 'url' },
} as const;

export const GATEWAY_PORT = 4000;
export const SUPERGRAPH_DIR = '/etc/kopdes/supergraph';
const UID = 1000; // the `node` user of the official Node.js images

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
};

const labels = (app: string, component: string) => ({
  'app.kubernetes.io/name': app,
  'app.kubernetes.io/part-of': 'kopdes-graph',
  'app.kubernetes.io/component': component,
});
const selector = (app: string) => ({ 'app.kubernetes.io/name': app });
const image = (o: RenderOptions, name: string) => `${o.registry.replace(/\/$/, '')}/kopdes-${name}:${o.tag}`;
const secretEnv = (name: string, secret: { name: string; key: string }) => ({ name, valueFrom: { secretKeyRef: { name: secret.name, key: secret.key } } });
const env = (values: Record<string, string>) => Object.entries(values).map(([name, value]) => ({ name, value }));
const http = (path: string, periodSeconds: number, failureThreshold: number) => ({
  httpGet: { path, port: 'http' },
  periodSeconds,
  timeoutSeconds: 3,
  failureThreshold,
});

/** Non-root, read-only root filesystem, no privilege escalation; /tmp is the only writable path (tsx's compile cache). */
function podBase(app: string, port: number, container: Record<string, unknown>, volumes: unknown[] = [], mounts: unknown[] = []) {
  return {
    metadata: {
      labels: labels(app, 'server'),
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' },
    },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, seccompProfile: { type: 'RuntimeDefault' } },
      terminationGracePeriodSeconds: 30,
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector(app) } },
      ],
      containers: [
        {
          name: app,
          ports: [{ name: 'http', containerPort: port }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          // Leaves the load balancer time to drop this pod before it drains (SIGTERM).
          lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...mounts],
          ...container,
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }, ...volumes],
    },
  };
}

function deployment(o: RenderOptions, app: string, replicas: number, template: ReturnType<typeof podBase>): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: o.namespace, labels: labels(app, 'server') },
    spec: {
      replicas,
      selector: { matchLabels: selector(app) },
      revisionHistoryLimit: 5,
      // A new replica must be ready before an old one goes: capacity never drops during a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template,
    },
  };
}

function service(o: RenderOptions, app: string, port: number): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app, namespace: o.namespace, labels: labels(app, 'server') },
    spec: { selector: selector(app), ports: [{ name: 'http', port, targetPort: 'http' }] },
  };
}

function disruptionBudget(o: RenderOptions, app: string): Manifest {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app, namespace: o.namespace, labels: labels(app, 'server') },
    spec: { maxUnavailable: 1, selector: { matchLabels: selector(app) } },
  };
}

/** With a collector rendered (--otel-endpoint), every service sends its traces to it over OTLP/HTTP (README, "Traces"). */
const tracingEnv = (o: RenderOptions, service: string): Record<string, string> =>
  o.otelEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://otel-collector.${o.namespace}.svc.cluster.local:4318`, OTEL_SERVICE_NAME: service } : {};

const signingVolume = (items: { key: string; path: string }[]) => ({
  name: 'gateway-signing',
  secret: { secretName: SECRETS.signing.name, items, defaultMode: 0o440 },
});

/** A subgraph: migration Job (safe beside starting replicas: the kit migrates under an advisory lock), Deployment, Service, PDB. */
export function subgraphManifests(o: RenderOptions, entry: SubgraphEntry): Manifest[] {
  const app = entry.name;
  const common = {
    image: image(o, entry.name),
    env: [
      ...env({
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        PORT: String(entry.port),
        DATABASE_POOL_SIZE: '10',
        KOPDES_GATEWAY_PUBLIC_KEY_FILE: '/etc/kopdes/gateway-signing/public.pem',
        ...tracingEnv(o, `kopdes-${entry.name}`),
      }),
      secretEnv('DATABASE_URL', SECRETS.database(entry.name)),
    ],
  };
  const mounts = [{ name: 'gateway-signing', mountPath: '/etc/kopdes/gateway-signing', readOnly: true }];
  const volumes = [signingVolume([{ key: SECRETS.signing.publicKeys, path: 'public.pem' }])];
  const pod = podBase(
    app,
    entry.port,
    {
      ...common,
      resources: { requests: { cpu: '250m', memory: '384Mi' }, limits: { memory: '1Gi' } },
      startupProbe: http('/health', 5, 36),
      readinessProbe: http('/ready', 5, 2),
      livenessProbe: http('/health', 10, 3),
    },
    volumes,
    mounts,
  );
  const migrate = podBase(app, entry.port, {
    ...common,
    args: ['node', '--import', 'tsx', 'src/index.ts', '--migrate-only'],
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  });
  delete (migrate.spec.containers[0] as { lifecycle?: unknown }).lifecycle;
  const tag = createHash('sha256').update(o.tag).digest('hex').slice(0, 8);
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${app}-migrate-${tag}`, namespace: o.namespace, labels: labels(app, 'migration') },
      spec: {
        backoffLimit: 4,
        ttlSecondsAfterFinished: 86_400,
        template: {
          metadata: { labels: labels(app, 'migration') },
          spec: { ...migrate.spec, restartPolicy: 'OnFailure', topologySpreadConstraints: undefined },
        },
      },
    },
    deployment(o, app, o.subgraphReplicas, pod),
    service(o, app, entry.port),
    disruptionBudget(o, app),
  ];
}

/** The composed supergraph with each subgraph's URL pointing at its Service in the namespace. */
export function clusterSupergraph(o: RenderOptions, sdl: string, entries: SubgraphEntry[]): string {
  const ports = new Map(entries.map((e) => [e.name, e.port]));
  return sdl.replace(/(@join__graph\(\s*name:\s*"([^"]+)"\s*,\s*url:\s*")[^"]*(")/g, (match, head: string, name: string, tail: string) => {
    const port = ports.get(name);
    return port === undefined ? match : `${head}http://${name}.${o.namespace}.svc.cluster.local:${port}/graphql${tail}`;
  });
}

/** The gateway: supergraph ConfigMap (the whole folder mounted, no subPath, so updates reach it), Deployment, Service, PDB, HPA. */
export function gatewayManifests(o: RenderOptions, supergraphSdl: string, entries: SubgraphEntry[]): Manifest[] {
  const app = 'gateway';
  const pod = podBase(
    app,
    GATEWAY_PORT,
    {
      image: image(o, app),
      env: [
        ...env({
          NODE_ENV: 'production',
          HOST: '0.0.0.0',
          PORT: String(GATEWAY_PORT),
          TRUST_PROXY: 'true',
          SUPERGRAPH_PATH: `${SUPERGRAPH_DIR}/supergraph.graphql`,
          SUPERGRAPH_WATCH: 'true',
          AUTH_JWKS_FILE: '/etc/kopdes/auth/jwks.json',
          AUTH_ISSUER: o.authIssuer,
          AUTH_AUDIENCE: o.authAudience,
          KOPDES_GATEWAY_PRIVATE_KEY_FILE: '/etc/kopdes/gateway-signing/private.pem',
          ...tracingEnv(o, 'kopdes-gateway'),
        }),
        secretEnv('REDIS_URL', SECRETS.redis),
      ],
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1536Mi' } },
      startupProbe: http('/health', 5, 36),
      // /ready is 200 while serving partial data (a subgraph down) and 503 only while starting or stopping.
      readinessProbe: http('/ready', 5, 2),
      livenessProbe: http('/health', 10, 3),
    },
    [
      { name: 'supergraph', configMap: { name: 'kopdes-supergraph' } },
      { name: 'auth-jwks', secret: { secretName: SECRETS.jwks.name, items: [{ key: SECRETS.jwks.key, path: 'jwks.json' }], defaultMode: 0o440 } },
      signingVolume([{ key: SECRETS.signing.privateKey, path: 'private.pem' }]),
    ],
    [
      { name: 'supergraph', mountPath: SUPERGRAPH_DIR, readOnly: true },
      { name: 'auth-jwks', mountPath: '/etc/kopdes/auth', readOnly: true },
      { name: 'gateway-signing', mountPath: '/etc/kopdes/gateway-signing', readOnly: true },
    ],
  );
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kopdes-supergraph', namespace: o.namespace, labels: labels(app, 'supergraph') },
      data: { 'supergraph.graphql': clusterSupergraph(o, supergraphSdl, entries) },
    },
    deployment(o, app, o.gatewayReplicas, pod),
    service(o, app, GATEWAY_PORT),
    disruptionBudget(o, app),
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: app, namespace: o.namespace, labels: labels(app, 'server') },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app },
        minReplicas: o.gatewayReplicas,
        maxReplicas: Math.max(o.gatewayReplicas * 3, 6),
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    },
  ];
}

export const labelsFor = labels;
export type { Manifest };
