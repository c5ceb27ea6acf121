import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultProxy } from './fault-proxy';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * @defer through the gateway: the first part of a profile is sent while the deferred ministry is
 * still held at its fault proxy; Apollo Client reads the parts into one cached object; a deferred
 * ministry's failure arrives in its own part; limits, roles, the response cache and /export hold.
 */
let platform: TestPlatform;
let analyst: Record<string, string>;
let financing: FaultProxy;

const ID = 'KDMP-35.14.09.2019';
const MULTIPART = { 'content-type': 'application/json', accept: 'multipart/mixed; deferSpec=20220824, application/json' };
const PROFILE = `query Profile($id: ID!) {
  cooperative(id: $id) {
    id name village { code name }
    ... @defer(label: "financing") { financing { outstanding loans { id status } } }
  }
}`;

type Part = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  incremental?: {
    data: Record<string, unknown> | null;
    path: (string | number)[];
    label?: string;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  }[];
  hasNext: boolean;
};

/** The JSON parts of a multipart/mixed answer (boundary `-`), each as soon as it has arrived. */
async function* readParts(res: Response): AsyncGenerator<Part> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffer += value ?? '';
    const segments = buffer.split('\r\n---');
    buffer = segments.pop()!;
    for (const segment of segments) {
      const body = segment.indexOf('\r\n\r\n');
      if (body >= 0) yield JSON.parse(segment.slice(body + 4)) as Part;
    }
    if (done) return;
  }
}

const post = (url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { ...MULTIPART, ...headers }, body: JSON.stringify({ query, variables }) });

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error(`Timed out waiting for ${what}`);
}

beforeAll(async () => {
  platform = await startPlatform({ faults: true });
  analyst = { authorization: await bearer({ subject: 'defer-analyst', role: 'analyst' }) };
  financing = platform.proxies.get('financing')!;
});
afterAll(async () => {
  await platform?.stop();
});
afterEach(() => {
  for (const proxy of platform.proxies.values()) proxy.release();
});

describe('incremental delivery', () => {
  it('sends the first part while the deferred subgraph is still held, then its part', async () => {
    financing.mode = { kind: 'hold' };
    const before = financing.received;
    const res = await post(platform.url, PROFILE, { id: ID }, analyst);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
    const parts = readParts(res);
    const first = (await parts.next()).value as Part;
    // Nothing was released: this part cannot have waited for financing.
    expect(first).toEqual({
      data: { cooperative: { id: ID, name: expect.any(String), village: { code: '35.14.09.2019', name: expect.any(String) } } },
      hasNext: true,
    });
    await until(() => financing.received > before, 'the deferred fetch to reach the financing proxy');
    financing.release();
    const second = (await parts.next()).value as Part;
    expect(second).toEqual({
      incremental: [{ path: ['cooperative'], label: 'financing', data: { financing: { outstanding: expect.any(String), loans: expect.any(Array) } } }],
      hasNext: false,
    });
    expect((await parts.next()).done).toBe(true);
  }, 60_000);

  it('with financing slowed by 2 s, the first part arrives before financing is even asked, the deferred part after', async () => {
    financing.mode = { kind: 'delay', ms: 2000 };
    const before = financing.forwarded;
    const parts = readParts(await post(platform.url, PROFILE, { id: ID }, analyst));
    const first = (await parts.next()).value as Part;
    expect(first.hasNext).toBe(true);
    expect(first.data).toEqual({ cooperative: expect.not.objectContaining({ financing: expect.anything() }) });
    expect(financing.forwarded).toBe(before); // the slowed request has not been let through yet
    const second = (await parts.next()).value as Part;
    expect(financing.forwarded).toBe(before + 1);
    expect(second.incremental![0]!.data).toEqual({ financing: { outstanding: expect.any(String), loans: expect.any(Array) } });
  }, 60_000);

  it('defers a fragment inside a list: one item per element, at its index, merging to the whole answer', async () => {
    const res = await post(
      platform.url,
      'query ($r: ID!) { regency(code: $r) { villages { code ... @defer { developmentStatus { status } } } } }',
      { r: '35.14' },
      analyst,
    );
    const all: Part[] = [];
    for await (const part of readParts(res)) all.push(part);
    const villages = (all[0]!.data!.regency as { villages: Record<string, unknown>[] }).villages;
    expect(villages.length).toBeGreaterThan(1);
    expect(villages[0]).toEqual({ code: expect.any(String) }); // the deferred field is not in the first part
    const items = all.slice(1).flatMap((p) => p.incremental ?? []);
    expect(items.map((i) => i.path)).toEqual(villages.map((_, i) => ['regency', 'villages', i]));
    expect(all.at(-1)!.hasNext).toBe(false);
    for (const item of items) Object.assign(villages[item.path[2] as number]!, item.data);
    const whole = await platform.query('query ($r: ID!) { regency(code: $r) { villages { code developmentStatus { status } } } }', { r: '35.14' }, analyst);
    expect(all[0]!.data).toEqual(whole.body.data);
  }, 60_000);

  it("delivers a deferred subgraph's failure in that part, not in the first", async () => {
    financing.mode = { kind: 'error' };
    const all: Part[] = [];
    for await (const part of readParts(await post(platform.url, PROFILE, { id: ID }, analyst))) all.push(part);
    expect(all).toHaveLength(2);
    expect(all[0]!.errors).toBeUndefined();
    const [item] = all[1]!.incremental!;
    expect(item!.data).toEqual({ financing: null });
    expect(item!.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ serviceName: 'financing' }) })]);
  }, 60_000);

  it('a real Apollo Client reads both parts and caches the merged cooperative', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: `${platform.url}/graphql`, headers: analyst }),
      cache: new InMemoryCache(),
      incrementalHandler: new Defer20220824Handler(),
    });
    const query = gql(PROFILE);
    const states = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      const subscription = client.watchQuery({ query, variables: { id: ID } }).subscribe({
        next(result) {
          seen.push(result.dataState);
          if (result.dataState === 'complete') {
            subscription.unsubscribe();
            resolve(seen);
          }
        },
        error: reject,
      });
    });
    expect(states).toContain('streaming'); // the first part was shown before the deferred one
    const cached = client.readQuery<{ cooperative: { name: string; financing: { loans: unknown[] } } }>({ query, variables: { id: ID } });
    expect(cached?.cooperative.name).toEqual(expect.any(String));
    expect(cached?.cooperative.financing.loans).toEqual(expect.any(Array));
    const normalised = (client.cache.extract() as Record<string, unknown>)[`Cooperative:${ID}`];
    expect(normalised).toMatchObject({ name: cached!.cooperative.name, financing: expect.any(Object) });
  }, 60_000);
});

describe("@defer with the gateway's rules", () => {
  it('answers 406 to a client that does not accept multipart/mixed, saying what to send', async () => {
    const res = await post(platform.url, PROFILE, { id: ID }, { ...analyst, accept: 'application/json' });
    expect(res.status).toBe(406);
    const body = (await res.json()) as Part;
    expect(body.errors![0]!.message).toContain('Accept: multipart/mixed; deferSpec=20220824');
  });

  it('checks variables as without @defer, and runs @defer(if: false) as one whole JSON answer', async () => {
    const missing = await post(platform.url, PROFILE, {}, analyst);
    const plain = await platform.query(PROFILE.replace(/\.\.\. @defer\(label: "financing"\) \{ (.*) \}/, '$1'), {}, analyst);
    expect(missing.status).toBe(plain.status);
    expect(((await missing.json()) as Part).errors![0]!.extensions!.code).toBe(plain.body.errors![0]!.extensions!.code);
    const off = await post(
      platform.url,
      PROFILE.replace('@defer(label: "financing")', '@defer(if: false)'),
      { id: ID },
      { ...analyst, accept: 'application/json' },
    );
    expect(off.status).toBe(200);
    expect(((await off.json()) as Part).data).toEqual({
      cooperative: expect.objectContaining({ financing: expect.objectContaining({ outstanding: expect.any(String) }) }),
    });
  });

  it('refuses @stream as an unknown directive', async () => {
    const res = await post(platform.url, '{ provinces @stream { code } }', {}, analyst);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Part).errors![0]!.message).toContain('Unknown directive "@stream"');
  });

  it('applies the depth limit to deferred fragments', async () => {
    const shallow = await platform.startGateway({ limits: { maxDepth: 3 } as never });
    const res = await post(
      shallow.url(),
      'query ($id: ID!) { cooperative(id: $id) { name ... @defer { village { regency { province { name } } } } } }',
      { id: ID },
      analyst,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as Part).errors![0]!.extensions!.code).toBe('QUERY_TOO_DEEP');
  }, 60_000);

  it('refuses a public caller the analyst field it deferred, in the deferred part, with the usual error', async () => {
    const all: Part[] = [];
    for await (const part of readParts(
      await post(platform.url, '{ village(code: "35.14.01.2001") { name ... @defer { electrification { electrified } } } }', {}, {}),
    ))
      all.push(part);
    expect(all[0]).toEqual({ data: { village: { name: 'Gerbo' } }, hasNext: true });
    expect(all[1]!.incremental).toEqual([
      {
        path: ['village'],
        data: { electrification: null },
        errors: [
          expect.objectContaining({
            message: 'Village needs a signed-in analyst, officer or admin; send a bearer token.',
            path: ['village'],
            extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
          }),
        ],
      },
    ]);
  }, 60_000);

  it('never caches or shares an incremental answer; a whole answer still is', async () => {
    const cached = await platform.startGateway({ responseCache: { enabled: true } as never });
    const regions = platform.proxies.get('regions')!;
    const query = '{ village(code: "35.14.01.2001") { name ... @defer { developmentStatus { status } } } }';
    const before = regions.received;
    for (let i = 0; i < 2; i++) {
      const res = await post(cached.url(), query, {}, analyst);
      expect(res.headers.get('x-cache')).toBe('miss');
      expect(res.headers.get('content-type')).toContain('multipart/mixed');
      for await (const part of readParts(res)) expect(part.hasNext === true || part.hasNext === false).toBe(true);
    }
    expect(regions.received - before).toBe(2); // both executed
    const whole = '{ village(code: "35.14.01.2001") { name } }';
    await post(cached.url(), whole, {}, analyst);
    expect((await post(cached.url(), whole, {}, analyst)).headers.get('x-cache')).toBe('hit');
  }, 60_000);

  it('/export runs a deferring query as one whole answer: the same file as without @defer', async () => {
    const exported = async (query: string) => {
      const res = await fetch(`${platform.url}/export`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...analyst },
        body: JSON.stringify({ query, format: 'csv' }),
      });
      expect(res.status).toBe(200);
      return res.text();
    };
    const file = await exported('{ regency(code: "35.14") { villages { code ... @defer { developmentStatus { status } } } } }');
    expect(file.split('\n')[0]).toContain('developmentStatus');
    expect(file).toBe(await exported('{ regency(code: "35.14") { villages { code developmentStatus { status } } } }'));
  }, 60_000);
});
