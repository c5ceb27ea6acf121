import type { HeaderMap } from '@apollo/server';
import { HttpError, type Caller, type TraceContext } from '@kopdes/kit';
import type { SubsequentPayload } from './defer/parts';

/**
 * A request is handled by named stages (README, "The gateway's request path"). Each stage decides
 * one thing and hands the next stage a new state object with its decision added: the state only
 * moves forward, and nothing a stage decided is changed after it. The answer comes back the same
 * way, as an `Outcome` each stage may wrap on its way out (the cache keeps it, the budget adds its
 * headers), in the manner of Hive Gateway's `onExecute` hooks returning `onExecuteDone`.
 */

/** What the HTTP edge knows of a request before any stage runs. */
export interface Incoming {
  readonly requestId: string;
  readonly trace: TraceContext;
  readonly tracestate?: string;
  readonly method: string;
  readonly url: URL;
  readonly headers: HeaderMap;
  /** The socket's peer, or the first X-Forwarded-For hop behind a trusted proxy. */
  readonly clientAddress: string;
  /** The request body, refused with a 413 the client can read beyond `limit` bytes. */
  readonly readBody: (limit: number) => Promise<string>;
}

/** After `identify`: who is calling, and the caller as signed for the subgraphs. */
export interface Identified extends Incoming {
  readonly caller: Caller;
  readonly callerToken: () => Promise<string>;
}

/** One GraphQL HTTP request as Apollo Server takes it. */
export interface GraphQLHttpRequest {
  readonly method: string;
  readonly headers: HeaderMap;
  readonly search: string;
  readonly body: unknown;
}

/** After `read`: the GraphQL request to run, how many operations it holds, and their names as sent. */
export interface Parsed extends Identified {
  readonly request: GraphQLHttpRequest;
  readonly operations: number;
  readonly declared: readonly string[];
}

/** A whole HTTP answer. A streamed body (an export) is written chunk by chunk. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | AsyncIterable<string>;
}

/** What one execution did, recorded while Apollo runs it (by its plugin and the subgraph fetch stages). */
export interface Execution {
  /** Operation names and kinds (query, mutation, subscription), as resolved. */
  operations: string[];
  kinds: string[];
  errors: number;
  subgraphErrors: Set<string>;
  subgraphsRead: Set<string>;
  subgraphsWritten: Set<string>;
  /** Set (by a plugin or fetch stage) when the answer must not be kept by the response cache, e.g. it holds personal data. */
  uncacheable: boolean;
  /** Personal fields the operation selects (personal-data.ts), declared to every subgraph fetch so each person read is recorded once per request. */
  personalFields?: ReadonlySet<string>;
  /** Set when the caller asked for the query plan and may see it (query-plan.ts): filled by the planner callback and the fetch timings. */
  queryPlan?: import('./query-plan').QueryPlanReport;
  /** The operation's estimated cost (cost.ts), for the execution budget. */
  cost?: number;
  /** The later parts of an operation that defers fragments (defer/gateway.ts), for `execute` to stream after the first. */
  deferred?: AsyncIterable<SubsequentPayload>;
}

export const newExecution = (): Execution => ({
  operations: [],
  kinds: [],
  errors: 0,
  subgraphErrors: new Set(),
  subgraphsRead: new Set(),
  subgraphsWritten: new Set(),
  uncacheable: false,
});

/** A request's answer and what the stages on its way back, the metrics and the log line need to know. */
export interface Outcome {
  readonly answer: Answer;
  /** Operation names served (executed, or recorded with a cached answer). */
  readonly operations: readonly string[];
  /** Errors returned to the client. */
  readonly errors: number;
  readonly subgraphErrors: readonly string[];
  /** The code of a refusal made outside GraphQL execution (auth, limits, budget, request shape). */
  readonly refused?: string;
  /** Set by `execute`: what the execution did. */
  readonly execution?: Readonly<Execution>;
  /** Set by `cache`. */
  readonly cache?: 'hit' | 'shared' | 'miss';
  readonly stored?: boolean;
  /** Added on the way back by `identify` and `read`, for the request log. */
  readonly caller?: Caller;
  readonly declared?: readonly string[];
  /** An unexpected error behind a 5xx, for the edge to log with the request id (the client sees a masked message). */
  readonly failure?: unknown;
}

export type Next<S> = (state: S) => Promise<Outcome>;
/** One stage: takes the state so far, calls `next` with its own decision added (or answers itself). */
export type Stage<In, Out> = (state: In, next: Next<Out>) => Promise<Outcome>;

const JSON_TYPE = 'application/json; charset=utf-8';

/** An HTTP refusal as an outcome: a GraphQL-shaped error body with a code; anything unexpected is a 500. */
export function refusal(error: unknown): Outcome {
  const known = error instanceof HttpError ? error : new HttpError(500, 'Internal error; it has been logged.');
  const code =
    known.code ??
    (known.status === 401 ? 'UNAUTHENTICATED' : known.status === 403 ? 'FORBIDDEN' : known.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
  const body = JSON.stringify({ errors: [{ message: known.message, extensions: { code } }] });
  return {
    answer: { status: known.status, headers: { 'content-type': JSON_TYPE, ...known.headers }, body },
    operations: [],
    errors: 1,
    subgraphErrors: [],
    refused: code,
  };
}

/** Runs `step`; a thrown error becomes a refusal outcome, so every stage gets an outcome back from `next`. */
async function settle(step: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await step();
  } catch (error) {
    const outcome = refusal(error);
    return error instanceof HttpError && error.status < 500 ? outcome : { ...outcome, failure: error };
  }
}

type AnyStage = Stage<unknown, unknown>;

/**
 * The stages of one route, in request order: `Pipeline.start<Incoming>().then(identify).then(read)…end(execute)`.
 * Types carry the state forward, so a stage that needs a decision cannot be placed before the stage making it.
 */
export class Pipeline<Start, S> {
  // Stored untyped: `then` checked each stage against the state the stages before it hand on.
  private constructor(private readonly stages: readonly AnyStage[]) {}

  static start<S>(): Pipeline<S, S> {
    return new Pipeline<S, S>([]);
  }

  then<Out>(stage: Stage<S, Out>): Pipeline<Start, Out> {
    return new Pipeline<Start, Out>([...this.stages, stage as unknown as AnyStage]);
  }

  /** The route's handler, ending in `last` (which answers without a `next`). */
  end(last: (state: S) => Promise<Outcome>): (state: Start) => Promise<Outcome> {
    const run = this.stages.reduceRight<Next<unknown>>(
      (next, stage) => (state) => settle(() => stage(state, next)),
      (state) => settle(() => last(state as S)),
    );
    return run;
  }
}
