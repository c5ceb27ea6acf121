import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { respond } from '../../src/stages/respond';

/** A ServerResponse, faked in memory: what was written, and a socket that is full every other chunk. */
class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, unknown> = {};
  written: string[] = [];
  ended = false;
  destroyed = false;
  writeHead(status: number, headers: Record<string, unknown>) {
    this.status = status;
    this.headers = headers;
    return this;
  }
  write(chunk: string) {
    this.written.push(chunk);
    const full = this.written.length % 2 === 1;
    if (full) queueMicrotask(() => this.emit('drain'));
    return !full;
  }
  end(chunk?: string) {
    if (chunk) this.written.push(chunk);
    this.ended = true;
  }
  destroy() {
    this.destroyed = true;
  }
}

describe('respond', () => {
  it('sends a whole answer with its length', async () => {
    const res = new FakeResponse();
    await respond(res as unknown as ServerResponse, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data":{"é":1}}' });
    expect([res.status, res.headers['content-length'], res.written.join(''), res.ended]).toEqual([200, 17, '{"data":{"é":1}}', true]);
  });

  it('streams chunks, waiting for the socket to drain, and cuts the answer when the stream fails', async () => {
    const res = new FakeResponse();
    async function* rows() {
      yield 'a\r\n';
      yield 'b\r\n';
      yield 'c\r\n';
    }
    await respond(res as unknown as ServerResponse, { status: 200, headers: {}, body: rows() });
    expect([res.written.join(''), res.ended, res.headers['content-length']]).toEqual(['a\r\nb\r\nc\r\n', true, undefined]);
    const failing = new FakeResponse();
    async function* broken() {
      yield 'a';
      throw new Error('lost');
    }
    await respond(failing as unknown as ServerResponse, { status: 200, headers: {}, body: broken() });
    expect([failing.ended, failing.destroyed]).toEqual([false, true]);
  });
});
