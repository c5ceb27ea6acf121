import type { ApolloServerPlugin, BaseContext, PersistedQueryOptions } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GatewayConfig } from './config';
import type { RegisteredOperation } from './operations';

/**
 * Registered operations as persisted operations, over Apollo's own APQ protocol: a client sends
 * `extensions.persistedQuery.sha256Hash` (an `id` from /operations.json) and no `query`, and Apollo
 * finds the document in `persistedQueries.cache`, which holds every registered operation. An unknown
 * hash gets Apollo's PERSISTED_QUERY_NOT_FOUND; in normal mode the client may then register its own
 * document (standard APQ). Safelist mode adds a plugin that refuses every other document, by hash
 * or in full, and lets nothing new into the cache.
 */

export const NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

/** Documents clients register with APQ in normal mode (cleared wholesale beyond): registered ones never compete with them. */
const MAX_CLIENT_DOCUMENTS = 1_000;

/** Apollo wraps this cache in a PrefixingKeyValueCache: keys arrive as `apq:<sha256>` (APQ_CACHE_PREFIX in its requestPipeline). */
const hashOf = (key: string) => key.replace(/^apq:/, '');

type Mode = Pick<GatewayConfig, 'persistedOperationsOnly' | 'introspection'>;

/** Apollo Server's `persistedQueries` option: the registered documents by id, plus clients' APQ documents unless safelist mode. */
export function persistedDocuments(registered: RegisteredOperation[], { persistedOperationsOnly: safelist }: Mode): PersistedQueryOptions {
  const documents = new Map(registered.map((op) => [op.id, op.document]));
  const clients = new LRUCache<string, string>({ max: MAX_CLIENT_DOCUMENTS });
  const cache: NonNullable<PersistedQueryOptions['cache']> = {
    async get(key) {
      return documents.get(hashOf(key)) ?? clients.get(hashOf(key));
    },
    async set(key, value, options) {
      // Safelist mode: APQ registration must not add to the list.
      if (safelist || documents.has(hashOf(key))) return;
      clients.set(hashOf(key), value, options?.ttl ? { ttl: options.ttl * 1000 } : undefined);
    },
    async delete(key) {
      clients.delete(hashOf(key));
    },
  };
  return { cache };
}

/** `{ __schema }`, `{ __type(...) }`, `{ __typename }`: GraphiQL's own questions about the schema. */
const isIntrospection = (operation: OperationDefinitionNode) =>
  operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));

/**
 * Safelist mode (a no-op otherwise; goes first in `plugins`): an operation runs only if its document is
 * a registered one (Apollo's `queryHash` is its sha256), or is introspection while INTROSPECTION is on.
 */
export function safelistPlugin<C extends BaseContext>(
  registered: RegisteredOperation[],
  { persistedOperationsOnly, introspection }: Mode,
): ApolloServerPlugin<C> {
  if (!persistedOperationsOnly) return {};
  const ids = new Set(registered.map((op) => op.id));
  const message =
    'This gateway runs registered operations only (PERSISTED_OPERATIONS_ONLY=true). Send one by its id, ' +
    '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"<id>"}}}, or send its exact document; GET /operations.json ' +
    'lists each id and document. To run a new operation, register it in schema/operations/ and redeploy the gateway.';
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ queryHash, operation }) {
          if (ids.has(queryHash) || (introspection && operation && isIntrospection(operation))) return;
          throw new GraphQLError(message, { extensions: { code: NOT_IN_LIST, http: { status: 400 } } });
        },
      };
    },
  };
}
