import type http from 'node:http';
import { sendJson } from '@kopdes/kit';
import type { FileSupergraph } from './supergraph';

export interface SubgraphStatus {
  name: string;
  url: string;
  status: 'up' | 'down';
  latencyMs?: number;
  error?: string;
}

/** Each subgraph's GET /health, with its latency or why it is down. */
export async function probeSubgraph(name: string, url: string, timeoutMs: number): Promise<SubgraphStatus> {
  const started = performance.now();
  try {
    const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    const latencyMs = Math.round(performance.now() - started);
    return res.ok ? { name, url, status: 'up', latencyMs } : { name, url, status: 'down', latencyMs, error: `HTTP ${res.status}` };
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string }; message?: string };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message ?? 'unreachable');
    return { name, url, status: 'down', error: reason };
  }
}

/** The body of GET /ready: ready, or degraded with the subgraphs that are down named. */
export function readyReport(subgraphs: SubgraphStatus[], extra: Record<string, unknown>): Record<string, unknown> {
  const down = subgraphs.filter((s) => s.status === 'down').map((s) => s.name);
  return {
    status: down.length ? 'degraded' : 'ready',
    ...extra,
    subgraphs: Object.fromEntries(subgraphs.map(({ name, ...rest }) => [name, rest])),
    ...(down.length
      ? { message: `Serving partial data: ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down; their fields come back null with an error naming them.` }
      : {}),
  };
}

/** Readiness probes: GET /ready, and the subgraph probes the warm-up waits on. */
export function readiness(supergraph: FileSupergraph, options: { path: string; timeoutMs: number; stopping: () => boolean; warmUp: () => unknown }) {
  let probing: Promise<SubgraphStatus[]> | undefined;
  function probeSubgraphs(): Promise<SubgraphStatus[]> {
    // Concurrent callers share one probe: a burst of /ready calls costs the subgraphs one /health each.
    probing ??= Promise.all((supergraph.current()?.subgraphs ?? []).map(({ name, url }) => probeSubgraph(name, url, options.timeoutMs))).finally(() => {
      probing = undefined;
    });
    return probing;
  }
  async function ready(res: http.ServerResponse): Promise<void> {
    const state = supergraph.current();
    const noStore = { 'cache-control': 'no-store' };
    if (!state || options.stopping()) return sendJson(res, 503, { status: options.stopping() ? 'stopping' : 'starting' }, noStore);
    const supergraphInfo = { hash: state.hash, loadedAt: state.loadedAt.toISOString(), path: options.path };
    sendJson(res, 200, readyReport(await probeSubgraphs(), { warmUp: options.warmUp(), supergraph: supergraphInfo }), noStore);
  }
  return { probeSubgraphs, ready };
}
