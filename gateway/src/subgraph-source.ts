import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CALLER_HEADER, formatTraceparent, newSpanId, PERSONAL_DATA_HEADER, PERSONAL_FIELDS_HEADER, type Caller, type TraceContext } from '@kopdes/kit';
import type { GatewayMetrics } from './metrics';
import { subgraphRequest, type SubgraphRequestInit } from './subgraph-http';

/** What each subgraph fetch needs from the incoming request. */
export interface FetchContext {
  requestId: string;
  caller: Caller;
  /** The caller, signed once per request for the subgraphs. */
  callerToken: () => Promise<string>;
  trace: TraceContext;
  tracestate?: string;
  /** Subgraphs this request read from and wrote to (the response cache's dependencies and invalidations). */
  subgraphsRead?: Set<string>;
  subgraphsWritten?: Set<string>;
  /** Personal fields this operation selects (personal-data.ts), declared to every subgraph fetch. */
  personalFields?: ReadonlySet<string>;
  /** Shared by the whole HTTP request: it selected or read personal data, so its answer is never cached or shared. */
  personalData?: { selected: boolean; read: boolean };
}

const MUTATION = /^\s*mutation\b/;

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string; name?: string } } | undefined)?.cause;
  return cause?.code ?? (error as { code?: string } | undefined)?.code;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError' || causeCode(error) === 'UND_ERR_HEADERS_TIMEOUT' || causeCode(error) === 'UND_ERR_BODY_TIMEOUT';
}

/**
 * One subgraph as the gateway calls it: forwards the request id, the signed caller and the
 * trace context, bounds each fetch by SUBGRAPH_TIMEOUT_MS, and turns any failure into a
 * GraphQL error that names the subgraph, so the query plan goes on and the client gets
 * every other subgraph's data with null for exactly this subgraph's fields.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<FetchContext> {
  constructor(private readonly serviceName: string, url: string, private readonly timeoutMs: number, private readonly metrics: GatewayMetrics) {
    super({ url });
    this.fetcher = ((input: string, init: SubgraphRequestInit) => subgraphRequest(input, init, timeoutMs)) as never;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<FetchContext>): Promise<void> {
    if (!context?.callerToken) return;
    (MUTATION.test(request.query ?? '') ? context.subgraphsWritten : context.subgraphsRead)?.add(this.serviceName);
    const headers = request.http!.headers;
    headers.set('x-request-id', context.requestId);
    headers.set('traceparent', formatTraceparent(context.trace, newSpanId()));
    if (context.tracestate) headers.set('tracestate', context.tracestate);
    headers.set(CALLER_HEADER, await context.callerToken());
    if (context.personalFields?.size) headers.set(PERSONAL_FIELDS_HEADER, [...context.personalFields].sort().join(','));
  }

  /** A subgraph that served personal data says so; the answer is then never cached (even if the supergraph's marks missed it). */
  override didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<FetchContext>['didReceiveResponse']>>[0]): GatewayGraphQLResponse {
    if (response.http?.headers.get(PERSONAL_DATA_HEADER) && context.personalData) context.personalData.read = true;
    return response;
  }

  override async process(options: GraphQLDataSourceProcessOptions<FetchContext>): Promise<GatewayGraphQLResponse> {
    const stop = this.metrics.subgraphFetch.startTimer({ subgraph: this.serviceName });
    try {
      let response: GatewayGraphQLResponse;
      try {
        response = await super.process(options);
      } catch (error) {
        // A keep-alive socket the subgraph closed (a restart): a read is safe to send once more.
        const read = !MUTATION.test(options.request.query ?? '');
        if (!read || !RESET.has(causeCode(error) ?? '')) throw error;
        response = await super.process(options);
      }
      stop({ outcome: response.errors?.length ? 'error' : 'ok' });
      return response;
    } catch (error) {
      stop({ outcome: 'error' });
      const failure = this.describe(error);
      this.metrics.subgraphErrors.inc({ subgraph: this.serviceName, code: failure.code });
      return { errors: failure.errors ?? [{ message: failure.message, extensions: { code: failure.code, serviceName: this.serviceName } }] };
    }
  }

  private describe(error: unknown): { code: string; message: string; errors?: GatewayGraphQLResponse['errors'] } {
    const name = this.serviceName;
    const nulls = `so its fields are null in this response; the other subgraphs answered`;
    if (isTimeout(error)) {
      return { code: 'SUBGRAPH_TIMEOUT', message: `The ${name} subgraph did not answer within ${this.timeoutMs} ms (SUBGRAPH_TIMEOUT_MS), ${nulls}.` };
    }
    const response = (error as { extensions?: { response?: { status?: number; body?: unknown } } }).extensions?.response;
    if (response?.status) {
      const body = response.body as { errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
      // A GraphQL answer with a non-2xx status (e.g. a subgraph refusing an outdated query): pass its errors on.
      if (response.status < 500 && Array.isArray(body?.errors) && body.errors.length > 0) {
        return { code: 'SUBGRAPH_ERROR', message: '', errors: body.errors.map((e) => ({ message: `${name}: ${e.message}`, extensions: { ...e.extensions, serviceName: name } })) };
      }
      return { code: 'SUBGRAPH_ERROR', message: `The ${name} subgraph failed with HTTP ${response.status}, ${nulls}.` };
    }
    const code = causeCode(error);
    if (code) return { code: 'SUBGRAPH_UNAVAILABLE', message: `The ${name} subgraph is unavailable (${code}), ${nulls}.` };
    return { code: 'SUBGRAPH_ERROR', message: `The ${name} subgraph gave an unusable answer (${(error as Error).message}), ${nulls}.` };
  }
}
