import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback OTLP/HTTP trace receiver for tests: takes POST /v1/traces in http/protobuf (the
 * exporters' default) or http/json and keeps the spans, decoded. Written here rather than running
 * a collector: tests start nothing outside the process and reach nothing beyond loopback.
 */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

type Field = bigint | Buffer;

/** Protocol Buffers wire format, enough for OTLP traces: field number → values (varints as bigint, the rest as bytes). */
function decodeMessage(buf: Buffer): Map<number, Field[]> {
  const fields = new Map<number, Field[]>();
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buf[i++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const wire = key & 7;
    let value: Field;
    if (wire === 0) value = varint();
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      value = buf.subarray(i, i + size);
      i += size;
    } else if (wire === 2) {
      const length = Number(varint());
      value = buf.subarray(i, i + length);
      i += length;
    } else throw new Error(`unsupported wire type ${wire}`);
    const list = fields.get(key >>> 3) ?? [];
    list.push(value);
    fields.set(key >>> 3, list);
  }
  return fields;
}

const bytes = (f: Map<number, Field[]>, n: number) => (f.get(n)?.[0] as Buffer | undefined) ?? Buffer.alloc(0);
const all = (f: Map<number, Field[]>, n: number) => (f.get(n) ?? []) as Buffer[];

function protobufAttributes(list: Buffer[]): ReceivedSpan['attributes'] {
  const out: ReceivedSpan['attributes'] = {};
  for (const kv of list.map(decodeMessage)) {
    const value = decodeMessage(bytes(kv, 2)); // AnyValue: 1 string, 2 bool, 3 int, 4 double
    const key = bytes(kv, 1).toString('utf8');
    if (value.has(1)) out[key] = bytes(value, 1).toString('utf8');
    else if (value.has(2)) out[key] = value.get(2)![0] === 1n;
    else if (value.has(3)) out[key] = Number(BigInt.asIntN(64, value.get(3)![0] as bigint));
    else if (value.has(4)) out[key] = bytes(value, 4).readDoubleLE(0);
  }
  return out;
}

/** ExportTraceServiceRequest: resource_spans(1){ resource(1){ attributes(1) }, scope_spans(2){ spans(2) } }. */
function fromProtobuf(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of all(decodeMessage(body), 1).map(decodeMessage)) {
    const service = String(protobufAttributes(all(decodeMessage(bytes(resourceSpans, 1)), 1))['service.name'] ?? '');
    for (const scopeSpans of all(resourceSpans, 2).map(decodeMessage)) {
      for (const span of all(scopeSpans, 2).map(decodeMessage)) {
        spans.push({
          service,
          traceId: bytes(span, 1).toString('hex'),
          spanId: bytes(span, 2).toString('hex'),
          parentSpanId: bytes(span, 4).toString('hex'),
          name: bytes(span, 5).toString('utf8'),
          kind: Number(span.get(6)?.[0] ?? 0),
          attributes: protobufAttributes(all(span, 9)),
        });
      }
    }
  }
  return spans;
}

interface JsonValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
}
interface JsonAttribute {
  key: string;
  value: JsonValue;
}
const jsonAttributes = (list: JsonAttribute[] = []) =>
  Object.fromEntries(
    list.map(({ key, value }) => [
      key,
      value.stringValue ?? value.boolValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.doubleValue ?? '')),
    ]),
  );

function fromJson(body: Buffer): ReceivedSpan[] {
  const request = JSON.parse(body.toString('utf8')) as {
    resourceSpans?: {
      resource?: { attributes?: JsonAttribute[] };
      scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: JsonAttribute[] }[] }[];
    }[];
  };
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const service = String(jsonAttributes(rs.resource?.attributes)['service.name'] ?? '');
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        service,
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId ?? '',
        name: s.name,
        kind: s.kind,
        attributes: jsonAttributes(s.attributes),
      })),
    );
  });
}

export interface OtlpReceiver {
  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  /** Content types of the export requests received. */
  contentTypes: string[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const type = String(req.headers['content-type'] ?? '');
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      contentTypes.push(type);
      const json = type.startsWith('application/json');
      try {
        spans.push(...(json ? fromJson : fromProtobuf)(Buffer.concat(chunks)));
      } catch (error) {
        res.writeHead(400).end((error as Error).message); // shows in the exporter's diagnostics, and no span arrives
        return;
      }
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    contentTypes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
