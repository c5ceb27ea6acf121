import { randomFillSync } from 'node:crypto';
import type http from 'node:http';
import { HeaderMap } from '@apollo/server';

export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly code?: string,
  ) {
    super(message);
  }
}

/** How much of a refused body is read and dropped, and for how long, before the connection is cut instead. */
const DRAIN_BYTES = (limit: number) => Math.max(limit * 16, 16 * 1024 * 1024);
const DRAIN_MS = 10_000;

/**
 * Reads a request body up to `limit` bytes; a larger one is refused with 413 (announced by
 * Content-Length or found while reading). The refusal waits until the rest of the body has been
 * read and dropped (not buffered): answering and closing while the client is still uploading
 * resets the connection, and most clients then report EPIPE instead of the 413. A body past
 * DRAIN_BYTES, or still arriving after DRAIN_MS, is refused at once and its connection cut.
 */
export function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new HttpError(
        413,
        `Request body is over the limit of ${limit} bytes (MAX_BODY_BYTES); send a smaller request, e.g. move long lists into variables or split the batch.`,
        { connection: 'close' },
        'PAYLOAD_TOO_LARGE',
      );
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    let timer: NodeJS.Timeout | undefined;
    const refuse = () => {
      refused = true;
      chunks.length = 0;
      timer = setTimeout(() => reject(tooLarge()), DRAIN_MS);
      timer.unref();
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      if (declared > DRAIN_BYTES(limit)) {
        req.resume();
        reject(tooLarge());
        return;
      }
      refuse();
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused) {
        if (size > DRAIN_BYTES(limit)) reject(tooLarge());
        return;
      }
      if (size > limit) refuse();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      if (refused) reject(tooLarge());
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Node request headers as Apollo Server's HeaderMap. */
export function headerMap(req: http.IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Parses a JSON body, or a 400 that says so. */
export function parseJsonBody(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON.');
  }
}

/** A GraphQL-shaped error body for a failure outside GraphQL execution (auth, limits, routing). */
export function sendHttpError(res: http.ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  const code =
    error.code ??
    (error.status === 401 ? 'UNAUTHENTICATED' : error.status === 403 ? 'FORBIDDEN' : error.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
  sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code } }] }, { ...headers, ...error.headers });
}

/** The client's address: the socket peer, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientAddress(req: http.IncomingMessage, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

export interface Drain {
  /** Requests being served now. */
  inFlight(): number;
  closing(): boolean;
  /**
   * Stops accepting connections, lets in-flight requests finish (answering them with
   * `Connection: close`), then closes every connection. After `deadlineMs` the remaining
   * connections are cut. Resolves to the number of requests that were cut.
   */
  close(deadlineMs: number): Promise<number>;
}

/** Graceful shutdown for a Node HTTP server: call before any other `request` listener runs. */
export function drainable(server: http.Server): Drain {
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight += 1;
    if (closing) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight -= 1;
      if (!closing) return;
      // The socket that served this request is idle now: close it rather than keep it alive.
      setImmediate(() => server.closeIdleConnections());
      if (inFlight === 0) idle?.();
    });
  });
  return {
    inFlight: () => inFlight,
    closing: () => closing,
    async close(deadlineMs) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let cut = 0;
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          new Promise<boolean>((resolve) => {
            idle = () => resolve(true);
          }),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), deadlineMs);
          }),
        ]);
        clearTimeout(timer);
        if (!drained) cut = inFlight;
      }
      server.closeAllConnections();
      await closed;
      return cut;
    },
  };
}

/** W3C trace context (https://www.w3.org/TR/trace-context/): `00-<trace id>-<parent span id>-<flags>`. */
export interface TraceContext {
  traceId: string;
  /** The span of whoever sent this request. */
  parentSpanId?: string;
  /** This hop's own span. */
  spanId: string;
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/**
 * Trace and span ids come from a pool of random bytes refilled 4 KiB at a time: one call into the
 * system's random source per few hundred ids, not one per id (that was 3% of a subgraph request's CPU).
 */
const randomPool = Buffer.alloc(4096);
let randomUsed = randomPool.length;

function randomHex(bytes: number): string {
  if (randomUsed + bytes > randomPool.length) {
    randomFillSync(randomPool);
    randomUsed = 0;
  }
  const hex = randomPool.toString('hex', randomUsed, randomUsed + bytes);
  randomUsed += bytes;
  return /^0+$/.test(hex) ? randomHex(bytes) : hex;
}

export const newSpanId = (): string => randomHex(8);

/** Continues the caller's trace when its `traceparent` is valid, else starts a new one; either way with a new span id for this hop. */
export function traceContext(header: string | string[] | undefined): TraceContext {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  const match = value ? TRACEPARENT.exec(value) : null;
  if (match && match[1] !== 'ff' && !/^0+$/.test(match[2]!) && !/^0+$/.test(match[3]!) && !(match[1] === '00' && value!.length !== 55)) {
    return { traceId: match[2]!, parentSpanId: match[3]!, spanId: newSpanId(), flags: match[4]! };
  }
  return { traceId: randomHex(16), spanId: newSpanId(), flags: '01' };
}

export function formatTraceparent(trace: { traceId: string; flags: string }, spanId: string): string {
  return `00-${trace.traceId}-${spanId}-${trace.flags}`;
}
