import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { INPUT_SCALARS, log } from '@kopdes/kit';
import { GraphQLError, isScalarType, isSpecifiedScalarType, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { GatewayConfig } from './config';
import { publicContractOf, publicIntrospectionPlugin } from './contract';
import { batchEntities } from './entity-batch';
import { entityCacheStage, type EntityCache } from './entity-cache';
import { mergeInFlight } from './fetch-merge';
import { declarePersonal, forwardCaller, recordAccess, type FetchStage } from './fetch-stages';
import { costLimitPlugin } from './cost';
import { executionBudgetPlugin, type ExecutionBudget } from './execution-budget';
import { DeferringGateway } from './defer/gateway';
import { deferPlugin } from './defer/plugin';
import { aliasLimitRule, depthLimitRule, limitCode } from './limits';
import type { GatewayMetrics } from './metrics';
import type { RegisteredOperation } from './operations';
import type { Execution } from './pipeline';
import { persistedDocuments, safelistPlugin } from './persisted';
import { personalDataPlugin } from './personal-data';
import { keepQueryPlan, queryPlanPlugin, timeFetches } from './query-plan';
import { SubgraphSource, type FetchContext } from './subgraph-source';
import type { FileSupergraph } from './supergraph';

/** Apollo's per-execution context: what subgraph fetches need, and the record the execution fills. */
export interface GatewayContext extends BaseContext, FetchContext {
  execution: Execution;
}

/** Client-facing errors: limit codes restored, internal errors masked (logged with the request id by `executionPlugin`). */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const limit = limitCode(error, formatted.message);
  if (limit) return { ...formatted, message: limit.message ?? formatted.message, extensions: { ...formatted.extensions, code: limit.code } };
  if (formatted.message.startsWith('GraphQL introspection is not allowed')) {
    return { ...formatted, message: 'Introspection is off on this gateway (production or safelist mode); an operator can enable it with INTROSPECTION=true.' };
  }
  if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  return {
    ...formatted,
    message: 'Internal error; it has been logged.',
    extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR', serviceName: formatted.extensions?.serviceName },
  };
}

/**
 * Fills the execution record (operation names and kinds, error codes for metrics) and refuses a
 * request whose operation cannot be resolved (an unknown operationName, or several operations and
 * none named) with a 400, before the gateway's planner would fail on it with a 500.
 */
export function executionPlugin(metrics: Pick<GatewayMetrics, 'errors'>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const record = contextValue.execution;
      return {
        async didResolveOperation({ operationName, operation, document, request }) {
          if (!operation) {
            const named = document.definitions.flatMap((d) => (d.kind === 'OperationDefinition' && d.name ? [d.name.value] : []));
            const message = request.operationName
              ? `Unknown operation named "${request.operationName}"; this document defines ${named.length ? named.map((n) => `"${n}"`).join(', ') : 'no named operation'}.`
              : `This document defines several operations (${named.map((n) => `"${n}"`).join(', ')}); say which to run with operationName.`;
            throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
          }
          record.operations.push(operationName ?? 'anonymous');
          record.kinds.push(operation.operation);
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = limitCode(error, error.message)?.code ?? String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
            // Logged here with the request id: the client only sees the masked message (formatError).
            if (code === 'INTERNAL_SERVER_ERROR')
              log.error('gateway error', { requestId: contextValue.requestId, traceId: contextValue.trace.traceId, error: error.message, path: error.path });
            metrics.errors.inc({ code });
            record.errors += 1;
            const service = error.extensions?.serviceName;
            if (typeof service === 'string') record.subgraphErrors.add(service);
          }
        },
      };
    },
  };
}

/** An error of a later @defer part: masked like the first part's (formatError), and counted in the execution record and metrics. */
function deferredError(
  error: GraphQLError,
  { execution, requestId, trace }: Pick<GatewayContext, 'execution' | 'requestId' | 'trace'>,
  metrics: Pick<GatewayMetrics, 'errors'>,
): GraphQLFormattedError {
  const code = String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  if (code === 'INTERNAL_SERVER_ERROR')
    log.error('gateway error in a deferred part', { requestId, traceId: trace.traceId, error: error.message, path: error.path });
  metrics.errors.inc({ code });
  execution.errors += 1;
  const service = error.extensions?.serviceName;
  if (typeof service === 'string') execution.subgraphErrors.add(service);
  return formatError(error.toJSON(), error);
}

/**
 * The input rules of the custom scalars the gateway knows (the kit's, which every subgraph uses),
 * installed on the schema it validates and coerces variables with: a float for Rupiah is refused
 * at the gateway with a 400, like any other input error, before any subgraph is called. The
 * variables still travel to the subgraphs as the client sent them.
 */
export function checkScalarInputs(schema: GraphQLSchema): string[] {
  const unchecked: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isScalarType(type) || isSpecifiedScalarType(type)) continue;
    const known = INPUT_SCALARS.find((s) => s.name === type.name);
    if (!known) {
      unchecked.push(type.name);
      continue;
    }
    type.parseValue = known.parseValue.bind(known);
    type.parseLiteral = known.parseLiteral.bind(known);
  }
  return unchecked;
}

/** Apollo Server over the federated gateway; started, not listening (the gateway's own HTTP server routes to it). */
/**
 * The stages around each subgraph fetch, outermost first: the caller and trace forwarded, the
 * access recorded (for the response cache), personal fields declared, the fetch timed for a caller
 * who asked for the query plan, then the entity cache (which
 * narrows an `_entities` fetch to its misses), then merging with an identical fetch in flight, then
 * batching with other requests' `_entities` fetches of the same selection.
 */
export function fetchStages(config: Pick<GatewayConfig, 'mergeFetches' | 'batchEntities'>, metrics: GatewayMetrics, entities?: EntityCache): FetchStage[] {
  const stages: FetchStage[] = [forwardCaller, recordAccess, declarePersonal, timeFetches];
  if (entities?.enabled) stages.push(entityCacheStage(entities));
  if (config.mergeFetches) {
    stages.push(
      mergeInFlight({
        executed: (subgraph) => metrics.subgraphMerge.inc({ subgraph, outcome: 'executed' }),
        merged: (subgraph) => metrics.subgraphMerge.inc({ subgraph, outcome: 'merged' }),
      }),
    );
  }
  if (config.batchEntities) stages.push(batchEntities({ sent: (subgraph, members) => metrics.entityBatch.observe(members, { subgraph }) }));
  return stages;
}

export async function startApollo(
  config: GatewayConfig,
  supergraph: FileSupergraph,
  registered: RegisteredOperation[],
  metrics: GatewayMetrics,
  entities?: EntityCache,
  budget?: ExecutionBudget,
): Promise<ApolloServer<GatewayContext>> {
  const { limits } = config;
  const stages = fetchStages(config, metrics, entities);
  const sources = new Map<string, SubgraphSource>();
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.hook,
    experimental_didResolveQueryPlan: keepQueryPlan,
    // Its spans (request, plan, execute, fetch) are recorded only when tracing registered a provider (kit/tracing.ts).
    telemetry: { includeDocument: true },
    buildService: ({ name, url }) => {
      const source = new SubgraphSource(name, config.subgraphUrls[name] ?? url!, config.subgraphTimeoutMs, metrics, stages);
      sources.set(name, source);
      return source;
    },
  });
  let publicContract: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    publicContract = publicContractOf(apiSchema, coreSupergraphSdl);
    const unchecked = checkScalarInputs(apiSchema);
    if (unchecked.length)
      log.warn('custom scalars without an input rule at the gateway: their format is checked by the subgraphs only', { scalars: unchecked });
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway: new DeferringGateway(gateway, { sources, format: (errors, context) => errors.map((error) => deferredError(error, context, metrics)) }),
    csrfPrevention: true,
    persistedQueries: persistedDocuments(registered, config),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: !config.production,
    allowBatchedHttpRequests: limits.maxBatchSize > 1,
    stopOnTerminationSignals: false, // index.ts drains first, then stops Apollo
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)],
    formatError,
    plugins: [
      safelistPlugin(registered, config), // first: an unregistered operation gets this refusal, not the cost limit's
      costLimitPlugin(limits, () => supergraph.current()?.costs ?? new Map()) as ApolloServerPlugin<GatewayContext>,
      executionPlugin(metrics),
      ...(budget ? [executionBudgetPlugin(budget)] : []),
      deferPlugin() as ApolloServerPlugin<GatewayContext>,
      personalDataPlugin(() => supergraph.current()?.personal ?? new Set()),
      publicIntrospectionPlugin(() => publicContract),
      queryPlanPlugin(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
    ],
  });
  await apollo.start();
  return apollo;
}
