import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Caller, TraceContext } from '@kopdes/kit';
import { chainFetch, type FetchStage, type SubgraphFetch, type SubgraphResponse as GatewayGraphQLResponse } from './fetch-stages';
import type { GatewayMetrics } from './metrics';
import type { Execution } from './pipeline';
import { subgraphRequest, type SubgraphRequestInit } from './subgraph-http';

/** What each subgraph fetch needs from the incoming request, and the execution record it adds to. */
export interface FetchContext {
  requestId: string;
  caller: Caller;
  /** The caller, signed once per request for the subgraphs. */
  callerToken: () => Promise<string>;
  trace: TraceContext;
  tracestate?: string;
  execution?: Execution;
}

const MUTATION = /^\s*mutation\b/;

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
  private readonly send: (fetch: SubgraphFetch) => Promise<GatewayGraphQLResponse>;

  /** `stages` run around each fetch (fetch-stages.ts), the first outermost. */
  constructor(
    private readonly serviceName: string,
    url: string,
    private readonly timeoutMs: number,
    private readonly metrics: GatewayMetrics,
    stages: readonly FetchStage[] = [],
  ) {
    super({ url });
    this.fetcher = ((input: string, init: SubgraphRequestInit) => subgraphRequest(input, init, timeoutMs)) as never;
    this.send = chainFetch(stages, async ({ options, write, headers }) => {
      // Apollo's process() starts from the request's headers, then adds its own.
      for (const [name, value] of options.request.http?.headers ?? []) if (!headers.has(name)) headers.set(name, value);
      options.request.http = { method: 'POST', url: this.url!, headers };
      try {
        return await super.process(options);
      } catch (error) {
        // A keep-alive socket the subgraph closed (a restart): a read is safe to send once more.
        if (write || !RESET.has(causeCode(error) ?? '')) throw error;
        return super.process(options);
      }
    });
  }

  override async process(options: GraphQLDataSourceProcessOptions<FetchContext>): Promise<GatewayGraphQLResponse> {
    const stop = this.metrics.subgraphFetch.startTimer({ subgraph: this.serviceName });
    try {
      const response = await this.send({ subgraph: this.serviceName, write: MUTATION.test(options.request.query ?? ''), options, headers: new Headers() });
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
        return {
          code: 'SUBGRAPH_ERROR',
          message: '',
          errors: body.errors.map((e) => ({ message: `${name}: ${e.message}`, extensions: { ...e.extensions, serviceName: name } })),
        };
      }
      return { code: 'SUBGRAPH_ERROR', message: `The ${name} subgraph failed with HTTP ${response.status}, ${nulls}.` };
    }
    const code = causeCode(error);
    if (code) return { code: 'SUBGRAPH_UNAVAILABLE', message: `The ${name} subgraph is unavailable (${code}), ${nulls}.` };
    return { code: 'SUBGRAPH_ERROR', message: `The ${name} subgraph gave an unusable answer (${(error as Error).message}), ${nulls}.` };
  }
}
