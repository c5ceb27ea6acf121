import type { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { CALLER_HEADER, formatTraceparent, newSpanId, PERSONAL_DATA_HEADER, PERSONAL_FIELDS_HEADER } from '@kopdes/kit';
import type { FetchContext } from './subgraph-source';

/**
 * Stages around each subgraph fetch, in the manner of gateway-js's `willSendRequest` /
 * `didReceiveResponse` and Hive Gateway's `onFetch`: each gets the fetch and `next`, may change the
 * request before calling it and read the response after. In-flight deduplication or an entity
 * cache slot in here (deduplicate only on a key that holds the caller token: it decides what a
 * caller may see).
 */
export type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

export interface SubgraphFetch {
  readonly subgraph: string;
  /** A mutation: the subgraph's data changes (the response cache drops what was read from it). */
  readonly write: boolean;
  readonly options: GraphQLDataSourceProcessOptions<FetchContext>;
  /** This fetch's own extra request headers, sent with Apollo's. */
  readonly headers: Headers;
}

export type FetchStage = (fetch: SubgraphFetch, next: (fetch: SubgraphFetch) => Promise<SubgraphResponse>) => Promise<SubgraphResponse>;

/** Request id, a new span of the caller's trace, and the caller signed by the gateway (which subgraphs require). */
export const forwardCaller: FetchStage = async (fetch, next) => {
  const { context } = fetch.options;
  if (!context?.callerToken) return next(fetch); // Apollo's own health and schema fetches carry no caller
  const { headers } = fetch;
  headers.set('x-request-id', context.requestId);
  // The fetch's span when tracing is on (@apollo/gateway's gateway.fetch, active here), so the subgraph's spans nest under it.
  const span = trace.getActiveSpan()?.spanContext();
  headers.set(
    'traceparent',
    span && isSpanContextValid(span)
      ? formatTraceparent({ traceId: span.traceId, flags: span.traceFlags & 1 ? '01' : '00' }, span.spanId)
      : formatTraceparent(context.trace, newSpanId()),
  );
  if (context.tracestate) headers.set('tracestate', context.tracestate);
  headers.set(CALLER_HEADER, await context.callerToken());
  return next(fetch);
};

/** Which subgraphs the execution read and wrote: the response cache's dependencies and invalidations. */
export const recordAccess: FetchStage = async (fetch, next) => {
  const execution = fetch.options.context?.execution;
  (fetch.write ? execution?.subgraphsWritten : execution?.subgraphsRead)?.add(fetch.subgraph);
  return next(fetch);
};

/**
 * Personal data: tells each subgraph which personal fields the whole request selects (one access-record
 * row per person and request), and marks the answer uncacheable when a subgraph says it served personal
 * data, even where the supergraph's marks missed it (every personal read must go on record).
 */
export const declarePersonal: FetchStage = async (fetch, next) => {
  const execution = fetch.options.context?.execution;
  if (execution?.personalFields?.size) fetch.headers.set(PERSONAL_FIELDS_HEADER, [...execution.personalFields].sort().join(','));
  const response = await next(fetch);
  if (execution && response.http?.headers.get(PERSONAL_DATA_HEADER)) execution.uncacheable = true;
  return response;
};

/** `stages` around `send`, the first outermost. */
export function chainFetch(
  stages: readonly FetchStage[],
  send: (fetch: SubgraphFetch) => Promise<SubgraphResponse>,
): (fetch: SubgraphFetch) => Promise<SubgraphResponse> {
  return stages.reduceRight<(fetch: SubgraphFetch) => Promise<SubgraphResponse>>((next, stage) => (fetch) => stage(fetch, next), send);
}
