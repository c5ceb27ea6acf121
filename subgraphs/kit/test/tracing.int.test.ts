import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { startServerSpan, traceContext, tracingEnabled, tracingFromEnv, TRACING_OFF } from '@kopdes/kit';
import { startOtlpReceiver, type OtlpReceiver } from '@kopdes/kit/testing';

describe('tracing configuration', () => {
  it('is off unless an OTLP endpoint or OTEL_TRACES_EXPORTER=otlp asks for it, and then costs no tracer', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingFromEnv('svc', {})).toBe(TRACING_OFF);
    expect(TRACING_OFF.tracer).toBeUndefined();
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(true);
    expect(tracingEnabled({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });

  it('refuses settings it cannot honour with a message that says what to set', () => {
    expect(() => tracingEnabled({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER=zipkin is not supported here; use otlp .* or none/);
    expect(() => tracingFromEnv('svc', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported here; use http\/protobuf/,
    );
    expect(() => tracingFromEnv('svc', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector without scheme' })).toThrow(/is not a URL/);
  });
});

describe('export over OTLP/HTTP to a loopback receiver', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver?.close());

  for (const protocol of ['http/json', 'http/protobuf']) {
    it(`sends a server span continuing the caller's trace (${protocol})`, async () => {
      const tracing = tracingFromEnv('kopdes-test', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
      const caller = traceContext('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
      const { span, trace } = startServerSpan(tracing.tracer!, `query ${protocol}`, caller, {
        'graphql.operation.type': 'query',
        'http.response.status_code': 200,
      });
      span.end();
      await tracing.shutdown(); // exports what is buffered
      const received = receiver.spans.find((s) => s.name === `query ${protocol}`);
      expect(received).toEqual({
        service: 'kopdes-test',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: trace.spanId,
        parentSpanId: '00f067aa0ba902b7',
        name: `query ${protocol}`,
        kind: SpanKind.SERVER + 1,
        attributes: { 'graphql.operation.type': 'query', 'http.response.status_code': 200 },
      });
      expect(receiver.contentTypes.at(-1)).toMatch(protocol === 'http/json' ? /^application\/json/ : /^application\/x-protobuf/);
    });
  }
});
