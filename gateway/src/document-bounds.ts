import { DocumentGuard, type BoundedRequest, type DocumentBounds } from '@kopdes/kit';
import type { Parsed, Stage } from './pipeline';

/**
 * Document bounds (kit/src/document-bounds.ts) at the gateway: a body whose JSON nests too deep
 * or holds too many values is refused before JSON.parse (`read`, `export`); a document over any
 * bound (size, tokens, nesting, fields, fragments, directives, variables, operations, literals) or
 * variables too deep or too large are refused with HTTP 400 and a code naming the bound, before
 * Apollo parses or validates anything and before the response cache is looked up. Verdicts are
 * memoised per distinct document string.
 */
export interface DocumentBoundsStage {
  /** JSON.parse of a /graphql or /export body, refused first when it nests deeper or holds more than the bounds allow. */
  parseBody(text: string): unknown;
  /** Throws an HttpError (400, code) when any operation of the request is over a bound. */
  check(request: BoundedRequest): void;
  /** The stage: after the budget (a refused document still spends the caller's), before the cache. */
  stage: Stage<Parsed, Parsed>;
}

export function documentBounds(bounds: DocumentBounds): DocumentBoundsStage {
  const guard = new DocumentGuard(bounds);
  return {
    parseBody: (text) => guard.parseBody(text),
    check: (request) => guard.checkRequest(request),
    stage: async (state, next) => {
      guard.checkRequest(state.request);
      return next(state);
    },
  };
}
