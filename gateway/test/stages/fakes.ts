import { HeaderMap } from '@apollo/server';
import { HttpError, type Caller } from '@kopdes/kit';
import type { SubgraphFetch } from '../../src/fetch-stages';
import { newExecution, type Identified, type Incoming, type Outcome, type Parsed } from '../../src/pipeline';
import type { FetchContext } from '../../src/subgraph-source';

/** Requests and answers as the stages see them, made up in memory: no socket, no Apollo. */
export interface FakeRequest {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

export function incoming(path: string, request: FakeRequest = {}): Incoming {
  return {
    requestId: 'test-request',
    trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', flags: '01' },
    method: request.method ?? 'GET',
    url: new URL(path, 'http://gateway'),
    headers: new HeaderMap(Object.entries(request.headers ?? {})),
    clientAddress: '192.0.2.7',
    readBody: async (limit) => {
      const body = request.body ?? '';
      if (Buffer.byteLength(body) > limit)
        throw new HttpError(413, `Request body is over the limit of ${limit} bytes (MAX_BODY_BYTES).`, { connection: 'close' }, 'PAYLOAD_TOO_LARGE');
      return body;
    },
  };
}

export const PUBLIC: Caller = { subject: 'anonymous', role: 'public' };

export function identified(path: string, request: FakeRequest = {}, caller: Caller = PUBLIC): Identified {
  return { ...incoming(path, request), caller, callerToken: async () => `signed:${caller.subject}` };
}

/** A parsed JSON POST of `body` (or a GET when `body` is undefined). */
export function parsed(body: unknown, options: { caller?: Caller; headers?: Record<string, string> } = {}): Parsed {
  const method = body === undefined ? 'GET' : 'POST';
  const state = identified('/graphql', { method, headers: { 'content-type': 'application/json', ...options.headers } }, options.caller);
  return { ...state, request: { method, headers: state.headers, search: '', body }, operations: Array.isArray(body) ? body.length : 1, declared: [] };
}

/** An executed answer, as `execute` returns it. */
export function executed(body: unknown, execution: Partial<NonNullable<Outcome['execution']>> = {}, status = 200): Outcome {
  const record = {
    operations: ['Q'],
    kinds: ['query'],
    errors: 0,
    subgraphErrors: new Set<string>(),
    subgraphsRead: new Set<string>(),
    subgraphsWritten: new Set<string>(),
    uncacheable: false,
    ...execution,
  };
  return {
    answer: { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) },
    operations: record.operations,
    errors: record.errors,
    subgraphErrors: [],
    execution: record,
  };
}

/** A subgraph fetch as the fetch stages get it: `caller`'s, a read unless `write`, selecting a personal field when `personal`. */
export function subgraphFetch(
  caller: Caller,
  options: { query: string; variables: Record<string, unknown>; write?: boolean; personal?: boolean; subgraph?: string; requestId?: string },
): SubgraphFetch {
  const execution = newExecution();
  if (options.personal) execution.personalFields = new Set(['Cooperative.board']);
  const context = {
    requestId: options.requestId ?? `req-${caller.subject}`,
    caller,
    callerToken: async () => `signed:${caller.subject}`,
    trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', flags: '01' },
    execution,
  } as FetchContext;
  return {
    subgraph: options.subgraph ?? 'financing',
    write: options.write ?? false,
    headers: new Headers(),
    options: {
      kind: 'incoming operation',
      request: { query: options.query, variables: options.variables },
      context,
      incomingRequestContext: {} as never,
    } as SubgraphFetch['options'],
  };
}
