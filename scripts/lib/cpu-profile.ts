/**
 * Where a subgraph's CPU goes, from a V8 `.cpuprofile` (`node --cpu-prof`): each sample's time
 * charged to the layer of its innermost frame (self) and once to every layer on its stack (self
 * and children). Idle time is left out, so shares are of the CPU the process actually used.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** Layers of a kit subgraph's request path, first match wins (ordered specific to general). */
const LAYERS: [string, RegExp][] = [
  ['caller token (jose, crypto)', /node_modules\/jose\/|kit\/src\/trust\.ts|node:internal\/crypto/],
  ['metrics', /kit\/src\/metrics\.ts|prom-client/],
  ['DataLoader', /node_modules\/dataloader\//],
  [
    'Prisma (client, query compiler, adapter)',
    /@prisma\/|\/generated\/prisma\/|kit\/src\/(statements|lost-connection)\.ts|query_engine|query_compiler|^wasm:\/\//,
  ],
  ['SQL driver (pg)', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+)\//],
  ['Apollo Server', /@apollo\/server\//],
  ['Apollo subgraph (_entities)', /@apollo\/subgraph\//],
  ['type-graphql (resolvers, middleware)', /node_modules\/type-graphql\//],
  ['graphql-js (parse, validate, execute)', /node_modules\/graphql\//],
  ['kit (server, guard, access)', /subgraphs\/kit\/src\//],
  ['cooperatives (resolvers, loaders)', /subgraphs\/cooperatives\/src\//],
  ['type-graphql scalars (graphql-scalars)', /node_modules\/graphql-scalars\//],
  ['HTTP and sockets (node)', /node:(_http|http|net|stream|internal\/(http|stream|streams|net|js_stream|dns|url))|node:internal\/url|node:url/],
  ['floor server', /floor-subgraph\.ts/],
];
const OTHER_JS = 'other JavaScript (node runtime, async hooks, timers, promises)';
const GC = 'garbage collection';
const NATIVE = 'native (program)';

/** A builtin without a script (writev, JSON.parse, runMicrotasks): charged to whoever called it. */
const INHERIT = 'inherit';

function layerOf(frame: ProfileNode['callFrame']): string | undefined {
  if (frame.functionName === '(garbage collector)') return GC;
  if (!frame.url && !frame.functionName.startsWith('(')) return INHERIT;
  if (frame.functionName === '(program)') return NATIVE;
  if (frame.functionName === '(idle)' || frame.functionName === '(root)') return undefined;
  for (const [name, pattern] of LAYERS) if (pattern.test(frame.url)) return name;
  return OTHER_JS;
}

export interface LayerShare {
  layer: string;
  selfMs: number;
  totalMs: number;
  selfShare: number;
  totalShare: number;
}

/** `window`: only samples between these CLOCK_MONOTONIC times in µs (process.hrtime of any process on the machine), e.g. the measured load. */
export function layerBreakdown(file: string, window?: { from: number; to: number }): { busyMs: number; layers: LayerShare[]; topFrames: [string, number][] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // Layers on each node's stack, computed once per node.
  const stackLayers = new Map<number, Set<string>>();
  const ownLayer = new Map<number, string | undefined>();
  const layerAt = (id: number): string | undefined => {
    if (ownLayer.has(id)) return ownLayer.get(id);
    let own = layerOf(byId.get(id)!.callFrame);
    if (own === INHERIT) {
      const up = parent.get(id);
      own = (up === undefined ? undefined : layerAt(up)) ?? OTHER_JS;
    }
    ownLayer.set(id, own);
    return own;
  };
  const layersOf = (id: number): Set<string> => {
    let known = stackLayers.get(id);
    if (known) return known;
    const up = parent.get(id);
    known = new Set(up === undefined ? [] : layersOf(up));
    const own = layerAt(id);
    if (own) known.add(own);
    stackLayers.set(id, known);
    return known;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const other = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.from || at > window.to)) return;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000; // a sample's time runs until the next one
    const frame = byId.get(id)!.callFrame;
    const own = layerAt(id);
    if (!own) return;
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(subgraphs|scripts)\//, '$1/')} [${own}]`;
    other.set(where, (other.get(where) ?? 0) + ms);
    busy += ms;
    self.set(own, (self.get(own) ?? 0) + ms);
    for (const layer of layersOf(id)) total.set(layer, (total.get(layer) ?? 0) + ms);
  });
  const layers = [...total.keys()]
    .map((layer) => ({
      layer,
      selfMs: self.get(layer) ?? 0,
      totalMs: total.get(layer) ?? 0,
      selfShare: (self.get(layer) ?? 0) / busy,
      totalShare: (total.get(layer) ?? 0) / busy,
    }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { busyMs: busy, layers, topFrames: [...other].sort((a, b) => b[1] - a[1]).slice(0, 25) };
}
