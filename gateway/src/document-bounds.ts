import { DocumentGuard, type BoundedRequest, type DocumentBounds } from '@kopdes/kit';

/**
 * Stage: document bounds, before anything parses, validates or looks up the response cache.
 * A request whose JSON nests too deep is refused before JSON.parse; a document over any bound
 * (size, tokens, nesting, fields, fragments, directives, variables, operations, literals) or
 * variables too deep or too large are refused with HTTP 400 and a code naming the bound
 * (`kit/src/document-bounds.ts`). Verdicts are memoised per distinct document string.
 */
export interface DocumentBoundsStage {
  /** JSON.parse of a /graphql or /export body, refused first when it nests deeper than the bounds allow. */
  parseBody(text: string): unknown;
  /** Throws an HttpError (400, code) when any operation of the request is over a bound. */
  check(request: BoundedRequest): void;
}

export function documentBoundsStage(bounds: DocumentBounds): DocumentBoundsStage {
  const guard = new DocumentGuard(bounds);
  return {
    parseBody: (text) => guard.parseBody(text),
    check: (request) => guard.checkRequest(request),
  };
}
