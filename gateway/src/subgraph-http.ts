import http from 'node:http';
import https from 'node:https';

/** What RemoteGraphQLDataSource reads of a fetch Response, with the body already read. */
export interface SubgraphResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

// Keep-alive sockets to each subgraph, bounded so an overloaded subgraph is not flooded with connections.
// An idle socket is closed after 4 s, before a server or load balancer closes it (Node's default keep-alive
// is 5 s): a request is then never written to a socket the other side is closing (ECONNRESET).
const agentOptions = { keepAlive: true, maxSockets: 256, scheduling: 'lifo', timeout: 4_000 } as const;
const agents = {
  'http:': new http.Agent(agentOptions),
  'https:': new https.Agent(agentOptions),
};

function timeoutError(ms: number): Error {
  const error = new Error(`no answer within ${ms} ms`);
  error.name = 'TimeoutError';
  return error;
}

/**
 * One subgraph request over node:http with keep-alive, the whole exchange (headers and body)
 * bounded by `timeoutMs`. The gateway's fetcher: global fetch (undici, web streams) cost this
 * gateway a third of its own CPU per request; errors keep node's `code` (ECONNREFUSED,
 * ECONNRESET) and a timeout is a `TimeoutError`.
 */
export function subgraphRequest(url: string, init: SubgraphRequestInit, timeoutMs: number): Promise<SubgraphResponse> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  const agent = agents[target.protocol as keyof typeof agents];
  const body = init.body ?? '';
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const req = transport.request(target, { method: init.method ?? 'POST', agent, headers: { ...init.headers, 'content-length': Buffer.byteLength(body) } });
    const timer = setTimeout(() => req.destroy(timeoutError(timeoutMs)), timeoutMs);
    req.once('error', fail);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', fail);
      res.once('aborted', () => fail(Object.assign(new Error('the subgraph closed the connection mid-answer'), { code: 'ECONNRESET' })));
      res.once('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 300,
          status,
          statusText: res.statusMessage ?? '',
          url,
          headers: {
            get(name: string) {
              const value = res.headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
            },
          },
          text: async () => text,
          json: async () => JSON.parse(text) as unknown,
        });
      });
    });
    req.end(body);
  });
}
