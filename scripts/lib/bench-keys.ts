/**
 * Keys the benchmark makes for itself, fresh for each run and never written outside a temp
 * folder: the gateway's caller-signing pair (Ed25519, as in production) and an identity
 * provider's RSA key whose public JWKS the gateway trusts, for the analyst's bearer token.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { generateSigningKeys } from '@kopdes/kit';
import { BENCH_ANALYST } from './bench-caller-token';

export interface BenchKeys {
  callerPrivateKeyPem: string;
  callerPublicKeyPem: string;
  jwksFile: string;
  /** `Authorization` header value: an analyst's RS256 bearer token, valid for the gateway's longest lifetime (12 h). */
  authorization: string;
  /** What a production gateway must be told to accept that token: the JWKS, the issuer and the audience. */
  gatewayAuthEnv: { AUTH_JWKS_FILE: string; AUTH_ISSUER: string; AUTH_AUDIENCE: string };
}

/** The bench's own identity provider (a name, never contacted). */
const BENCH_ISSUER = 'https://idp.bench.kopdes.invalid';
const AUDIENCE = 'kopdes-graph';

export async function createBenchKeys(dir: string): Promise<BenchKeys> {
  const caller = await generateSigningKeys();
  // RS256: what most identity providers (Keycloak, Azure AD, Google) sign with by default.
  const idp = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(idp.publicKey)), kid: 'bench-idp', alg: 'RS256', use: 'sig' };
  const jwksFile = path.join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  const bearer = await new SignJWT({ role: BENCH_ANALYST.role })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-idp' })
    .setSubject(BENCH_ANALYST.subject)
    .setIssuer(BENCH_ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(idp.privateKey);
  return {
    callerPrivateKeyPem: caller.privateKeyPem,
    callerPublicKeyPem: caller.publicKeyPem,
    jwksFile,
    authorization: `Bearer ${bearer}`,
    gatewayAuthEnv: { AUTH_JWKS_FILE: jwksFile, AUTH_ISSUER: BENCH_ISSUER, AUTH_AUDIENCE: AUDIENCE },
  };
}
