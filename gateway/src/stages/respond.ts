import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Answer } from '../pipeline';

/** Writes a chunk, waiting for the socket to drain when it is full; false when the client went away. */
async function write(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  const closed = once(res, 'close').then(() => false);
  return Promise.race([once(res, 'drain').then(() => true), closed]);
}

/**
 * `respond`: the answer as the client receives it. A whole body goes out with its length; a
 * streamed one (an export, the parts of a @defer answer) chunk by chunk, as fast as the client reads.
 */
export async function respond(res: ServerResponse, answer: Answer): Promise<void> {
  if (typeof answer.body === 'string') {
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
    return;
  }
  res.writeHead(answer.status, answer.headers);
  try {
    for await (const chunk of answer.body) if (!(await write(res, chunk))) return;
    res.end();
  } catch {
    res.destroy(); // the client sees a cut answer, not a whole-looking file
  }
}
