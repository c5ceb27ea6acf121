import { context, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter as OTLPJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TraceContext } from './http';

/**
 * OpenTelemetry traces, off unless the standard environment asks for them (README, "Operations").
 * One provider per server, so a process hosting several subgraphs (npm start) still names each
 * span's service. Resources are built from attributes only: no detector runs, so nothing probes a
 * cloud metadata address, and the exporter sends only to the configured OTLP endpoint.
 */
export interface Tracing {
  /** Undefined when tracing is off: callers skip span work entirely (no span objects per request). */
  readonly tracer?: Tracer;
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

export const TRACING_OFF: Tracing = { shutdown: async () => {} };

const PROTOCOLS = ['http/protobuf', 'http/json'];

/** The OTLP traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces (spec defaults to loopback). */
function tracesUrl(env: NodeJS.ProcessEnv): string {
  const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || 'http://localhost:4318';
  const url = signal || `${base.replace(/\/+$/, '')}/v1/traces`;
  try {
    new URL(url);
  } catch {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT) is not a URL: "${url}"; set it like http://collector:4318.`);
  }
  return url;
}

/** Whether the environment turns traces on: an OTLP endpoint is set, or OTEL_TRACES_EXPORTER=otlp. */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter === 'none') return false;
  if (exporter && exporter !== 'otlp')
    throw new Error(`OTEL_TRACES_EXPORTER=${exporter} is not supported here; use otlp (with OTEL_EXPORTER_OTLP_ENDPOINT) or none.`);
  return exporter === 'otlp' || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/**
 * A tracer for one server, from the standard OTEL_* variables, or TRACING_OFF. `global` also
 * registers it as the process's provider and context manager: @apollo/gateway then records its own
 * spans (gateway.request, gateway.plan, gateway.execute, gateway.fetch) in the same trace.
 */
export function tracingFromEnv(defaultService: string, env: NodeJS.ProcessEnv = process.env, options: { global?: boolean } = {}): Tracing {
  if (!tracingEnabled(env)) return TRACING_OFF;
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  if (!PROTOCOLS.includes(protocol))
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported here; use http/protobuf (the default) or http/json.`);
  const url = tracesUrl(env);
  const exporter = protocol === 'http/json' ? new OTLPJsonExporter({ url }) : new OTLPProtobufExporter({ url });
  const service = env.OTEL_SERVICE_NAME?.trim() || defaultService;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.namespace': 'kopdes-graph' }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // Only one provider can be the process's; a second gateway in the same process keeps its own spans only.
  const registered = options.global === true && trace.setGlobalTracerProvider(provider);
  if (registered) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return {
    tracer: provider.getTracer('@kopdes/kit'),
    async shutdown() {
      await provider.shutdown();
      if (registered) {
        trace.disable();
        context.disable();
      }
    },
  };
}

/** The caller's span as a parent context (a remote parent from `traceparent`), or the root when there is none. */
export function parentContext(incoming: TraceContext): Context {
  if (!incoming.parentSpanId) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: incoming.traceId,
    spanId: incoming.parentSpanId,
    traceFlags: Number.parseInt(incoming.flags, 16) & 1,
    isRemote: true,
  });
}

/** A server span continuing the caller's trace, and the trace context that now names it (for headers and logs). */
export function startServerSpan(
  tracer: Tracer,
  name: string,
  incoming: TraceContext,
  attributes: Attributes = {},
): { span: Span; context: Context; trace: TraceContext } {
  const parent = parentContext(incoming);
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { span, context: trace.setSpan(parent, span), trace: { ...incoming, traceId, spanId, flags: traceFlags & 1 ? '01' : '00' } };
}

/** The GraphQL semantic-convention attributes of one operation. */
export function graphqlAttributes(operation: { name?: string | null; type?: string; document?: string }): Attributes {
  const attributes: Attributes = {};
  if (operation.name) attributes['graphql.operation.name'] = operation.name;
  if (operation.type) attributes['graphql.operation.type'] = operation.type;
  if (operation.document) attributes['graphql.document'] = operation.document;
  return attributes;
}

/** The span name the GraphQL conventions ask for: `{type} {name}`, or the type alone. */
export const graphqlSpanName = (type: string, name?: string | null): string => (name ? `${type} ${name}` : type);
