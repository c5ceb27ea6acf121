import { HttpError } from '@kopdes/kit';
import type { Limits } from '../config';
import type { Parsed, Stage } from '../pipeline';

/**
 * `limits`: bounds on the request as sent, checked before it costs a budget, a cache lookup or
 * any parsing by Apollo: operations per batch (MAX_BATCH_SIZE). The document's own limits (tokens,
 * depth, aliases, cost) are checked by Apollo as it parses and validates (`execute`).
 */
export function limits({ maxBatchSize }: Pick<Limits, 'maxBatchSize'>): Stage<Parsed, Parsed> {
  return async (state, next) => {
    if (Array.isArray(state.request.body) && state.operations > maxBatchSize) {
      throw new HttpError(
        400,
        `Batch of ${state.operations} operations; at most ${maxBatchSize} per request (MAX_BATCH_SIZE). Split it into several requests.`,
        {},
        'BATCH_TOO_LARGE',
      );
    }
    return next(state);
  };
}
