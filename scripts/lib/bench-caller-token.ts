/**
 * The caller token for gateways that do not sign callers themselves (stock Apollo, Hive):
 * one static `x-kopdes-caller` header for the bench analyst, re-minted every minute in the
 * background because subgraphs accept a token for 5 minutes after it was issued. Signing is
 * off the request path. Only jose is imported, so the gateway processes that use this carry
 * nothing of the kit in their memory figures.
 */
import { importPKCS8, SignJWT } from 'jose';

export const CALLER_HEADER = 'x-kopdes-caller';
export const BENCH_ANALYST = { subject: 'bench-analyst', role: 'analyst' } as const;

/** The claims of subgraphs/kit/src/trust.ts signCaller; the bench's response check fails loudly if they drift. */
async function sign(key: CryptoKey): Promise<string> {
  return new SignJWT({ role: BENCH_ANALYST.role })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(BENCH_ANALYST.subject)
    .setIssuer('kopdes-gateway')
    .setAudience('kopdes-subgraphs')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}

export async function refreshingCallerToken(privateKeyPem: string, onToken: (token: string) => void, everyMs = 60_000): Promise<void> {
  const key = await importPKCS8(privateKeyPem, 'EdDSA');
  onToken(await sign(key));
  setInterval(() => void sign(key).then(onToken), everyMs).unref();
}
