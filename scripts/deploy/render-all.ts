import type { SubgraphEntry } from '../lib/registry';
import { gatewayManifests, subgraphManifests, type Manifest, type RenderOptions } from './manifests';
import { monitoringManifests, otelCollectorManifests } from './monitoring';

export const DEFAULTS = {
  namespace: 'kopdes',
  gatewayReplicas: 2,
  subgraphReplicas: 2,
  otelCollectorVersion: '0.114.0',
  authAudience: 'kopdes-graph',
} as const;

/** Every object, grouped by file in apply order: namespace, subgraphs (migration Job first), gateway, monitoring. */
export function renderAll(o: RenderOptions, entries: SubgraphEntry[], supergraphSdl: string): Map<string, Manifest[]> {
  const files = new Map<string, Manifest[]>();
  files.set('00-namespace.yaml', [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace, labels: { 'app.kubernetes.io/part-of': 'kopdes-graph' } } },
  ]);
  for (const entry of entries) files.set(`10-subgraph-${entry.name}.yaml`, subgraphManifests(o, entry));
  files.set('20-gateway.yaml', gatewayManifests(o, supergraphSdl, entries));
  files.set('30-monitoring.yaml', monitoringManifests(o));
  if (o.otelEndpoint) files.set('40-otel-collector.yaml', otelCollectorManifests(o));
  return files;
}
