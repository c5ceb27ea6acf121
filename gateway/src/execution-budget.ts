import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './apollo';

/**
 * A weighted semaphore over the estimated cost of the operations executing at once. A gateway's
 * memory while it executes grows with the entities in flight (subgraph answers, representations,
 * the merged result): twenty regency exports of 500 cooperatives at once took the gateway past
 * 390 MB. Operations costing at least `minCost` (cost.ts: fields resolved, list sizes multiplied)
 * take their cost from `budget` while they execute, waiting in arrival order when it is spent;
 * cheaper ones (profiles, dashboards) never wait. One costlier than the whole budget takes all of
 * it, so it runs alone. On two cores the waiting ones lose little: they would share the CPU anyway.
 */
export class ExecutionBudget {
  private used = 0;
  private readonly queue: { cost: number; start: () => void }[] = [];
  readonly stats = { admitted: 0, waited: 0 };

  constructor(
    readonly budget: number,
    readonly minCost: number,
  ) {}

  get enabled(): boolean {
    return this.budget > 0;
  }

  /** Resolves once `cost` fits; the returned function gives it back (once, however often called). */
  async acquire(cost: number): Promise<() => void> {
    if (!this.enabled || cost < this.minCost) return () => undefined;
    const share = Math.min(cost, this.budget);
    if (this.queue.length > 0 || this.used + share > this.budget) {
      this.stats.waited += 1;
      await new Promise<void>((start) => this.queue.push({ cost: share, start }));
    } else {
      this.used += share;
    }
    this.stats.admitted += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= share;
      this.admitWaiting();
    };
  }

  /** In flight and waiting, for metrics. */
  load(): { used: number; waiting: number } {
    return { used: this.used, waiting: this.queue.length };
  }

  private admitWaiting(): void {
    // First come, first served: a cheap request does not overtake a costly one waiting for room.
    while (this.queue.length > 0 && this.used + this.queue[0]!.cost <= this.budget) {
      const next = this.queue.shift()!;
      this.used += next.cost;
      next.start();
    }
  }
}

/**
 * Holds each costly operation at the start of execution until the budget has room (after the cost
 * limit has estimated it, `execution.cost`), and gives the room back when execution ends.
 */
export function executionBudgetPlugin(budget: ExecutionBudget): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      let release: (() => void) | undefined;
      return {
        async executionDidStart() {
          release = await budget.acquire(contextValue.execution.cost ?? 0);
          return {
            async executionDidEnd() {
              release?.();
            },
          };
        },
        async willSendResponse() {
          release?.();
        },
      };
    },
  };
}
