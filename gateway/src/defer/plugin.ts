import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { acceptsMultipart, hasDefer } from './directive';

const ACCEPT = 'multipart/mixed; deferSpec=20220824, application/json';

/**
 * Refuses, after validation (so limits and the safelist answer first), an operation that defers
 * fragments when the client cannot read the parts: 406 as Apollo Router does, saying which Accept
 * header to send. Batches are refused too: a batch answer is one JSON array.
 */
export function deferPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ requestIsBatched }) {
      return {
        async didResolveOperation({ document, request, operation }) {
          if (!hasDefer(document, request.variables, operation)) return;
          if (requestIsBatched) {
            throw new GraphQLError('@defer is not available in a batched request: send the operation on its own.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          if (!acceptsMultipart(request.http?.headers.get('accept') ?? undefined)) {
            throw new GraphQLError(
              `This operation uses @defer, whose answer comes in several parts; the client must accept them: send the header "Accept: ${ACCEPT}" (Apollo Client and urql do), or remove @defer.`,
              { extensions: { code: 'NOT_ACCEPTABLE', http: { status: 406 } } },
            );
          }
        },
      };
    },
  };
}
