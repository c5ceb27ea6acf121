import type { ApolloGateway, GraphQLDataSource } from '@apollo/gateway';
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { getVariableValues, Kind, type FragmentDefinitionNode, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Execution } from '../pipeline';
import type { FetchContext } from '../subgraph-source';
import { clientLabels, hasDefer, withDefer } from './directive';
import { runPlan, type PlanRun } from './execute-plan';
import { deferredParts } from './parts';
import { DeferPlanner } from './planner';
import { parseSelection, shape, type ShapeContext } from './shape';

type Context = FetchContext & { execution: Execution };

export interface DeferDeps {
  /** The gateway's data sources by subgraph name (with their fetch stages). */
  readonly sources: ReadonlyMap<string, GraphQLDataSource<FetchContext>>;
  /** Client-facing form of errors of later parts, counted in the execution record like the first part's. */
  readonly format: (errors: readonly GraphQLError[], context: FetchContext & { execution: Execution }) => GraphQLFormattedError[];
}

/**
 * `@apollo/gateway` with `@defer`: the schema Apollo Server validates with knows the directive, and
 * an operation that defers something runs here instead of in gateway-js's executor (which stops at
 * the planner's Defer nodes). The first part is the plan's primary part, run and answered through
 * Apollo Server as any result (its plugins, error masking, cost and safelist apply); the later parts
 * go on `execution.deferred`, for `execute` to stream. Every other operation runs in gateway-js.
 */
export class DeferringGateway implements GatewayInterface {
  private readonly planner = new DeferPlanner();

  constructor(
    private readonly inner: ApolloGateway,
    private readonly deps: DeferDeps,
  ) {}

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): () => void {
    return this.inner.onSchemaLoadOrUpdate((schemaContext) => {
      this.planner.update(schemaContext.coreSupergraphSdl);
      callback({ ...schemaContext, apiSchema: withDefer(schemaContext.apiSchema) });
    });
  }

  async load(options: Parameters<ApolloGateway['load']>[0]): Promise<{ executor: GatewayExecutor }> {
    const { executor } = await this.inner.load(options);
    const deferring: GatewayExecutor = (request) =>
      hasDefer(request.document, request.request.variables, request.operation)
        ? this.execute(request as GatewayGraphQLRequestContext<Context>)
        : executor(request);
    return { executor: deferring };
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  private async execute(request: GatewayGraphQLRequestContext<Context>) {
    // As gateway-js does before planning: variables are checked (and refused) here, not by the subgraphs.
    const { errors: invalid } = getVariableValues(request.schema, request.operation.variableDefinitions ?? [], request.request.variables ?? {});
    if (invalid?.length) return { errors: invalid };
    const { plan, operation } = this.planner.plan(request.document, request.operationName, request.queryHash);
    const run: PlanRun = { sources: this.deps.sources, request, schema: request.schema, operation, data: Object.create(null) };
    const primary = await runPlan(run, plan.node?.kind === 'Subscription' ? undefined : plan.node);
    const fragments = new Map(
      request.document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as [string, FragmentDefinitionNode]] : [])),
    );
    const shaping: ShapeContext = { schema: request.schema, variables: request.request.variables, fragments };
    // The planner prints the primary part's selection; without a Defer node nothing was deferred after all.
    const selection =
      plan.node?.kind === 'Defer' && plan.node.primary.subselection ? parseSelection(plan.node.primary.subselection) : request.operation.selectionSet;
    const data = shape(shaping, selection, run.data);
    const execution = request.context.execution;
    if (primary.deferred.length) {
      execution.deferred = deferredParts(
        { run, shape: shaping, labels: clientLabels(request.document), format: (errors) => this.deps.format(errors, request.context) },
        primary.deferred,
      );
    }
    return { data: data as Record<string, unknown>, ...(primary.errors.length ? { errors: primary.errors } : {}) };
  }
}
