import { HttpError } from '@kopdes/kit';
import type { RateLimitConfig } from '../config';
import type { GatewayMetrics } from '../metrics';
import type { Outcome, Parsed, Stage } from '../pipeline';
import type { RateLimiter } from '../rate-limit';

const withHeaders = (outcome: Outcome, headers: Record<string, string>): Outcome => ({
  ...outcome,
  answer: { ...outcome.answer, headers: { ...outcome.answer.headers, ...headers } },
});

/**
 * `budget`: takes the request's operations from its client's rate budget (the token's subject, or
 * the address for the public) and says what is left in RateLimit headers; 429 once it is spent.
 * No limiter (RATE_LIMIT_MAX=0): every request passes.
 */
export function budget(
  limiter: RateLimiter | undefined,
  config: Pick<RateLimitConfig, 'windowMs'>,
  metrics: Pick<GatewayMetrics, 'rateLimited'>,
): Stage<Parsed, Parsed> {
  return async (state, next) => {
    if (!limiter) return next(state);
    const client = state.caller.role === 'public' ? `ip:${state.clientAddress}` : `sub:${state.caller.subject}`;
    const decision = await limiter.take(client, state.operations);
    const headers = {
      'ratelimit-limit': String(decision.limit),
      'ratelimit-remaining': String(decision.remaining),
      'ratelimit-reset': String(decision.resetSeconds),
    };
    if (!decision.allowed) {
      metrics.rateLimited.inc();
      throw new HttpError(
        429,
        `Rate limit exceeded: at most ${decision.limit} operations per ${config.windowMs / 1000} s per client (RATE_LIMIT_MAX). Retry after ${decision.resetSeconds} s.`,
        { ...headers, 'retry-after': String(decision.resetSeconds) },
        'RATE_LIMITED',
      );
    }
    return withHeaders(await next(state), headers);
  };
}
