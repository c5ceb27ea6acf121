import type { SubsequentPayload } from './parts';

/**
 * The wire format of incremental delivery that Apollo Client, urql and Apollo Router share
 * (`deferSpec=20220824`): a multipart/mixed body with the boundary `-`, one JSON part per payload,
 * `hasNext` saying whether more follow, and the closing delimiter after the last.
 */
export const MULTIPART_TYPE = 'multipart/mixed; boundary="-"; deferSpec=20220824';

const PART_HEAD = 'content-type: application/json; charset=utf-8\r\n\r\n';

/** The whole body, part by part: the first payload as Apollo Server answered it, then each later one as it is ready. */
export async function* multipart(first: string, later: AsyncIterable<SubsequentPayload>): AsyncIterable<string> {
  const initial = JSON.parse(first) as Record<string, unknown>;
  yield `\r\n---\r\n${PART_HEAD}${JSON.stringify({ ...initial, hasNext: true })}\r\n---`;
  let ended = false;
  for await (const payload of later) {
    ended = !payload.hasNext;
    yield `\r\n${PART_HEAD}${JSON.stringify(payload)}\r\n---${ended ? '--' : ''}`;
  }
  // Every later part was empty (their parents were null): the stream still ends with a payload saying so.
  if (!ended) yield `\r\n${PART_HEAD}${JSON.stringify({ hasNext: false })}\r\n-----`;
  yield '\r\n';
}
