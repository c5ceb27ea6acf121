import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { HttpError } from './http';
import { repoRoot } from './paths';
import type { Caller } from './subgraph';

/**
 * Gateway → subgraph trust. The gateway signs the caller it authenticated into a short-lived
 * EdDSA token sent in `x-kopdes-caller`; subgraphs verify it with the gateway's public key
 * and refuse any GraphQL request without one, so going around the gateway gives nothing.
 */
export const CALLER_HEADER = 'x-kopdes-caller';
const ISSUER = 'kopdes-gateway';
const AUDIENCE = 'kopdes-subgraphs';
const ALG = 'EdDSA';
const ROLES = new Set<Caller['role']>(['public', 'analyst', 'officer', 'admin']);
/** How old a caller token may be, whatever its expiry says. */
const MAX_TOKEN_AGE_S = 300;

export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicKeyPem: string;
}

export async function generateSigningKeys(): Promise<SigningKeys & { privateKeyPem: string }> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
  return { privateKey, publicKey, privateKeyPem: await exportPKCS8(privateKey), publicKeyPem: await exportSPKI(publicKey) };
}

export const devSecretsDir = () => process.env.KOPDES_SECRETS_DIR ?? path.join(repoRoot, '.secrets');

/**
 * Development keys: generated at first start into the git-ignored .secrets/ folder, never
 * committed. Production passes KOPDES_GATEWAY_PRIVATE_KEY(_FILE) / KOPDES_GATEWAY_PUBLIC_KEY(_FILE).
 */
export async function ensureDevSigningKeys(dir = devSecretsDir()): Promise<{ privateKeyFile: string; publicKeyFile: string }> {
  const privateKeyFile = path.join(dir, 'gateway-signing.key.pem');
  const publicKeyFile = path.join(dir, 'gateway-signing.pub.pem');
  if (!existsSync(privateKeyFile) || !existsSync(publicKeyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keys = await generateSigningKeys();
    writeFileSync(privateKeyFile, keys.privateKeyPem, { mode: 0o600 });
    writeFileSync(publicKeyFile, keys.publicKeyPem);
  }
  return { privateKeyFile, publicKeyFile };
}

function pemFromEnv(env: NodeJS.ProcessEnv, name: string, defaultFile: string): string | undefined {
  if (env[name]) return env[name];
  const file = env[`${name}_FILE`] ?? (env.NODE_ENV === 'production' ? undefined : defaultFile);
  return file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----/g;

/**
 * The gateway public keys a subgraph accepts: every PEM block of KOPDES_GATEWAY_PUBLIC_KEY(_FILE).
 * During a signing-key rotation it holds the old and the new key, so replicas of the gateway
 * signing with either are accepted (docs/operations.md).
 */
export async function gatewayPublicKeys(env: NodeJS.ProcessEnv = process.env): Promise<CryptoKey[]> {
  const pem = pemFromEnv(env, 'KOPDES_GATEWAY_PUBLIC_KEY', path.join(devSecretsDir(), 'gateway-signing.pub.pem'));
  if (!pem) return [];
  const blocks = pem.match(PEM_BLOCK);
  if (!blocks)
    throw new Error(
      'KOPDES_GATEWAY_PUBLIC_KEY holds no "-----BEGIN PUBLIC KEY-----" block; give the gateway\'s Ed25519 public key (SPKI PEM), or two during a rotation.',
    );
  return Promise.all(blocks.map((block) => importSPKI(block, ALG)));
}

/** The first configured gateway public key. */
export async function gatewayPublicKey(env: NodeJS.ProcessEnv = process.env): Promise<CryptoKey | undefined> {
  return (await gatewayPublicKeys(env))[0];
}

export async function gatewayPrivateKey(env: NodeJS.ProcessEnv = process.env): Promise<CryptoKey | undefined> {
  const pem = pemFromEnv(env, 'KOPDES_GATEWAY_PRIVATE_KEY', path.join(devSecretsDir(), 'gateway-signing.key.pem'));
  return pem ? importPKCS8(pem, ALG) : undefined;
}

export async function signCaller(caller: Caller, privateKey: CryptoKey, ttlSeconds = 60): Promise<string> {
  return new SignJWT({ role: caller.role, ...(caller.ministry ? { ministry: caller.ministry } : {}), ...(caller.purpose ? { purpose: caller.purpose } : {}) })
    .setProtectedHeader({ alg: ALG })
    .setSubject(caller.subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(privateKey);
}

/** jwtVerify with each accepted key in turn: only a signature made with another key moves on to the next. */
async function verifyWithAny(token: string, keys: CryptoKey[]) {
  for (const [i, key] of keys.entries()) {
    try {
      return await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG], maxTokenAge: MAX_TOKEN_AGE_S, requiredClaims: ['exp'] });
    } catch (error) {
      if (i === keys.length - 1 || (error as { code?: string }).code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw error;
    }
  }
  throw new Error('no gateway key is configured');
}

/** Verifies a caller token; any of the accepted gateway keys (two during a rotation) may have signed it. */
export async function verifyCaller(token: string | undefined, publicKeys: CryptoKey | CryptoKey[]): Promise<Caller> {
  if (!token) throw new HttpError(401, `This subgraph answers only requests forwarded by the gateway (missing ${CALLER_HEADER}). Query the gateway instead.`);
  try {
    const { payload } = await verifyWithAny(token, [publicKeys].flat());
    const role = payload.role as Caller['role'];
    if (!ROLES.has(role)) throw new Error(`unknown role ${String(role)}`);
    return {
      subject: String(payload.sub ?? 'unknown'),
      role,
      ministry: typeof payload.ministry === 'string' ? payload.ministry : undefined,
      purpose: typeof payload.purpose === 'string' ? payload.purpose : undefined,
    };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(401, `The gateway's caller token was not accepted (${(error as Error).message}).`);
  }
}

export type CallerVerifier = (token: string | undefined) => Promise<Caller>;

/**
 * verifyCaller, remembered per token string: the gateway reuses one token per caller for 30 s, and
 * checking its signature again was a tenth of a subgraph request's CPU. A token is remembered only
 * once verified, and only until it expires or grows older than the 5 minutes any token may live, so
 * nothing is accepted from the cache that verifyCaller would refuse; at most `max` tokens are kept.
 */
export function callerVerifier(publicKeys: CryptoKey | CryptoKey[], { max = 1000, verify = verifyCaller } = {}): CallerVerifier {
  const verified = new LRUCache<string, { caller: Caller; until: number }>({ max });
  return async (token) => {
    if (!token) return verify(token, publicKeys);
    const known = verified.get(token);
    if (known && Date.now() < known.until) return known.caller;
    const caller = await verify(token, publicKeys);
    const { exp, iat } = decodeJwt(token);
    const until = Math.min(exp === undefined ? Infinity : exp * 1000, iat === undefined ? Infinity : (iat + MAX_TOKEN_AGE_S) * 1000);
    if (Number.isFinite(until)) verified.set(token, { caller, until });
    return caller;
  };
}
