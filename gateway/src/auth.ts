import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { devSecretsDir, HttpError, type Caller } from '@kopdes/kit';

/** How the gateway verifies bearer tokens: a JWKS (file or URL), or an HS256 secret in development. */
export interface AuthConfig {
  audience: string;
  issuer?: string;
  jwks?: JWTVerifyGetKey;
  hs256Secret?: Uint8Array;
  /** Longest lifetime accepted (exp - iat, and exp - now); default 12 hours. */
  maxLifetimeSeconds?: number;
}

/** Default AUTH_MAX_TOKEN_HOURS: a working day; identity providers usually issue far shorter tokens. */
export const DEFAULT_MAX_TOKEN_HOURS = 12;

export function maxTokenHours(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AUTH_MAX_TOKEN_HOURS;
  if (raw === undefined || raw === '') return DEFAULT_MAX_TOKEN_HOURS;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error(`AUTH_MAX_TOKEN_HOURS must be a positive number of hours (e.g. 1 or 0.25); got "${raw}".`);
  return hours;
}

const PURPOSE = /^[a-z0-9][a-z0-9-]{2,63}$/;

const ROLES = new Set(['analyst', 'officer', 'admin']);
export const PUBLIC_CALLER: Caller = { subject: 'anonymous', role: 'public' };

/** The development HS256 secret: generated at first start into .secrets/, never committed. */
export function devHs256Secret(dir = devSecretsDir()): Uint8Array {
  const file = path.join(dir, 'dev-jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const production = env.NODE_ENV === 'production';
  if (production) {
    const missing = ['AUTH_ISSUER', 'AUTH_AUDIENCE'].filter((name) => !env[name]?.trim());
    if (missing.length) {
      throw new Error(
        `In production the gateway accepts only tokens that a named identity provider issued for this graph: set ${missing.join(' and ')}` +
          ' (AUTH_ISSUER: the "iss" of your identity provider\'s tokens, e.g. https://sso.example.go.id/realms/kopdes; AUTH_AUDIENCE: the "aud" it issues for this graph, e.g. kopdes-graph).',
      );
    }
  }
  const config: AuthConfig = {
    audience: env.AUTH_AUDIENCE?.trim() || 'kopdes-graph',
    issuer: env.AUTH_ISSUER?.trim() || undefined,
    maxLifetimeSeconds: maxTokenHours(env) * 3600,
  };
  if (env.AUTH_JWKS_FILE) config.jwks = createLocalJWKSet(JSON.parse(readFileSync(env.AUTH_JWKS_FILE, 'utf8')));
  else if (env.AUTH_JWKS_URL) config.jwks = createRemoteJWKSet(new URL(env.AUTH_JWKS_URL));
  else if (env.AUTH_HS256_SECRET) {
    if (production) throw new Error('AUTH_HS256_SECRET is for development only; configure AUTH_JWKS_FILE or AUTH_JWKS_URL in production.');
    config.hs256Secret = new TextEncoder().encode(env.AUTH_HS256_SECRET);
  } else if (!production) config.hs256Secret = devHs256Secret();
  else throw new Error('No token verification key: set AUTH_JWKS_FILE or AUTH_JWKS_URL.');
  return config;
}

function explain(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the bearer token has expired; get a new one';
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing') {
    return 'the bearer token has no expiry ("exp" claim), and tokens that never expire are refused; get one that expires';
  }
  if (error instanceof errors.JWTClaimValidationFailed) return `the bearer token's "${error.claim}" claim is not accepted (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return 'the bearer token is not signed by a trusted key';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSEError) return 'the bearer token is malformed';
  return (error as Error).message;
}

/** Refuses a token that lives longer than the gateway allows: from its issue, and from now (a future `iat` buys nothing). */
function checkLifetime(exp: number, iat: number | undefined, maxSeconds: number): void {
  const now = Date.now() / 1000;
  const lifetime = Math.max(exp - now, iat === undefined ? 0 : exp - iat);
  if (lifetime > maxSeconds) {
    const hours = (seconds: number) => `${Math.round((seconds / 3600) * 100) / 100} h`;
    throw new HttpError(
      401,
      `Unauthorized: the bearer token is valid for ${hours(lifetime)}; this gateway accepts at most ${hours(maxSeconds)} (AUTH_MAX_TOKEN_HOURS). Get a shorter-lived token.`,
    );
  }
}

/** The caller behind an Authorization header: public without one, 401 for any bad token. */
export async function authenticate(header: string | undefined, config: AuthConfig): Promise<Caller> {
  if (!header) return PUBLIC_CALLER;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new HttpError(401, 'Authorization must be "Bearer <token>".');
  try {
    const options = { audience: config.audience, issuer: config.issuer, requiredClaims: ['exp'] };
    const { payload } = config.jwks
      ? await jwtVerify(match[1]!, config.jwks, options)
      : await jwtVerify(match[1]!, config.hs256Secret!, { ...options, algorithms: ['HS256'] });
    checkLifetime(payload.exp!, payload.iat, config.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_HOURS * 3600);
    const role = String(payload.role ?? '');
    if (!ROLES.has(role)) throw new HttpError(401, `Unauthorized: the token's role "${role}" is not one of analyst, officer, admin.`);
    if (role === 'officer' && typeof payload.ministry !== 'string')
      throw new HttpError(401, 'Unauthorized: an officer token needs a "ministry" claim naming the subgraph it keeps (e.g. "financing").');
    const purpose = payload.purpose;
    if (purpose !== undefined && (typeof purpose !== 'string' || !PURPOSE.test(purpose))) {
      throw new HttpError(
        401,
        'Unauthorized: the token\'s "purpose" claim must be the code of a registered purpose of use (schema/purposes.json), e.g. "registry-board-verification".',
      );
    }
    return {
      subject: String(payload.sub ?? 'unknown'),
      role: role as Caller['role'],
      ministry: typeof payload.ministry === 'string' ? payload.ministry : undefined,
      ...(purpose ? { purpose } : {}),
    };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(401, `Unauthorized: ${explain(error)}.`);
  }
}
