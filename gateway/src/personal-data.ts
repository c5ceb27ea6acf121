import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { selectedPersonal } from '@kopdes/kit';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import type { FetchContext } from './subgraph-source';

/**
 * Finds the personal fields an operation selects, from the supergraph's `@tag(name: "personal")`
 * marks (the subgraphs' `@Personal()`), before any subgraph is called. The gateway then tells the
 * owning subgraphs what the whole request reads (one access-record row per person and request, even
 * across several fetches) and never caches or shares the answer: every personal read goes on record.
 */
export function personalDataPlugin(personal: () => ReadonlySet<string>): ApolloServerPlugin<BaseContext & FetchContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, schema }) {
          const marked = personal();
          if (marked.size === 0 || !operation) return;
          const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
          const selected = selectedPersonal(schema, operation, fragments, marked);
          if (selected.size === 0) return;
          contextValue.personalFields = selected;
          if (contextValue.personalData) contextValue.personalData.selected = true;
        },
      };
    },
  };
}
