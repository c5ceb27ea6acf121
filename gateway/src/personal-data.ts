import type { ApolloServerPlugin } from '@apollo/server';
import { selectedPersonal } from '@kopdes/kit';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import type { GatewayContext } from './apollo';

/**
 * Finds the personal fields an operation selects, from the supergraph's `@tag(name: "personal")`
 * marks (the subgraphs' `@Personal()`), before any subgraph is called. The fetch stage
 * `declarePersonal` then tells the owning subgraphs what the whole request reads (one access-record
 * row per person and request, even across several fetches), and the answer is never cached or
 * shared: every personal read goes on record.
 */
export function personalDataPlugin(personal: () => ReadonlySet<string>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, schema }) {
          const marked = personal();
          if (marked.size === 0 || !operation) return;
          const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
          const selected = selectedPersonal(schema, operation, fragments, marked);
          if (selected.size === 0) return;
          contextValue.execution.personalFields = selected;
          contextValue.execution.uncacheable = true;
        },
      };
    },
  };
}
