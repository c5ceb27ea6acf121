import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { context, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { clientAddress, formatTraceparent, graphqlAttributes, headerMap, log, readBody, startServerSpan, traceContext } from '@kopdes/kit';
import type { GatewayMetrics } from './metrics';
import type { Incoming, Outcome } from './pipeline';
import type { observe } from './stages/observe';
import { respond } from './stages/respond';

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** What a route's stages start from: request id and trace (continued from the caller's, when valid), headers, body reader. */
export function incoming(req: http.IncomingMessage, url: URL, trustProxy: boolean): Incoming {
  const header = req.headers['x-request-id'];
  return {
    requestId: typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID(),
    trace: traceContext(req.headers.traceparent),
    tracestate: typeof req.headers.tracestate === 'string' ? req.headers.tracestate : undefined,
    method: req.method ?? 'GET',
    url,
    headers: headerMap(req),
    clientAddress: clientAddress(req, trustProxy),
    readBody: (limit) => readBody(req, limit),
  };
}

/**
 * The HTTP edge of a pipeline route: makes the incoming state, runs the stages, responds, and
 * observes the request once its connection is done with it (also when the client went away).
 */
export function edge(
  run: (state: Incoming) => Promise<Outcome>,
  deps: { metrics: Pick<GatewayMetrics, 'inFlight'>; observe: ReturnType<typeof observe>; trustProxy: boolean; tracer?: Tracer },
) {
  return (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    const started = process.hrtime.bigint();
    const untraced = incoming(req, url, deps.trustProxy);
    // With tracing on, the request's span continues the caller's trace and its ids name the request in headers and logs.
    const traced = deps.tracer && requestSpan(deps.tracer, untraced);
    const state = traced ? { ...untraced, trace: traced.trace } : untraced;
    res.setHeader('x-request-id', state.requestId);
    res.setHeader('traceparent', formatTraceparent(state.trace, state.trace.spanId));
    deps.metrics.inFlight.inc();
    let outcome: Outcome | undefined;
    res.once('close', () => {
      deps.metrics.inFlight.dec();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.observe({ state, outcome, status: res.statusCode, seconds, aborted: !res.writableFinished });
      traced?.end(res, outcome);
    });
    (traced ? context.with(traced.context, () => run(state)) : run(state))
      .then(async (done) => {
        outcome = done;
        if (done.failure)
          log.error('request failed', {
            requestId: state.requestId,
            traceId: state.trace.traceId,
            error: done.failure instanceof Error ? done.failure.stack : String(done.failure),
          });
        if (res.headersSent) return void res.destroy();
        await respond(res, done.answer);
      })
      .catch((error: unknown) => {
        log.error('request failed', { requestId: state.requestId, traceId: state.trace.traceId, error: error instanceof Error ? error.stack : String(error) });
        res.destroy();
      });
  };
}

/** The gateway's span for one HTTP request; the GraphQL attributes of what it ran are added when it ends. */
function requestSpan(tracer: Tracer, state: Incoming) {
  const { span, context, trace } = startServerSpan(tracer, `${state.method} ${state.url.pathname}`, state.trace, {
    'http.request.method': state.method,
    'url.path': state.url.pathname,
  });
  return {
    context,
    trace,
    end(res: http.ServerResponse, outcome: Outcome | undefined) {
      const kinds = outcome?.execution?.kinds ?? [];
      span.setAttributes({
        'http.response.status_code': res.statusCode,
        ...graphqlAttributes({ name: outcome?.operations.join(','), type: kinds.length ? kinds.join(',') : undefined }),
      });
      if (outcome?.cache) span.setAttribute('kopdes.response_cache', outcome.cache);
      if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
