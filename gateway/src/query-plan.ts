import { performance } from 'node:perf_hooks';
import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { prettyFormatQueryPlan } from '@apollo/query-planner';
import type { Caller } from '@kopdes/kit';
import type { GatewayContext } from './apollo';
import type { FetchStage } from './fetch-stages';

/**
 * Query plans for analysts: a signed-in caller (analyst and above) who sends `x-query-plan: true` gets,
 * in the response's `extensions.queryPlan`, the subgraphs the plan touches, the plan as the planner
 * prints it, and each subgraph fetch with its time. Never for the public: a plan names the subgraphs
 * and fields behind each answer, which is the graph's internals, and costs a little per request.
 */
export const QUERY_PLAN_HEADER = 'x-query-plan';

export interface FetchTiming {
  subgraph: string;
  /** Milliseconds from sending the fetch to its parsed answer, to 0.1 ms. */
  durationMs: number;
  /** Errors the subgraph answered (or 1 when the fetch itself failed). */
  errors: number;
}

/** What the response's `extensions.queryPlan` holds. */
export interface QueryPlanReport {
  /** The subgraphs the plan fetches from, sorted. */
  subgraphs: string[];
  /** The plan as `@apollo/query-planner` prints it (Sequence, Parallel, Fetch(service: …), Flatten…). */
  plan: string;
  /** Each fetch, in the order it finished. */
  fetches: FetchTiming[];
}

export function wantsQueryPlan(caller: Caller, header: string | null | undefined): boolean {
  return caller.role !== 'public' && /^(true|1|yes)$/i.test(header?.trim() ?? '');
}

/** The `serviceName` of every Fetch node, wherever it sits (Sequence, Parallel, Flatten, Defer, Condition). */
export function fetchedSubgraphs(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const child of node) fetchedSubgraphs(child, into);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.kind === 'Fetch' && typeof record.serviceName === 'string') into.add(record.serviceName);
    for (const [key, value] of Object.entries(record)) if (key !== 'operation' && key !== 'requires') fetchedSubgraphs(value, into);
  }
  return into;
}

/** For ApolloGateway's `experimental_didResolveQueryPlan`: keeps the plan of a request that asked for it. */
export const keepQueryPlan: Experimental_DidResolveQueryPlanCallback = ({ queryPlan, requestContext }) => {
  const report = (requestContext.context as Partial<GatewayContext> | undefined)?.execution?.queryPlan;
  if (!report) return;
  report.plan = prettyFormatQueryPlan(queryPlan);
  report.subgraphs = [...fetchedSubgraphs(queryPlan.node)].sort();
};

/** Times each subgraph fetch of a request that asked for its plan. */
export const timeFetches: FetchStage = async (fetch, next) => {
  const report = fetch.options.context?.execution?.queryPlan;
  if (!report) return next(fetch);
  const started = performance.now();
  const done = (errors: number) => report.fetches.push({ subgraph: fetch.subgraph, durationMs: Math.round((performance.now() - started) * 10) / 10, errors });
  try {
    const response = await next(fetch);
    done(response.errors?.length ?? 0);
    return response;
  } catch (error) {
    done(1);
    throw error;
  }
};

/** Starts the report for a caller allowed one, and puts it in the response's extensions. */
export function queryPlanPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      if (!wantsQueryPlan(contextValue.caller, request.http?.headers.get(QUERY_PLAN_HEADER))) return;
      const report: QueryPlanReport = { subgraphs: [], plan: '', fetches: [] };
      contextValue.execution.queryPlan = report;
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !report.plan) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, queryPlan: report };
        },
      };
    },
  };
}
