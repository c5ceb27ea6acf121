/**
 * What to watch (docs/operations.md): a Prometheus scrape job for every annotated Kopdes pod, alert
 * rules on the metric names the gateway and subgraphs serve at /metrics, and optionally an
 * OpenTelemetry collector that scrapes the same endpoints and forwards them over OTLP.
 */
import { stringify } from 'yaml';
import { labelsFor, type Manifest, type RenderOptions } from './manifests';

const scrapeJob = (namespace: string) => ({
  job_name: 'kopdes-pods',
  kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [namespace] } }],
  relabel_configs: [
    { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
    { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], target_label: '__metrics_path__', regex: '(.+)' },
    {
      source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
      regex: '([^:]+)(?::\\d+)?;(\\d+)',
      replacement: '$1:$2',
      target_label: '__address__',
    },
    { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], target_label: 'service' },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  ],
});

/** Alerts that matter, each on a metric this code base really serves. */
export const ALERTS = [
  {
    alert: 'KopdesTargetDown',
    expr: 'up{job="kopdes-pods"} == 0',
    for: '2m',
    severity: 'page',
    summary: '{{ $labels.service }} pod {{ $labels.pod }} does not answer /metrics.',
  },
  {
    alert: 'KopdesGatewayServerErrors',
    expr: 'sum(rate(kopdes_gateway_requests_total{status=~"5.."}[5m])) / clamp_min(sum(rate(kopdes_gateway_requests_total[5m])), 1e-9) > 0.01',
    for: '10m',
    severity: 'page',
    summary: 'More than 1% of gateway requests end in HTTP 5xx.',
  },
  {
    alert: 'KopdesPartialAnswers',
    expr: 'sum by (subgraph, code) (rate(kopdes_gateway_subgraph_errors_total[5m])) > 0.05',
    for: '5m',
    severity: 'page',
    summary: 'The gateway cannot reach {{ $labels.subgraph }} ({{ $labels.code }}): its fields come back null.',
  },
  {
    alert: 'KopdesGatewayLatencyP99',
    expr: 'histogram_quantile(0.99, sum by (le) (rate(kopdes_gateway_request_duration_seconds_bucket[5m]))) > 2',
    for: '10m',
    severity: 'ticket',
    summary: 'Gateway p99 latency above 2 s.',
  },
  {
    alert: 'KopdesSubgraphLatencyP99',
    expr: 'histogram_quantile(0.99, sum by (le, subgraph) (rate(kopdes_subgraph_request_duration_seconds_bucket[5m]))) > 1',
    for: '10m',
    severity: 'ticket',
    summary: '{{ $labels.subgraph }} p99 latency above 1 s.',
  },
  {
    alert: 'KopdesSubgraphSqlPerRequest',
    expr: 'histogram_quantile(0.99, sum by (le, subgraph) (rate(kopdes_subgraph_sql_statements_per_request_bucket[15m]))) > 20',
    for: '15m',
    severity: 'ticket',
    summary: '{{ $labels.subgraph }} runs more than 20 SQL statements per request at p99 (an N+1 regression?).',
  },
  {
    alert: 'KopdesSupergraphReloadRejected',
    expr: 'increase(kopdes_gateway_supergraph_reloads_total{outcome="rejected"}[15m]) > 0',
    for: '0m',
    severity: 'ticket',
    summary: 'A supergraph update was refused; the gateway keeps serving the previous one.',
  },
  {
    alert: 'KopdesRateLimited',
    expr: 'sum(rate(kopdes_gateway_rate_limited_total[5m])) > 1',
    for: '15m',
    severity: 'info',
    summary: 'Clients are being refused with 429 (RATE_LIMIT_MAX).',
  },
  {
    alert: 'KopdesGatewayMemory',
    expr: 'process_resident_memory_bytes{service="gateway"} > 1.2e9',
    for: '15m',
    severity: 'ticket',
    summary: 'Gateway pod {{ $labels.pod }} uses more than 1.2 GB (limit 1.5 GiB).',
  },
] as const;

export function monitoringManifests(o: RenderOptions): Manifest[] {
  const rules = {
    groups: [
      {
        name: 'kopdes-graph',
        rules: ALERTS.map(({ alert, expr, for: duration, severity, summary }) => ({
          alert,
          expr,
          for: duration,
          labels: { severity },
          annotations: { summary },
        })),
      },
    ],
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kopdes-prometheus', namespace: o.namespace, labels: labelsFor('prometheus', 'monitoring') },
      // Add scrape.yml to the site Prometheus' scrape_configs and alerts.yml to its rule_files.
      data: { 'scrape.yml': stringify({ scrape_configs: [scrapeJob(o.namespace)] }), 'alerts.yml': stringify(rules) },
    },
  ];
}

/** An OpenTelemetry collector scraping every Kopdes service and forwarding over OTLP to the site's backend. */
export function otelCollectorManifests(o: RenderOptions): Manifest[] {
  const config = {
    receivers: {
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
      prometheus: { config: { scrape_configs: [scrapeJob(o.namespace)] } },
    },
    processors: { batch: {}, memory_limiter: { check_interval: '5s', limit_percentage: 80, spike_limit_percentage: 20 } },
    exporters: { otlp: { endpoint: o.otelEndpoint } },
    service: {
      pipelines: {
        metrics: { receivers: ['prometheus', 'otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp'] },
        traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['otlp'] },
      },
    },
  };
  const app = 'otel-collector';
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: app, namespace: o.namespace, labels: labelsFor(app, 'monitoring') },
      data: { 'config.yaml': stringify(config) },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: app, namespace: o.namespace, labels: labelsFor(app, 'monitoring') } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: app, namespace: o.namespace },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: app, namespace: o.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: app },
      subjects: [{ kind: 'ServiceAccount', name: app, namespace: o.namespace }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: o.namespace, labels: labelsFor(app, 'monitoring') },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': app } },
        template: {
          metadata: { labels: labelsFor(app, 'monitoring') },
          spec: {
            serviceAccountName: app,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: app,
                image: o.otelCollectorImage,
                args: ['--config=/etc/otelcol/config.yaml'],
                ports: [
                  { name: 'otlp-grpc', containerPort: 4317 },
                  { name: 'otlp-http', containerPort: 4318 },
                ],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
                volumeMounts: [{ name: 'config', mountPath: '/etc/otelcol', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: app } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: o.namespace, labels: labelsFor(app, 'monitoring') },
      spec: {
        selector: { 'app.kubernetes.io/name': app },
        ports: [
          { name: 'otlp-grpc', port: 4317, targetPort: 'otlp-grpc' },
          { name: 'otlp-http', port: 4318, targetPort: 'otlp-http' },
        ],
      },
    },
  ];
}
