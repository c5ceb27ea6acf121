/**
 * The gateway's HTTP edges, against a gateway on port 0 over the committed supergraph. No subgraph
 * runs: every request here is answered (or refused) by the gateway itself, before any fetch.
 */
import '../src/telemetry';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { testSigningKeys } from '@kopdes/kit/testing';
import { buildSchema } from 'graphql';
import { auditServer, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScalarInputs } from '../src/apollo';
import { configFromEnv, createGatewayServer, type GatewayServer } from '../src/server';

const SUPERGRAPH = path.join(import.meta.dirname, '../../schema/supergraph.graphql');
const SECRET = new TextEncoder().encode('http-edges-test-secret-0123456789abcdef');

let gateway: GatewayServer;
let url: string;

beforeAll(async () => {
  const defaults = configFromEnv({});
  gateway = await createGatewayServer(
    {
      ...defaults,
      supergraphPath: SUPERGRAPH,
      watchSupergraph: false,
      rateLimit: { ...defaults.rateLimit, max: 0 },
      responseCache: { ...defaults.responseCache, enabled: true, warm: false },
    },
    { signingKey: (await testSigningKeys()).privateKey, auth: { audience: 'kopdes-graph', hs256Secret: SECRET } },
  );
  url = `${await gateway.listen(0)}/graphql`;
});

afterAll(() => gateway?.stop());

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => fetch(url, { method: 'POST', headers, body });
const code = async (res: Response) => ((await res.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;

describe('a cached answer', () => {
  it('is served only after the same request-shape and CSRF checks as a miss', async () => {
    const query = JSON.stringify({ query: '{ cached: __typename }' });
    expect((await post(query)).headers.get('x-cache')).toBe('miss');
    expect((await post(query)).headers.get('x-cache')).toBe('hit');
    // The same body, as a cross-site form could post it: refused, as it is on a miss.
    const plain = await post(query, { 'content-type': 'text/plain' });
    expect([plain.status, plain.headers.get('x-cache')]).toEqual([400, null]);
    expect(await plain.text()).toMatch(/Cross-Site Request Forgery/);
    expect((await fetch(url, { method: 'POST', body: query })).status).toBe(400); // fetch labels a string text/plain
    const preflighted = await post(query, { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' });
    expect([preflighted.status, await code(preflighted)]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    // An accept header that a miss answers 406 is not a hit either.
    const html = await post(query, { 'content-type': 'application/json', accept: 'text/html' });
    expect([html.status, html.headers.get('x-cache')]).toEqual([406, 'miss']);
    expect((await post(query, { 'content-type': 'application/json', accept: 'text/html' })).status).toBe(406);
  });
});

describe('a body over MAX_BODY_BYTES', () => {
  const big = JSON.stringify({ query: `{ __typename } #${'x'.repeat(10 * 1024 * 1024)}` });

  it('gets its 413 as a response Node fetch can read, every time', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await post(big);
      expect([res.status, await code(res)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    }
  });

  it('gets its 413 through node:http, without an EPIPE or reset after it, announced or chunked', async () => {
    for (const chunked of [false, true, false]) {
      const outcome = await new Promise<{ status?: number; body: string; error?: string }>((resolve) => {
        let result: { status?: number; body: string; error?: string } = { body: '' };
        const req = http.request(
          url,
          { method: 'POST', headers: { 'content-type': 'application/json', ...(chunked ? { 'transfer-encoding': 'chunked' } : {}) } },
          (res) => {
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              result.body += chunk;
            });
            res.on('end', () => {
              result.status = res.statusCode;
              setImmediate(() => resolve(result));
            });
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => {
          result = { ...result, error: error.code ?? error.message };
          resolve(result);
        });
        req.end(big);
      });
      expect(outcome.error).toBeUndefined();
      expect(outcome.status).toBe(413);
      expect(outcome.body).toMatch(/over the limit of 1048576 bytes \(MAX_BODY_BYTES\)/);
    }
  });
});

describe('input errors', () => {
  it('an unknown operationName is a 400 that names the operations there are', async () => {
    const res = await post(JSON.stringify({ query: 'query A { __typename } query B { __typename }', operationName: 'C' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ message: 'Unknown operation named "C"; this document defines "A", "B".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }],
    });
    expect((await post(JSON.stringify({ query: 'query A { __typename } query B { __typename }' }))).status).toBe(400);
  });

  it('a malformed Rupiah is refused at the gateway with 400, like any other input error, before any subgraph is called', async () => {
    const officer = { 'content-type': 'application/json' };
    const loan = {
      cooperativeId: 'KDMP-35.14.01.2001',
      scheme: 'HIMBARA_PMK49',
      lender: 'BRI',
      plafond: 1.5,
      operatingPart: '100000000',
      contractRate: 6,
      effectiveRate: 2,
      tenorMonths: 60,
      graceMonths: 6,
      appliedOn: '2025-09-01',
    };
    const apply = 'mutation ($loan: ApplyForLoanInput!) { applyForLoan(input: $loan, idempotencyKey: "edge-test") { id } }';
    const variable = await post(JSON.stringify({ query: apply, variables: { loan } }), officer);
    expect(variable.status).toBe(400);
    const body = (await variable.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]).toMatchObject({
      message: expect.stringMatching(/"loan.plafond".*Rupiah must be a whole number of rupiah written as a string/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    // The same rule for a built-in type: a gateway-found input error is a 400.
    const wrongType = await post(JSON.stringify({ query: apply, variables: { loan: { ...loan, plafond: '1', tenorMonths: 'sixty' } } }), officer);
    expect([wrongType.status, await code(wrongType)]).toEqual([400, 'BAD_USER_INPUT']);
    const literal = await post(
      JSON.stringify({
        query:
          'mutation { applyForLoan(input: { cooperativeId: "K", scheme: HIMBARA_PMK49, lender: BRI, plafond: 1.5, operatingPart: "1", contractRate: 6, effectiveRate: 2, tenorMonths: 60, graceMonths: 6, appliedOn: "2025-09-01" }, idempotencyKey: "k") { id } }',
      }),
      officer,
    );
    expect([literal.status, await code(literal)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
  });

  it("every custom scalar of the supergraph has an input rule at the gateway (add a new one to the kit's INPUT_SCALARS)", () => {
    const schema = buildSchema(readFileSync(SUPERGRAPH, 'utf8'), { assumeValidSDL: true });
    expect(checkScalarInputs(schema).filter((name) => !name.includes('__'))).toEqual([]);
  });
});

describe('GraphQL over HTTP (graphql-http audit)', () => {
  it('with the response cache on, has no error and no warning that a stock Apollo Server over the same supergraph does not have', async () => {
    const stock = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: readFileSync(SUPERGRAPH, 'utf8') }) });
    const { url: stockUrl } = await startStandaloneServer(stock, { listen: { port: 0, host: '127.0.0.1' } });
    try {
      const summary = (results: AuditResult[]) =>
        results
          .filter((r) => r.status !== 'ok' && r.status !== 'notice')
          .map((r) => `${r.status}: ${r.name}`)
          .sort();
      const ours = await auditServer({ url });
      const theirs = await auditServer({ url: stockUrl });
      expect(ours.filter((r) => r.status === 'error').map((r) => r.name)).toEqual([]);
      expect(summary(ours).filter((line) => !summary(theirs).includes(line))).toEqual([]);
      // Twice: the second audit meets answers the first one cached.
      expect(summary(await auditServer({ url })).filter((line) => !summary(theirs).includes(line))).toEqual([]);
    } finally {
      await stock.stop();
    }
  });
});
