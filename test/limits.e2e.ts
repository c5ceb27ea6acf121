import { randomUUID } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationId } from '../gateway/src/operations';
import type { GatewayServer } from '../gateway/src/server';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * Every abuse limit, sent its abusive query through the real gateway: a 4xx with a code and a
 * message naming the limit, and the gateway answers the next ordinary query.
 */
let platform: TestPlatform;
let analyst: Record<string, string>;
beforeAll(async () => {
  platform = await startPlatform();
  analyst = { authorization: await bearer({ subject: 'limits-analyst', role: 'analyst' }) };
});
afterAll(async () => {
  await platform?.stop();
});

type Body = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Body }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Body };
}

async function expectResponsive(url = platform.url, headers?: Record<string, string>): Promise<void> {
  const { status, body } = await post(url, { query: '{ province(code: "35") { name } }' }, headers);
  expect(status).toBe(200);
  expect(body).toEqual({ data: { province: { name: 'Jawa Timur' } } });
}

function refusal(status: number, code: string, message: RegExp) {
  return { status, body: { errors: [expect.objectContaining({ message: expect.stringMatching(message), extensions: expect.objectContaining({ code }) })] } };
}

const COOPERATIVE_FIELDS =
  'id name kind stage members nib npwp businessUnits { type status } financing { outstanding inArrears loans { id lender plafond status } }';

describe('query limits', () => {
  it('refuses a query deeper than MAX_DEPTH', async () => {
    const deep =
      '{ cooperative(id: "KDMP-35.14.01.2001") { village { regency { province { regencies { districts { villages { cooperatives { village { district { regency { province { name } } } } } } } } } } } } }';
    const res = await post(platform.url, { query: deep }, analyst);
    expect(res).toMatchObject(refusal(400, 'QUERY_TOO_DEEP', /^Query is 13 levels deep; the limit is 12 \(MAX_DEPTH\)/));
    expect(res.body.errors![0]!.extensions!.limit).toEqual({ name: 'MAX_DEPTH', max: 12, actual: 13 });
    await expectResponsive();
  });

  it('refuses the whole country down to every cooperative (MAX_COST), and lets a regency export through', async () => {
    const abusive = `{ provinces { regencies { villages { code cooperatives { ${COOPERATIVE_FIELDS} } } } } }`;
    expect(await post(platform.url, { query: abusive }, analyst)).toMatchObject(
      refusal(400, 'QUERY_TOO_COSTLY', /^Query would resolve about [\d,]+ fields .*the limit is 250,000 \(MAX_COST\)\. Select fewer fields/),
    );
    await expectResponsive();
    const exportQuery = `{ regency(code: "35.14") { name villages { code name cooperatives { ${COOPERATIVE_FIELDS} } } } }`;
    const res = await post(platform.url, { query: exportQuery }, analyst);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect((res.body.data as { regency: { villages: unknown[] } }).regency.villages).toHaveLength(365);
  });

  it('refuses more aliases than MAX_ALIASES', async () => {
    const query = `{ ${Array.from({ length: 51 }, (_, i) => `p${i}: province(code: "35") { name }`).join(' ')} }`;
    expect(await post(platform.url, { query })).toMatchObject(refusal(400, 'TOO_MANY_ALIASES', /^Query uses 51 aliases; the limit is 50 \(MAX_ALIASES\)/));
    await expectResponsive();
  });

  it('stops parsing beyond MAX_TOKENS', async () => {
    const query = `{ provinces { ${'code '.repeat(10_001)} } }`;
    expect(await post(platform.url, { query })).toMatchObject(refusal(400, 'TOO_MANY_TOKENS', /^Query has more than 10000 tokens \(MAX_TOKENS\)/));
    await expectResponsive();
  });

  it('refuses a body over MAX_BODY_BYTES with 413', async () => {
    const res = await post(platform.url, { query: '{ provinces { code } }', variables: { padding: 'x'.repeat(1_100_000) } });
    expect(res).toMatchObject(refusal(413, 'PAYLOAD_TOO_LARGE', /^Request body is over the limit of 1048576 bytes \(MAX_BODY_BYTES\)/));
    await expectResponsive();
  });

  it('refuses a page over MAX_PAGE_SIZE, literal or variable', async () => {
    expect(await post(platform.url, { query: '{ cooperatives(first: 1000000) { totalCount } }' }, analyst)).toMatchObject(
      refusal(400, 'PAGE_TOO_LARGE', /^first: 1000000 on Query\.cooperatives is above the largest page of 5000 \(MAX_PAGE_SIZE\)/),
    );
    expect(
      await post(platform.url, { query: 'query Page($n: Int!) { cooperatives(first: $n) { totalCount } }', variables: { n: 99_999 } }, analyst),
    ).toMatchObject(refusal(400, 'PAGE_TOO_LARGE', /^first: 99999/));
    // The same document with a small page is fine: the verdict depends on the variables.
    const ok = await post(platform.url, { query: 'query Page($n: Int!) { cooperatives(first: $n) { edges { node { id } } } }', variables: { n: 2 } }, analyst);
    expect(ok.status).toBe(200);
    expect((ok.body.data as { cooperatives: { edges: unknown[] } }).cooperatives.edges).toHaveLength(2);
  });

  it('answers a batch of operations, refuses one longer than MAX_BATCH_SIZE', async () => {
    const op = { query: '{ province(code: "35") { name } }' };
    const ok = await fetch(`${platform.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([op, op]) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([{ data: { province: { name: 'Jawa Timur' } } }, { data: { province: { name: 'Jawa Timur' } } }]);
    expect(
      await post(
        platform.url,
        Array.from({ length: 11 }, () => op),
      ),
    ).toMatchObject(refusal(400, 'BATCH_TOO_LARGE', /^Batch of 11 operations; at most 10 per request \(MAX_BATCH_SIZE\)/));
    await expectResponsive();
  });

  it('blocks a simple GET that could be a cross-site request (CSRF prevention)', async () => {
    const res = await fetch(`${platform.url}/graphql?query=${encodeURIComponent('{ provinces { code } }')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Cross-Site Request Forgery/);
    const allowed = await fetch(`${platform.url}/graphql?query=${encodeURIComponent('{ province(code: "35") { name } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await allowed.json()).toEqual({ data: { province: { name: 'Jawa Timur' } } });
  });
});

describe('production mode', () => {
  let production: GatewayServer;
  let reopened: GatewayServer;
  beforeAll(async () => {
    production = await platform.startGateway({ production: true, introspection: false });
    reopened = await platform.startGateway({ production: true, introspection: true });
  });

  it('turns introspection off, unless configured back on', async () => {
    const res = await post(production.url(), { query: getIntrospectionQuery() });
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.message).toBe(
      'Introspection is off on this gateway (production or safelist mode); an operator can enable it with INTROSPECTION=true.',
    );
    const open = await post(reopened.url(), { query: getIntrospectionQuery() });
    expect(open.status).toBe(200);
    expect((open.body.data as { __schema: { queryType: { name: string } } }).__schema.queryType.name).toBe('Query');
    await expectResponsive(production.url());
  });

  it('sends no stack traces in production (development does)', async () => {
    const bad = { query: '{ provinces { nope } }' };
    const prod = await post(production.url(), bad);
    expect(prod.status).toBe(400);
    expect(prod.body.errors![0]!.extensions!.stacktrace).toBeUndefined();
    const dev = await post(platform.url, bad);
    expect(dev.body.errors![0]!.extensions!.stacktrace).toBeDefined();
  });
});

type Listed = { id: string; name: string; document: string; variables?: Record<string, unknown> };

describe('persisted operations', () => {
  let operations: Listed[];
  let profile: Listed;
  let inFull: Body;
  const byId = (id: string, variables?: Record<string, unknown>) => ({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
  beforeAll(async () => {
    operations = (await (await fetch(`${platform.url}/operations.json`)).json()) as Listed[];
    profile = operations.find((o) => o.name === 'cooperative-profile')!;
    inFull = (await post(platform.url, { query: profile.document, variables: profile.variables }, analyst)).body;
  });

  it('lists every registered operation with its id: the sha256 of its document', () => {
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) expect(op.id).toBe(operationId(op.document));
  });

  it('runs a registered operation by id (POST or GET), answering as for the document sent in full', async () => {
    expect(inFull.errors).toBeUndefined();
    expect(await post(platform.url, byId(profile.id, profile.variables), analyst)).toMatchObject({ status: 200, body: inFull });
    const search = new URLSearchParams({ extensions: JSON.stringify(byId(profile.id).extensions), variables: JSON.stringify(profile.variables) });
    const get = await fetch(`${platform.url}/graphql?${search}`, { headers: { 'apollo-require-preflight': 'true', ...analyst } });
    expect(await get.json()).toEqual(inFull);
    const unknown = await post(platform.url, byId(operationId('{ provinces { code } }')));
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  describe('safelist mode (PERSISTED_OPERATIONS_ONLY=true)', () => {
    let safelist: GatewayServer;
    const adHoc = '{ province(code: "35") { name } }';
    const notInList = refusal(
      400,
      'PERSISTED_QUERY_NOT_IN_LIST',
      /^This gateway runs registered operations only \(PERSISTED_OPERATIONS_ONLY=true\)\. .*GET \/operations\.json .*schema\/operations\//,
    );
    beforeAll(async () => {
      safelist = await platform.startGateway({ persistedOperationsOnly: true, introspection: false });
    });

    it('refuses an ad-hoc query, runs a registered one by id or in full', async () => {
      expect(await post(safelist.url(), { query: adHoc })).toMatchObject(notInList);
      expect(await post(safelist.url(), byId(profile.id, profile.variables), analyst)).toMatchObject({ status: 200, body: inFull });
      expect(await post(safelist.url(), { query: profile.document, variables: profile.variables }, analyst)).toMatchObject({ status: 200, body: inFull });
      expect((await post(safelist.url(), { query: getIntrospectionQuery() })).status).toBe(400);
    });

    it('refuses APQ registration: clients cannot add to the list', async () => {
      expect(await post(safelist.url(), { query: adHoc, ...byId(operationId(adHoc)) })).toMatchObject(notInList);
      expect((await post(safelist.url(), byId(operationId(adHoc)))).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });

    it('holds for /export too: a registered operation by name exports, an ad-hoc query is refused', async () => {
      const saved = await fetch(`${safelist.url()}/export?operation=cooperative-profile&format=ndjson`, { headers: analyst });
      expect(saved.status).toBe(200);
      expect(Number(saved.headers.get('x-export-rows'))).toBeGreaterThan(0);
      const own = await fetch(`${safelist.url()}/export?format=csv&query=${encodeURIComponent(adHoc)}`, { headers: analyst });
      expect({ status: own.status, body: await own.json() }).toMatchObject(notInList);
    });
  });
});

describe('CORS', () => {
  let gateway: GatewayServer;
  const dashboard = 'https://dashboard.kopdes.example.go.id';
  beforeAll(async () => {
    gateway = await platform.startGateway({ corsOrigins: [dashboard] });
  });

  it('answers preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${gateway.url()}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
    const ok = await preflight(dashboard);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(dashboard);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const refused = await preflight('https://evil.example.com');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await refused.json()) as Body).errors![0]!.message).toBe(
      'Origin https://evil.example.com is not allowed to call this gateway; add it to CORS_ORIGINS.',
    );
  });

  it('marks responses for allowed origins only', async () => {
    const allowed = await post(gateway.url(), { query: '{ province(code: "35") { name } }' }, { origin: dashboard });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(dashboard);
    expect(allowed.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    const other = await post(gateway.url(), { query: '{ province(code: "35") { name } }' }, { origin: 'https://evil.example.com' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limiting', () => {
  const query = { query: '{ province(code: "35") { name } }' };
  // Windows are aligned to the clock: a day-long window keeps the test clear of a boundary.
  const day = 24 * 3600 * 1000;

  it('refuses a client over its budget with 429 and Retry-After; other clients keep theirs', async () => {
    const gateway = await platform.startGateway({ rateLimit: { max: 3, windowMs: day, trustProxy: false } });
    const alice = { authorization: await bearer({ subject: `alice-${randomUUID()}`, role: 'analyst' }) };
    const bob = { authorization: await bearer({ subject: `bob-${randomUUID()}`, role: 'analyst' }) };
    for (let i = 0; i < 3; i++) expect((await post(gateway.url(), query, alice)).status).toBe(200);
    const refused = await post(gateway.url(), query, alice);
    expect(refused).toMatchObject(
      refusal(429, 'RATE_LIMITED', /^Rate limit exceeded: at most 3 operations per 86400 s per client \(RATE_LIMIT_MAX\)\. Retry after \d+ s\.$/),
    );
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect((await post(gateway.url(), query, bob)).status).toBe(200);
    // A batch spends one unit per operation; anonymous callers are counted by address.
    expect((await post(gateway.url(), [query, query, query, query])).status).toBe(429);
    const metrics = await (await fetch(`${gateway.url()}/metrics`)).text();
    expect(metrics).toMatch(/^kopdes_gateway_rate_limited_total 2$/m);
  });

  it('shares one budget between gateway replicas through Redis (REDIS_URL)', async () => {
    const shared = { max: 5, windowMs: day, trustProxy: false, redisUrl: 'redis://127.0.0.1:6379' };
    const a = await platform.startGateway({ rateLimit: shared });
    const b = await platform.startGateway({ rateLimit: shared });
    const client = { authorization: await bearer({ subject: `replicated-${randomUUID()}`, role: 'analyst' }) };
    const statuses: number[] = [];
    for (const gateway of [a, b, a, b, a]) statuses.push((await post(gateway.url(), query, client)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect((await post(b.url(), query, client)).status).toBe(429);
    expect((await post(a.url(), query, client)).status).toBe(429);
    // Each replica alone would have allowed 5: the budget is shared. (Another client, since Redis
    // keeps budgets across runs on this machine and anonymous callers share the loopback address.)
    await expectResponsive(a.url(), { authorization: await bearer({ subject: `other-${randomUUID()}`, role: 'analyst' }) });
  });
});
