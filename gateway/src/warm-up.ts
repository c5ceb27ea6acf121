import { HeaderMap } from '@apollo/server';
import { log, traceContext, type Caller } from '@kopdes/kit';
import { Kind, parse } from 'graphql';
import type { RegisteredOperation } from './operations';
import type { Outcome, Parsed } from './pipeline';

export interface WarmUpStatus {
  status: 'off' | 'running' | 'done';
  operations: number;
  cached: number;
  ms?: number;
}

export interface WarmUpDeps {
  registered: RegisteredOperation[];
  /** The stages after `budget` (cache, execute): warm-up is the gateway's own traffic. */
  run: (state: Parsed) => Promise<Outcome>;
  tokenFor: (caller: Caller) => Promise<string>;
  allUp: () => Promise<boolean>;
  stopping: () => boolean;
  /** Waits between readiness checks while the subgraphs boot. */
  pause?: () => Promise<void>;
}

const CALLER: Caller = { subject: 'gateway-warm-up', role: 'public' };

/** The state of a registered query as the dashboard sends it, as the public. */
export function warmUpState(op: RegisteredOperation, operationName: string | undefined, tokenFor: (caller: Caller) => Promise<string>): Parsed {
  const headers = new HeaderMap([
    ['content-type', 'application/json'],
    ['accept', 'application/json'],
  ]);
  const body = { query: op.document, operationName, ...(op.variables ? { variables: op.variables } : {}) };
  return {
    requestId: `warm-${op.name}`,
    trace: traceContext(undefined),
    method: 'POST',
    url: new URL('http://gateway/graphql'),
    headers,
    clientAddress: 'gateway',
    readBody: async () => JSON.stringify(body),
    caller: CALLER,
    callerToken: () => tokenFor(CALLER),
    request: { method: 'POST', headers, search: '', body },
    operations: 1,
    declared: operationName ? [operationName] : [],
  };
}

/**
 * Each registered query once, as the public role and the way the dashboard sends it: query plans
 * are built and public answers cached before the first visitor. Operations the public may not read,
 * or that need variables, only get their plan built.
 */
export function warmUp(deps: WarmUpDeps): { status: WarmUpStatus; start(): Promise<void> } {
  const status: WarmUpStatus = { status: 'off', operations: 0, cached: 0 };
  const pause = deps.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 500)));
  async function start(): Promise<void> {
    const started = performance.now();
    status.status = 'running';
    // npm start boots the subgraphs beside the gateway: wait (up to two minutes) until they all answer.
    for (const deadline = Date.now() + 120_000; Date.now() < deadline && !deps.stopping();) {
      if (await deps.allUp()) break;
      await pause();
    }
    for (const op of deps.registered) {
      if (deps.stopping()) return;
      const definition = parse(op.document).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
      if (definition?.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'query') continue;
      const outcome = await deps.run(warmUpState(op, definition.name?.value, deps.tokenFor));
      if (outcome.refused) log.warn('warm-up: operation failed', { operation: op.name, error: outcome.refused });
      else status.operations += 1;
      if (outcome.stored) status.cached += 1;
    }
    Object.assign(status, { status: 'done', ms: Math.round(performance.now() - started) });
    log.info('warm-up done', { operations: deps.registered.length, cached: status.cached, ms: status.ms });
  }
  return { status, start };
}
