import { LRUCache } from 'lru-cache';
import { BoundsRefusal, checkDocument, over, type DocumentBounds } from './document-bounds';
import { parseJsonBody } from './http';

/**
 * Document bounds at an HTTP edge (the gateway's /graphql and /export, every subgraph): the
 * body's JSON nesting before JSON.parse, each operation's document (its verdict memoised per
 * distinct document string, so a repeat costs one lookup) and its variables.
 */

/**
 * One pass over JSON text, before JSON.parse builds anything: whether it nests objects/arrays
 * deeper than `maxDepth`, and its commas outside strings (a value count is at least that, plus one).
 */
export function scanJson(text: string, maxDepth: number): { tooDeep: boolean; commas: number } {
  let depth = 0;
  let commas = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i);
    else if (c === 44) commas++;
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) return { tooDeep: true, commas };
    } else if (c === 125 || c === 93) depth--;
  }
  return { tooDeep: false, commas };
}

/** Index of the quote closing the JSON string that opens at `start`, found by indexOf (a long query string costs little). */
function stringEnd(text: string, start: number): number {
  for (let quote = text.indexOf('"', start + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return text.length; // unterminated: JSON.parse says so
}

const tooManyValues = (bounds: DocumentBounds) =>
  over(
    bounds,
    'maxVariableValues',
    'VARIABLES_TOO_LARGE',
    `Variables hold more than ${bounds.maxVariableValues.toLocaleString('en-US')} values`,
    'Send fewer items (page, or narrow by region) or split the request.',
  );

/** Depth and number of values of parsed variables, walked with an explicit stack (no recursion to overflow). */
export function checkVariables(variables: unknown, bounds: DocumentBounds): BoundsRefusal | undefined {
  if (variables === null || typeof variables !== 'object') return undefined;
  const stack: [unknown, number][] = [[variables, 1]];
  let values = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (++values > bounds.maxVariableValues) return tooManyValues(bounds);
    if (value === null || typeof value !== 'object') continue;
    if (depth > bounds.maxVariablesDepth) {
      return over(
        bounds,
        'maxVariablesDepth',
        'VARIABLES_TOO_DEEP',
        `Variables nest objects or lists more than ${bounds.maxVariablesDepth} deep`,
        'Flatten the input: no argument of this graph nests that deep.',
      );
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/** The parts of an HTTP GraphQL request the bounds read (Apollo's HTTPGraphQLRequest has them). */
export interface BoundedRequest {
  method: string;
  search: string;
  body: unknown;
}

export class DocumentGuard {
  /** Verdict per distinct document string. */
  private readonly verdicts: LRUCache<string, BoundsRefusal | { ok: true }>;

  constructor(readonly bounds: DocumentBounds) {
    this.verdicts = new LRUCache({
      max: bounds.cacheEntries,
      // Documents over the size bound are refused without being kept; the rest cost their length.
      maxSize: bounds.cacheEntries * 1024 + 8 * bounds.maxDocumentLength,
      sizeCalculation: (_verdict, query) => Math.max(1, query.length),
    });
  }

  /** The refusal for a document, remembered per distinct string; undefined when it is within bounds. */
  document(query: string): BoundsRefusal | undefined {
    if (!this.bounds.enabled) return undefined;
    const known = this.verdicts.get(query);
    if (known) return known instanceof BoundsRefusal ? known : undefined;
    const refusal = checkDocument(query, this.bounds);
    if (query.length <= this.bounds.maxDocumentLength) this.verdicts.set(query, refusal ?? { ok: true });
    return refusal;
  }

  /** JSON.parse of a request body, refused first when it nests deeper, or holds more values, than any request within bounds can. */
  parseBody(text: string): unknown {
    if (this.bounds.enabled) {
      // body (a batch: list, then object) > variables > their values
      const { tooDeep, commas } = scanJson(text, this.bounds.maxVariablesDepth + 2);
      if (tooDeep)
        throw over(
          this.bounds,
          'maxVariablesDepth',
          'VARIABLES_TOO_DEEP',
          `Request body nests JSON more than ${this.bounds.maxVariablesDepth + 2} deep`,
          'Flatten the variables: no argument of this graph nests that deep.',
        );
      // One operation's body: besides its variables, a handful of values (query, operationName, extensions).
      if (commas > this.bounds.maxVariableValues + 16 && text.trimStart().startsWith('{')) throw tooManyValues(this.bounds);
    }
    return parseJsonBody(text);
  }

  /** Throws the first refusal among the request's operations (one, or a batch; POST body or GET query string). */
  checkRequest(request: BoundedRequest): void {
    if (!this.bounds.enabled) return;
    const operations = request.method === 'GET' ? [this.fromSearch(request.search)] : Array.isArray(request.body) ? request.body : [request.body];
    for (const operation of operations) {
      if (!operation || typeof operation !== 'object') continue; // malformed: the GraphQL server says so
      const { query, variables } = operation as { query?: unknown; variables?: unknown };
      const refusal = (typeof query === 'string' ? this.document(query) : undefined) ?? checkVariables(variables, this.bounds);
      if (refusal) throw refusal;
    }
  }

  private fromSearch(search: string): { query?: string; variables?: unknown } {
    const params = new URLSearchParams(search);
    const variables = params.get('variables');
    let parsed: unknown;
    try {
      parsed = variables ? this.parseBody(variables) : undefined;
    } catch (error) {
      if (error instanceof BoundsRefusal) throw error;
      parsed = undefined; // not JSON: the GraphQL server says so
    }
    return { query: params.get('query') ?? undefined, variables: parsed };
  }
}
