import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './apollo';

/** Bounds on waiting for room: how many operations may wait, and for how long each. */
export interface BudgetQueueBounds {
  maxWaiting: number;
  maxWaitMs: number;
}

/**
 * Apollo Server reads `extensions.http.headers` as a Map (its HeaderMap); graphql-yoga, installed for
 * the benchmark's Hive gateway, declares that field a plain record for every graphql user.
 */
const retryAfter = (seconds: number) => new HeaderMap([['retry-after', String(seconds)]]) as unknown as Record<string, string>;

/** An operation refused because the budget's queue was full or it waited too long: 503 with Retry-After. */
export class BudgetRefusal extends GraphQLError {
  constructor(reason: string, retryAfterSeconds: number) {
    super(
      `The gateway is busy with costly operations (${reason}); retry in ${retryAfterSeconds} s, or ask for fewer items (a smaller \`first\`) so the operation costs less than EXECUTION_COST_MIN and never waits.`,
      { extensions: { code: 'OVERLOADED', http: { status: 503, headers: retryAfter(retryAfterSeconds) } } },
    );
  }
}

/**
 * A weighted semaphore over the estimated cost of the operations executing at once. A gateway's
 * memory while it executes grows with the entities in flight (subgraph answers, representations,
 * the merged result): twenty regency exports of 500 cooperatives at once took the gateway past
 * 390 MB. Operations costing at least `minCost` (cost.ts: fields resolved, list sizes multiplied)
 * take their cost from `budget` while they execute, waiting in arrival order when it is spent;
 * cheaper ones (profiles, dashboards) never wait. One costlier than the whole budget takes all of
 * it, so it runs alone. On two cores the waiting ones lose little: they would share the CPU anyway.
 * The queue is bounded (`maxWaiting` operations, each for `maxWaitMs`): past either, an operation is
 * refused with 503 and Retry-After rather than held (with its request) for as long as the queue grows.
 */
export class ExecutionBudget {
  private used = 0;
  private readonly queue: { cost: number; start: () => void }[] = [];
  readonly stats = { admitted: 0, waited: 0, refused: 0 };

  constructor(
    readonly budget: number,
    readonly minCost: number,
    readonly bounds: BudgetQueueBounds = { maxWaiting: 200, maxWaitMs: 30_000 },
  ) {}

  get enabled(): boolean {
    return this.budget > 0;
  }

  /** Resolves once `cost` fits; the returned function gives it back (once, however often called). */
  async acquire(cost: number): Promise<() => void> {
    if (!this.enabled || cost < this.minCost) return () => undefined;
    const share = Math.min(cost, this.budget);
    if (this.queue.length > 0 || this.used + share > this.budget) {
      await this.wait(share);
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

  /** Waits in the queue until admitted (`used` then holds `share`), or throws a BudgetRefusal. */
  private async wait(share: number): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(this.bounds.maxWaitMs / 1000));
    if (this.queue.length >= this.bounds.maxWaiting) {
      this.stats.refused += 1;
      throw new BudgetRefusal(`${this.queue.length} operations are already waiting, EXECUTION_QUEUE_MAX`, retryAfter);
    }
    this.stats.waited += 1;
    let timer: NodeJS.Timeout | undefined;
    const entry = { cost: share, start: () => undefined as void };
    try {
      await new Promise<void>((start, refuse) => {
        entry.start = start;
        this.queue.push(entry);
        timer = setTimeout(() => {
          const at = this.queue.indexOf(entry);
          if (at < 0) return; // admitted meanwhile: its start has run, and the finally below clears this timer
          this.queue.splice(at, 1);
          this.stats.refused += 1;
          refuse(new BudgetRefusal(`it could not start within ${this.bounds.maxWaitMs} ms, EXECUTION_QUEUE_WAIT_MS`, retryAfter));
          // The head of the queue may fit now that a larger one ahead of it left.
          this.admitWaiting();
        }, this.bounds.maxWaitMs);
      });
    } finally {
      clearTimeout(timer);
    }
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
 * Holds each costly operation until the budget has room, once the cost limit has estimated it
 * (`execution.cost`), and gives the room back when execution ends. It waits in `didResolveOperation`,
 * the last hook where Apollo answers a thrown error as it is (a refusal is a 503 with Retry-After; an
 * error thrown later becomes a bare 500). The cost limit's hook, registered before this plugin and
 * synchronous, has set the cost by then.
 */
export function executionBudgetPlugin(budget: ExecutionBudget): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      let release: (() => void) | undefined;
      return {
        async didResolveOperation() {
          release = await budget.acquire(contextValue.execution.cost ?? 0);
        },
        async executionDidStart() {
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
