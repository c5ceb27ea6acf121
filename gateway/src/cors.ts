import type http from 'node:http';
import { sendJson } from '@kopdes/kit';

const ALLOW_HEADERS = 'authorization, content-type, x-request-id, traceparent, tracestate, apollo-require-preflight, x-apollo-operation-name, x-query-plan';
const EXPOSE_HEADERS = 'x-request-id, traceparent, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset';

/**
 * CORS from an allow-list (CORS_ORIGINS). Sets the headers for an allowed origin and answers
 * preflights; returns true when the request has been answered.
 */
export function applyCors(req: http.IncomingMessage, res: http.ServerResponse, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  const ok = origin !== undefined && (allowed.has(origin) || allowed.has('*'));
  if (ok) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
  }
  if (req.method !== 'OPTIONS') return false;
  if (origin !== undefined && !ok) {
    sendJson(res, 403, {
      errors: [{ message: `Origin ${origin} is not allowed to call this gateway; add it to CORS_ORIGINS.`, extensions: { code: 'CORS_ORIGIN_NOT_ALLOWED' } }],
    });
    return true;
  }
  res.writeHead(204, {
    allow: 'GET, POST, OPTIONS',
    ...(ok ? { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': ALLOW_HEADERS, 'access-control-max-age': '600' } : {}),
    'content-length': '0',
  });
  res.end();
  return true;
}
