import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';

const BUILD_DIR = new URL('../public/build/', import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

type Asset = { body: Buffer; type: string; etag: string; cacheControl: string };

let assets: Map<string, Asset> | undefined;

function loadAssets(): Map<string, Asset> | undefined {
  let names: string[];
  try {
    names = readdirSync(BUILD_DIR);
  } catch {
    return undefined; // not cached, so running `npm run generate` fixes a live gateway without a restart
  }
  const loaded = new Map<string, Asset>();
  for (const name of names) {
    const type = CONTENT_TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(new URL(name, BUILD_DIR));
    loaded.set(name, {
      body,
      type,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      // The pages name the bundles, so they must be revalidated for a rebuild to reach browsers.
      cacheControl: name.endsWith('.html') ? 'no-cache' : 'public, max-age=3600',
    });
  }
  return loaded.has('index.html') ? loaded : undefined;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer | string): true {
  res.writeHead(status, { 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
  return true;
}

/** Pages by path: GraphiQL and the Task Force dashboard. Their bundles are served under `/ui/`. */
const PAGES: Record<string, string> = { '/': 'index.html', '/graphiql': 'index.html', '/dashboard': 'dashboard.html', '/dashboard/': 'dashboard.html' };

/** Serves GraphiQL at `/`, the dashboard at `/dashboard` and their bundles under `/ui/`; false for any other request. */
export function serveUi(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');

  let name: string;
  const page = PAGES[pathname];
  if (page) name = page;
  else if (pathname.startsWith('/ui/')) name = pathname.slice('/ui/'.length);
  else return false;

  assets ??= loadAssets();
  if (!assets) {
    return send(
      res,
      503,
      { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      'GraphiQL and the dashboard are not built. Run `npm run generate` in gateway/ and reload.\n',
    );
  }

  // Only names read from the build folder itself are served, so `..`, `%2e%2e` or `/` cannot leave it.
  const asset = assets.get(name);
  if (!asset) return send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found\n');

  const headers = { 'content-type': asset.type, 'cache-control': asset.cacheControl, etag: asset.etag };
  if (req.headers['if-none-match'] === asset.etag) return send(res, 304, headers);
  return send(res, 200, { ...headers, 'content-length': String(asset.body.length) }, req.method === 'HEAD' ? undefined : asset.body);
}
