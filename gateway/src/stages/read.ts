import type { HeaderMap } from '@apollo/server';
import { HttpError, parseJsonBody } from '@kopdes/kit';
import type { Identified, Parsed, Stage } from '../pipeline';

/** Content types a browser sends without a preflight: what a cross-site form can post. */
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

const essence = (contentType: string | undefined) => contentType?.split(';')[0]!.trim().toLowerCase();

/**
 * Apollo Server's CSRF prevention, applied here so that every request, answered from the cache or
 * executed, passes it: a request a browser would send cross-site without a preflight (no content
 * type, or a form's or text/plain) needs one of PREFLIGHT_HEADERS.
 */
export function assertNotCsrf(headers: HeaderMap): void {
  const type = essence(headers.get('content-type'));
  if (type !== undefined && !SIMPLE_TYPES.has(type)) return;
  if (PREFLIGHT_HEADERS.some((name) => (headers.get(name) ?? '').length > 0)) return;
  throw new HttpError(
    400,
    `This operation has been blocked as a potential Cross-Site Request Forgery (CSRF). Please either specify a 'content-type' header (with a type that is not one of ${[...SIMPLE_TYPES].join(', ')}) or provide a non-empty value for one of the following headers: ${PREFLIGHT_HEADERS.join(', ')}\n`,
    {},
    'BAD_REQUEST',
  );
}

/** The request's shape: GET or POST; a POST body is JSON, sent as application/json. */
export function assertShape(method: string, headers: HeaderMap): void {
  if (method !== 'GET' && method !== 'POST') {
    throw new HttpError(
      405,
      'GraphQL takes GET or POST: POST /graphql with a JSON body {"query", "variables", "operationName"}.',
      { allow: 'GET, POST' },
      'METHOD_NOT_ALLOWED',
    );
  }
  assertNotCsrf(headers);
  if (method === 'POST' && essence(headers.get('content-type')) !== 'application/json') {
    throw new HttpError(
      415,
      `POST /graphql takes a JSON body sent as content-type: application/json; got ${headers.get('content-type') ?? 'no content type'}.`,
      {},
      'UNSUPPORTED_MEDIA_TYPE',
    );
  }
}

/** Operation names a body declares, for the request log when the request fails before Apollo names them. */
function declaredNames(body: unknown): string[] {
  return (Array.isArray(body) ? body : [body]).flatMap((op) => {
    const name = (op as { operationName?: unknown } | undefined)?.operationName;
    return typeof name === 'string' && name ? [name] : [];
  });
}

/**
 * `read` (/graphql): checks the request's shape and CSRF, reads the body up to MAX_BODY_BYTES and
 * parses it (with `parse`: the document bounds refuse JSON nested too deep before JSON.parse). Decides the GraphQL request, its number of operations (a batch is a JSON array) and
 * the operation names it declares.
 */
export function readGraphql(maxBodyBytes: number, parse: (text: string) => unknown = parseJsonBody): Stage<Identified, Parsed> {
  return async (state, next) => {
    assertShape(state.method, state.headers);
    const body = state.method === 'POST' ? parse(await state.readBody(maxBodyBytes)) : undefined;
    const declared = declaredNames(body);
    const outcome = await next({
      ...state,
      request: { method: state.method, headers: state.headers, search: state.url.search, body },
      operations: Array.isArray(body) ? body.length : 1,
      declared,
    });
    return { ...outcome, declared };
  };
}
