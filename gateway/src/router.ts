import type http from 'node:http';
import { sendJson } from '@kopdes/kit';
import { applyCors } from './cors';
import { serveUi } from './static';

export function sendText(res: http.ServerResponse, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;

/** The gateway's HTTP listener: CORS first, then a route by path, else GraphiQL and the dashboard's files, else 404. */
export function router(routes: Record<string, Route>, corsOrigins: readonly string[]): http.RequestListener {
  const allowed = new Set(corsOrigins);
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if ((allowed.size > 0 || req.method === 'OPTIONS') && applyCors(req, res, allowed)) return;
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (route) return route(req, res, url);
    if (serveUi(req, res)) return;
    sendJson(res, 404, { error: `No route ${url.pathname}. GraphQL: POST /graphql; GraphiQL: GET /; probes: /health, /ready, /metrics.` });
  };
}
