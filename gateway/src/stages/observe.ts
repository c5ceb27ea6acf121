import { log } from '@kopdes/kit';
import type { GatewayMetrics } from '../metrics';
import type { Incoming, Outcome } from '../pipeline';

export interface Finished {
  state: Incoming;
  outcome?: Outcome;
  status: number;
  seconds: number;
  /** The client went away before the whole answer was sent. */
  aborted: boolean;
}

/** The operation label of metrics and the log: names Apollo resolved, else those the body declared. */
export const operationLabel = (outcome: Outcome | undefined): string =>
  ((outcome?.operations.length ? outcome.operations : outcome?.declared) ?? []).join(',') || 'anonymous';

/** The request's log line. */
export function requestLog({ state, outcome, status, seconds, aborted }: Finished): Record<string, unknown> {
  const caller = outcome?.caller;
  return {
    requestId: state.requestId,
    traceId: state.trace.traceId,
    method: state.method,
    operation: operationLabel(outcome),
    status,
    durationMs: Math.round(seconds * 1e4) / 10,
    role: caller?.role ?? 'public',
    ...(caller?.ministry ? { ministry: caller.ministry } : {}),
    ...(outcome?.errors ? { errors: outcome.errors } : {}),
    ...(outcome?.subgraphErrors.length ? { subgraphErrors: outcome.subgraphErrors } : {}),
    ...(outcome?.cache ? { cache: outcome.cache } : {}),
    ...(aborted ? { aborted: true } : {}),
  };
}

/** `observe`: each finished request's duration and status by operation, and one log line. */
export function observe(metrics: Pick<GatewayMetrics, 'duration' | 'requests' | 'errors'>) {
  return (finished: Finished): void => {
    const operation = operationLabel(finished.outcome);
    metrics.duration.observe(finished.seconds, { operation });
    metrics.requests.inc({ operation, status: String(finished.status) });
    if (finished.outcome?.refused) metrics.errors.inc({ code: finished.outcome.refused });
    log.info('request', requestLog(finished));
  };
}
