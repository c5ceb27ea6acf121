/**
 * Purposes of use and the response cache, through the gateway: personal fields need a registered
 * purpose agreed for the reader and covering every field asked; an answer with personal data is
 * never cached or shared (each read goes on record), whether the gateway sees it in the
 * supergraph's marks or only the subgraph says so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { ACCESS_RECORD, type Caller } from '@kopdes/kit';
import { ADMIN, officerOf, withPurpose } from '@kopdes/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startPlatform, type TestPlatform } from './helpers';

const COOPERATIVE = 'KDMP-35.14.01.2001';
const BOARD = `{ cooperative(id: "${COOPERATIVE}") { name board { name nik } } }`;
const officer = officerOf('cooperatives');

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ gateway: { responseCache: { enabled: true, warm: false, ttlMs: 60_000, maxBytes: 8 << 20, maxEntryBytes: 1 << 20 } } });
});
afterAll(async () => {
  await platform?.stop();
});

type Body = { data?: Record<string, any> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

async function post(caller: Caller, query: string, url = platform.url) {
  const requestId = randomUUID();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await bearer(caller), 'x-request-id': requestId },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, cache: res.headers.get('x-cache'), cacheControl: res.headers.get('cache-control'), body: (await res.json()) as Body, requestId };
}

const recorded = async (requestId: string) =>
  (
    await platform.subgraphs
      .get('cooperatives')!
      .server.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${ACCESS_RECORD}" WHERE request_id = $1`, [requestId])
  )[0]!.n;

/** The refusal of the board, with the rest of the cooperative still answered. */
function refusedBoard(body: Body, reason: string, message: RegExp) {
  expect(body.data).toEqual({ cooperative: { name: expect.any(String), board: null } });
  expect(body.errors).toEqual([
    expect.objectContaining({
      path: ['cooperative', 'board'],
      message: expect.stringMatching(message),
      extensions: expect.objectContaining({ code: 'FORBIDDEN', reason }),
    }),
  ]);
}

describe('purpose of use', () => {
  it('is required: a token without one is refused the personal fields, with the purposes it could use', async () => {
    const { body, requestId } = await post(officer, BOARD);
    refusedBoard(
      body,
      'PURPOSE_MISSING',
      /^Cooperative\.board is personal data: your token carries no "purpose" claim.*\(yours: registry-board-verification, board-training-outreach; in development: npm run token -- officer cooperatives --purpose registry-board-verification\)/,
    );
    expect(await recorded(requestId)).toBe(0);
  });

  it('must be registered', async () => {
    const { body } = await post(withPurpose(officer, 'curiosity'), BOARD);
    refusedBoard(body, 'PURPOSE_UNKNOWN', /^Cooperative\.board is personal data: your token's purpose "curiosity" is not a registered purpose of use\./);
  });

  it("must be agreed for the reader: an officer's purpose does not serve an admin", async () => {
    const { body } = await post(withPurpose(ADMIN, 'registry-board-verification'), BOARD);
    refusedBoard(
      body,
      'PURPOSE_NOT_ALLOWED',
      /purpose "registry-board-verification" is agreed for officers of cooperatives, not for the admin role\. .*yours: data-protection-oversight/,
    );
  });

  it("never widens a role: another ministry's officer is refused whatever purpose it names", async () => {
    const { body } = await post(withPurpose(officerOf('financing'), 'registry-board-verification'), BOARD);
    expect(body.errors).toEqual([
      expect.objectContaining({ message: 'Cooperative.board is personal data: only cooperatives officers and admins may read it.' }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/"nik"/);
  });

  it('covers only its fields: training outreach reads names, not NIKs', async () => {
    const outreach = withPurpose(officer, 'board-training-outreach');
    const withNik = await post(outreach, BOARD);
    refusedBoard(withNik.body, 'PURPOSE_FIELDS', /^Cooperative\.board: purpose "board-training-outreach" does not cover BoardMember\.nik/);
    const names = await post(outreach, `{ cooperative(id: "${COOPERATIVE}") { board { role name } } }`);
    expect(names.body.errors).toBeUndefined();
    expect(names.body.data!.cooperative.board.length).toBeGreaterThan(0);
    expect(await recorded(names.requestId)).toBe(names.body.data!.cooperative.board.length);
  });
});

describe('the response cache and personal data', () => {
  it('never caches or shares an answer with personal data; each request is recorded', async () => {
    const reader = withPurpose(officer, 'registry-board-verification');
    const first = await post(reader, BOARD);
    const second = await post(reader, BOARD);
    expect(second.body).toEqual(first.body);
    for (const answer of [first, second]) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.cache).toBe('miss');
      expect(answer.cacheControl).toBe('no-store');
      expect(await recorded(answer.requestId)).toBe(first.body.data!.cooperative.board.length);
    }
    // Two at the same time: both executed (neither joins the other's), both recorded.
    const together = await Promise.all([post(reader, BOARD), post(reader, BOARD)]);
    expect(together.map((a) => a.cache)).toEqual(['miss', 'miss']);
    for (const answer of together) expect(await recorded(answer.requestId)).toBe(first.body.data!.cooperative.board.length);
    // The same caller's answers without personal fields are cached as before.
    const plain = `{ cooperative(id: "${COOPERATIVE}") { name stage } }`;
    await post(reader, plain);
    expect((await post(reader, plain)).cache).toBe('hit');
  });

  it('also when the supergraph carries no personal marks: the subgraph says it served personal data', async () => {
    const unmarked = platform.supergraphPath.replace(/\.graphql$/, '-unmarked.graphql');
    const sdl = readFileSync(platform.supergraphPath, 'utf8');
    expect(sdl).toContain('@tag(name: "personal")');
    writeFileSync(unmarked, sdl.replaceAll(' @tag(name: "personal")', '').replaceAll('@tag(name: "personal")', ''));
    const gateway = await platform.startGateway({
      supergraphPath: unmarked,
      responseCache: { enabled: true, warm: false, ttlMs: 60_000, maxBytes: 8 << 20, maxEntryBytes: 1 << 20, redisUrl: undefined },
    });
    expect(gateway.supergraph()!.personal.size).toBe(0);
    const reader = withPurpose(ADMIN, 'data-protection-oversight');
    const answers = [await post(reader, BOARD, gateway.url()), await post(reader, BOARD, gateway.url())];
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.cache).toBe('miss');
      expect(answer.cacheControl).toBe('no-store');
      expect(await recorded(answer.requestId)).toBeGreaterThan(0);
    }
  });
});
