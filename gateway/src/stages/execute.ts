import type { ApolloServer } from '@apollo/server';
import { HttpError } from '@kopdes/kit';
import type { GatewayContext } from '../apollo';
import { newExecution, type Outcome, type Parsed } from '../pipeline';

/** What `execute` needs of Apollo Server (a fake in unit tests). */
export type GraphQLExecutor = Pick<ApolloServer<GatewayContext>, 'executeHTTPGraphQLRequest'>;

/**
 * `execute`, the last stage: Apollo parses, validates (depth, aliases, cost, safelist), plans and
 * runs the operation over the subgraphs. Its answer comes back with the execution's record: names
 * and kinds of the operations, errors, subgraphs read and written.
 */
export function execute(apollo: GraphQLExecutor): (state: Parsed) => Promise<Outcome> {
  return async (state) => {
    const execution = newExecution();
    const context: GatewayContext = { requestId: state.requestId, trace: state.trace, tracestate: state.tracestate, caller: state.caller, callerToken: state.callerToken, execution };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: state.request, context: async () => context });
    // @defer would arrive here as chunks: a later stage can stream them once the executor supports it.
    if (response.body.kind !== 'complete') throw new HttpError(500, 'Incremental delivery is not supported.');
    const headers: Record<string, string> = {};
    for (const [key, value] of response.headers) headers[key] = value;
    // Personal data is never kept by a browser or a proxy either.
    if (execution.personalFields?.size || execution.uncacheable) headers['cache-control'] = 'no-store';
    return {
      answer: { status: response.status ?? 200, headers, body: response.body.string },
      operations: execution.operations, errors: execution.errors, subgraphErrors: [...execution.subgraphErrors], execution,
    };
  };
}
