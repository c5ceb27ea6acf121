import type { ApolloServer } from '@apollo/server';
import { HttpError } from '@kopdes/kit';
import type { GatewayContext } from '../apollo';
import { multipart, MULTIPART_TYPE } from '../defer/multipart';
import { newExecution, type Outcome, type Parsed } from '../pipeline';

/** What `execute` needs of Apollo Server (a fake in unit tests). */
export type GraphQLExecutor = Pick<ApolloServer<GatewayContext>, 'executeHTTPGraphQLRequest'>;

/**
 * `execute`, the last stage: Apollo parses, validates (depth, aliases, cost, safelist), plans and
 * runs the operation over the subgraphs. Its answer comes back with the execution's record: names
 * and kinds of the operations, errors, subgraphs read and written. An operation that defers
 * fragments answers in parts (defer/): Apollo's answer is the first, the later ones stream after it.
 */
export function execute(apollo: GraphQLExecutor): (state: Parsed) => Promise<Outcome> {
  return async (state) => {
    const execution = newExecution();
    const context: GatewayContext = {
      requestId: state.requestId,
      trace: state.trace,
      tracestate: state.tracestate,
      caller: state.caller,
      callerToken: state.callerToken,
      execution,
    };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: state.request, context: async () => context });
    // Apollo streams only graphql-js 17's own incremental results, which the gateway does not produce.
    if (response.body.kind !== 'complete') throw new HttpError(500, 'Apollo Server answered in chunks, which this gateway does not expect.');
    const headers: Record<string, string> = {};
    for (const [key, value] of response.headers) headers[key] = value;
    // Personal data is never kept by a browser or a proxy either.
    if (execution.personalFields?.size || execution.uncacheable) headers['cache-control'] = 'no-store';
    const status = response.status ?? 200;
    const parts = execution.deferred && status === 200;
    if (parts) {
      headers['content-type'] = MULTIPART_TYPE;
      headers['cache-control'] = 'no-store'; // a browser cannot reuse a multipart answer; proxies must not hold it back either
    }
    return {
      answer: { status, headers, body: parts ? multipart(response.body.string, execution.deferred!) : response.body.string },
      operations: execution.operations,
      errors: execution.errors,
      subgraphErrors: [...execution.subgraphErrors],
      execution,
    };
  };
}
