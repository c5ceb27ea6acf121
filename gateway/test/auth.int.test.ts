import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPair, exportJWK, decodeJwt, SignJWT } from 'jose';
import { generateSigningKeys, HttpError } from '@kopdes/kit';
import { describe, expect, it } from 'vitest';
import { authConfigFromEnv, authenticate, type AuthConfig } from '../src/auth';

/** Token hardening: issuer and audience required in production, `exp` required, a bounded lifetime. */
const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const secret = new TextEncoder().encode('auth-test-secret-0123456789-0123456789');
const config: AuthConfig = { audience: 'kopdes-graph', hs256Secret: secret, maxLifetimeSeconds: 3600 };

async function token(claims: { exp?: number; iat?: number; purpose?: unknown } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ role: 'analyst', ...(claims.purpose !== undefined ? { purpose: claims.purpose } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('auth-test')
    .setAudience('kopdes-graph')
    .setIssuedAt(claims.iat ?? now);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return `Bearer ${await jwt.sign(secret)}`;
}

async function refusal(header: string): Promise<string> {
  const error = await authenticate(header, config).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  expect((error as HttpError).status).toBe(401);
  return (error as HttpError).message;
}

describe('bearer tokens', () => {
  const now = Math.floor(Date.now() / 1000);

  it('are accepted within the lifetime, with their purpose', async () => {
    expect(await authenticate(await token({ exp: now + 3000, purpose: 'data-protection-oversight' }), config)).toEqual({
      subject: 'auth-test',
      role: 'analyst',
      ministry: undefined,
      purpose: 'data-protection-oversight',
    });
  });

  it('without exp are refused', async () => {
    expect(await refusal(await token())).toBe(
      'Unauthorized: the bearer token has no expiry ("exp" claim), and tokens that never expire are refused; get one that expires.',
    );
  });

  it('living longer than the maximum are refused, by exp - iat and by exp - now', async () => {
    expect(await refusal(await token({ exp: now + 7200 }))).toBe(
      'Unauthorized: the bearer token is valid for 2 h; this gateway accepts at most 1 h (AUTH_MAX_TOKEN_HOURS). Get a shorter-lived token.',
    );
    // An issue time in the past makes a long token look old, not short.
    expect(await refusal(await token({ iat: now - 86_400, exp: now + 1800 }))).toMatch(/valid for 24\.5 h; this gateway accepts at most 1 h/);
    // Without iat the lifetime left counts.
    const noIat = `Bearer ${await new SignJWT({ role: 'analyst' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('kopdes-graph')
      .setExpirationTime(now + 5400)
      .sign(secret)}`;
    expect(decodeJwt(noIat.slice(7)).iat).toBeUndefined();
    expect(await refusal(noIat)).toMatch(/valid for 1\.5 h/);
  });

  it('with a purpose that is not a code are refused', async () => {
    expect(await refusal(await token({ exp: now + 60, purpose: ['a', 'b'] }))).toMatch(
      /the token's "purpose" claim must be the code of a registered purpose of use/,
    );
  });
});

describe('authentication settings', () => {
  const jwksFile = async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kopdes-auth-'));
    const { publicKey } = await generateKeyPair('ES256');
    const file = path.join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'test' }] }));
    return file;
  };

  it('in production require AUTH_ISSUER and AUTH_AUDIENCE, saying what to set', async () => {
    const AUTH_JWKS_FILE = await jwksFile();
    expect(() => authConfigFromEnv({ NODE_ENV: 'production', AUTH_JWKS_FILE })).toThrow(
      /^In production the gateway accepts only tokens that a named identity provider issued for this graph: set AUTH_ISSUER and AUTH_AUDIENCE \(AUTH_ISSUER: the "iss"/,
    );
    expect(() => authConfigFromEnv({ NODE_ENV: 'production', AUTH_JWKS_FILE, AUTH_ISSUER: 'https://sso.example.go.id' })).toThrow(/: set AUTH_AUDIENCE \(/);
    expect(
      authConfigFromEnv({
        NODE_ENV: 'production',
        AUTH_JWKS_FILE,
        AUTH_ISSUER: 'https://sso.example.go.id',
        AUTH_AUDIENCE: 'kopdes-graph',
        AUTH_MAX_TOKEN_HOURS: '0.5',
      }),
    ).toMatchObject({ issuer: 'https://sso.example.go.id', audience: 'kopdes-graph', maxLifetimeSeconds: 1800 });
    expect(() => authConfigFromEnv({ AUTH_HS256_SECRET: 'x', AUTH_MAX_TOKEN_HOURS: 'forever' })).toThrow(
      'AUTH_MAX_TOKEN_HOURS must be a positive number of hours (e.g. 1 or 0.25); got "forever".',
    );
  });

  it('stop a production gateway from starting without them', async () => {
    const keys = await generateSigningKeys();
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      KOPDES_LOG: '',
      AUTH_JWKS_FILE: await jwksFile(),
      AUTH_ISSUER: '',
      AUTH_AUDIENCE: '',
      KOPDES_GATEWAY_PRIVATE_KEY: keys.privateKeyPem,
      SUPERGRAPH_WATCH: 'false',
      RESPONSE_CACHE_WARM: 'false',
    };
    const started = await run(process.execPath, ['--import', 'tsx', 'gateway/src/index.ts'], { cwd: repo, env, timeout: 60_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((started as { code?: number }).code).toBe(1);
    expect((started as { stderr: string }).stderr).toMatch(/gateway failed to start.*set AUTH_ISSUER and AUTH_AUDIENCE/);
  }, 90_000);
});

describe('npm run token', () => {
  const token = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
      cwd: repo,
      env: { ...process.env, NODE_ENV: '', AUTH_MAX_TOKEN_HOURS: '' },
    }).then(
      ({ stdout }) => ({ code: 0, out: stdout.trim() }),
      (e: { code: number; stderr: string }) => ({ code: e.code, out: e.stderr.trim() }),
    );

  it('takes --hours as the lifetime (not as a ministry) and --purpose as a registered purpose', async () => {
    const analyst = await token('analyst', '--hours', '1');
    expect(analyst.code).toBe(0);
    const claims = decodeJwt(analyst.out);
    expect(claims).toMatchObject({ role: 'analyst', sub: 'dev-analyst' });
    expect(claims.ministry).toBeUndefined();
    expect(claims.exp! - claims.iat!).toBe(3600);
    const officer = decodeJwt((await token('officer', 'cooperatives', '--purpose', 'board-training-outreach')).out);
    expect(officer).toMatchObject({ role: 'officer', ministry: 'cooperatives', purpose: 'board-training-outreach' });
  }, 120_000);

  it('refuses mistakes with a message and exit code 2', async () => {
    // One process each (they may run side by side: none writes anything).
    const cases = [
      [['analyst', '--hours'], /argument missing/],
      [['analyst', '--hours', 'two'], /--hours must be a positive number of hours/],
      [['analyst', '--hours', '13'], /longer than the gateway accepts \(AUTH_MAX_TOKEN_HOURS = 12\)/],
      [['analyst', 'financing'], /Only officers act for a ministry; an analyst token takes no "financing"/],
      [['officer', 'cooperatives', '--purpose', 'curiosity'], /"curiosity" is not a registered purpose of use/],
      [
        ['admin', '--purpose', 'registry-board-verification'],
        /Purpose "registry-board-verification" is not agreed for admin\. Yours: data-protection-oversight/,
      ],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => token(...args)));
    cases.forEach(([args, message], i) => {
      expect(results[i]!.code, args.join(' ')).toBe(2);
      expect(results[i]!.out, args.join(' ')).toMatch(message);
    });
  }, 240_000);
});
