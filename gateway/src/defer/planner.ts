import { operationFromDocument, Supergraph, type Operation } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import type { DocumentNode } from 'graphql';

const MAX_PLANS = 500;

/**
 * Plans operations that defer fragments, with `@apollo/query-planner` told to keep them apart
 * (`incrementalDelivery.enableDefer`): the plan's Defer nodes say what the first part needs and
 * which sub-plans deliver each deferred fragment. Built lazily from the supergraph the gateway
 * serves (only a deferring request pays for a second planner), and rebuilt when it changes.
 */
export class DeferPlanner {
  private sdl?: string;
  private built?: { planner: QueryPlanner; supergraph: Supergraph; plans: Map<string, { plan: QueryPlan; operation: Operation }> };

  /** The supergraph the gateway now serves (from its schema load or update). */
  update(sdl: string): void {
    if (sdl === this.sdl) return;
    this.sdl = sdl;
    this.built = undefined;
  }

  plan(document: DocumentNode, operationName: string | null | undefined, queryHash: string): { plan: QueryPlan; operation: Operation } {
    if (!this.sdl) throw new Error('No supergraph loaded yet: the gateway has not loaded its schema.');
    this.built ??= (() => {
      const supergraph = Supergraph.build(this.sdl);
      return { supergraph, planner: new QueryPlanner(supergraph, { incrementalDelivery: { enableDefer: true } }), plans: new Map() };
    })();
    const { plans, planner, supergraph } = this.built;
    const key = `${queryHash}\u0000${operationName ?? ''}`;
    const known = plans.get(key);
    if (known) return known;
    const operation = operationFromDocument(supergraph.apiSchema(), document, { operationName: operationName ?? undefined });
    const planned = { plan: planner.buildQueryPlan(operation), operation };
    if (plans.size >= MAX_PLANS) plans.delete(plans.keys().next().value!);
    plans.set(key, planned);
    return planned;
  }
}
