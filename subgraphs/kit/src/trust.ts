import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, jwtVerify, SignJWT, type CryptoKey } from 'jose';
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
  if (!blocks) throw new Error('KOPDES_GATEWAY_PUBLIC_KEY holds no "-----BEGIN PUBLIC KEY-----" block; give the gateway\'s Ed25519 public key (SPKI PEM), or two during a rotation.');
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
      return await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG], maxTokenAge: '5m', requiredClaims: ['exp'] });
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
      subject: String(payload.sub ?? 'unknown'), role,
      ministry: typeof payload.ministry === 'string' ? payload.ministry : undefined,
      purpose: typeof payload.purpose === 'string' ? payload.purpose : undefined,
    };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(401, `The gateway's caller token was not accepted (${(error as Error).message}).`);
  }
}
