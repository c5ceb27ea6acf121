import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { drainable, formatTraceparent, MetricsRegistry, readBody, sampleValue, traceContext } from '@kopdes/kit';

describe('metrics', () => {
  it('renders counters, gauges and cumulative histograms in Prometheus text format (prom-client)', async () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter({ name: 'demo_requests_total', help: 'Requests.', labelNames: ['operation', 'status'] });
    const duration = registry.histogram({ name: 'demo_duration_seconds', help: 'Duration.', labelNames: ['operation'], buckets: [0.1, 1] });
    registry.gauge({ name: 'demo_in_flight', help: 'Now.', collect: (g) => g.set(3) });
    requests.inc({ operation: 'Q "x"\n', status: '200' });
    requests.inc({ operation: 'Q "x"\n', status: '200' }, 2);
    duration.observe(0.05, { operation: 'Q' });
    duration.observe(0.5, { operation: 'Q' });
    duration.observe(5, { operation: 'Q' });
    const text = await registry.render();
    expect(text).toBe(
      [
        '# HELP demo_requests_total Requests.',
        '# TYPE demo_requests_total counter',
        'demo_requests_total{operation="Q \\"x\\"\\n",status="200"} 3',
        '',
        '# HELP demo_duration_seconds Duration.',
        '# TYPE demo_duration_seconds histogram',
        'demo_duration_seconds_bucket{le="0.1",operation="Q"} 1',
        'demo_duration_seconds_bucket{le="1",operation="Q"} 2',
        'demo_duration_seconds_bucket{le="+Inf",operation="Q"} 3',
        'demo_duration_seconds_sum{operation="Q"} 5.55',
        'demo_duration_seconds_count{operation="Q"} 3',
        '',
        '# HELP demo_in_flight Now.',
        '# TYPE demo_in_flight gauge',
        'demo_in_flight 3',
        '',
      ].join('\n'),
    );
    expect(sampleValue(text, 'demo_requests_total', { operation: 'Q "x"\n' })).toBe(3);
    expect(sampleValue(text, 'demo_duration_seconds_count')).toBe(3);
    expect(await requests.get({ operation: 'Q "x"\n', status: '200' })).toBe(3);
  });

  it('reports the event-loop delay since the previous scrape: a blocked loop shows in its max, and each scrape starts over', async () => {
    const registry = new MetricsRegistry().processMetrics();
    const max = async () => sampleValue(await registry.render(), 'nodejs_eventloop_delay_seconds', { quantile: '1' }) ?? NaN;
    await new Promise((resolve) => setTimeout(resolve, 30)); // the monitor's first tick only starts its clock
    await max();
    const until = performance.now() + 150;
    while (performance.now() < until) {
      /* the loop is blocked for 150 ms */
    }
    let seen = 0;
    // The monitor records the block at its next 10 ms tick.
    for (let i = 0; i < 50 && seen < 0.15; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = Math.max(seen, await max());
    }
    expect(seen).toBeGreaterThanOrEqual(0.15);
    expect(await max()).toBe(0); // scraped just now: nothing sampled since
  });

  it('folds label sets beyond maxSeries into one __other__ series', async () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'capped_total', help: 'Capped.', labelNames: ['operation'], maxSeries: 3 });
    for (let i = 0; i < 100; i++) counter.inc({ operation: `random${i}` });
    const text = await registry.render();
    expect(text.split('\n').filter((l) => l.startsWith('capped_total'))).toHaveLength(4);
    expect(sampleValue(text, 'capped_total', { operation: '__other__' })).toBe(97);
  });
});

describe('trace context', () => {
  it('continues a valid traceparent with a new span, starts a trace otherwise', () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const trace = traceContext(incoming);
    expect(trace).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', flags: '01' });
    expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(trace.spanId).not.toBe('00f067aa0ba902b7');
    expect(formatTraceparent(trace, trace.spanId)).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    for (const bad of [
      undefined,
      'garbage',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ]) {
      const fresh = traceContext(bad);
      expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(fresh.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(fresh.parentSpanId).toBeUndefined();
    }
  });
});

describe('http server helpers', () => {
  async function serve(handler: http.RequestListener) {
    const server = http.createServer();
    const drain = drainable(server);
    server.on('request', handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { server, drain, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('answers 413 for an oversized body instead of cutting the connection', async () => {
    const { drain, url } = await serve((req, res) => {
      readBody(req, 1000).then(
        () => res.end('ok'),
        (error: { status: number; message: string; headers: Record<string, string> }) => {
          res.writeHead(error.status, error.headers);
          res.end(error.message);
        },
      );
    });
    const res = await fetch(url, { method: 'POST', body: 'x'.repeat(50_000) });
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/over the limit of 1000 bytes/);
    // Chunked (no Content-Length): found while reading.
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('y'.repeat(3000)));
        c.close();
      },
    });
    const chunked = await fetch(url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    await drain.close(1000);
  });

  it('drains: in-flight requests finish, new connections are refused', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { drain, url } = await serve((_req, res) => {
      void gate.then(() => res.end('done'));
    });
    const inFlight = [fetch(url), fetch(url), fetch(url)];
    while (drain.inFlight() < 3) await new Promise((r) => setImmediate(r));
    const closing = drain.close(5_000);
    await expect(fetch(url)).rejects.toThrow();
    release();
    const answers = await Promise.all(inFlight);
    expect(await Promise.all(answers.map((r) => r.text()))).toEqual(['done', 'done', 'done']);
    expect(await closing).toBe(0);
  });

  it('cuts requests still running at the deadline', async () => {
    const { drain, url } = await serve(() => {
      /* never answers */
    });
    const hanging = fetch(url).catch((e: Error) => e);
    while (drain.inFlight() < 1) await new Promise((r) => setImmediate(r));
    expect(await drain.close(50)).toBe(1);
    expect(await hanging).toBeInstanceOf(Error);
  });
});
