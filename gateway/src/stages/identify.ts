import { signCaller, type Caller } from '@kopdes/kit';
import { decodeJwt, type CryptoKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { authenticate, type AuthConfig } from '../auth';
import type { Identified, Incoming, Stage } from '../pipeline';

export interface Identity {
  /** The stage: the bearer token's caller (public without one, 401 for a bad token). */
  identify: Stage<Incoming, Identified>;
  /** A caller signed for the subgraphs (also for callers the gateway makes up itself: warm-up). */
  tokenFor(caller: Caller): Promise<string>;
}

/**
 * Clients send the same bearer token with every request, and the same caller recurs: each token
 * is verified and each caller signed once (crypto was the gateway's largest own cost per request),
 * remembered for at most a minute and never past the token's expiry.
 */
export function createIdentity(auth: AuthConfig, signingKey: CryptoKey, verifyToken = authenticate, sign = signCaller): Identity {
  const verified = new LRUCache<string, Caller>({ max: 10_000 });
  // Caller tokens live 60 s; subgraphs get one at least 30 s from expiry.
  const signed = new LRUCache<string, Promise<string>>({ max: 10_000, ttl: 30_000 });

  async function verify(header: string | undefined): Promise<Caller> {
    if (!header) return verifyToken(header, auth);
    const known = verified.get(header);
    if (known) return known;
    const caller = await verifyToken(header, auth);
    const exp = decodeJwt(header.trim().replace(/^Bearer\s+/i, '')).exp;
    const ttl = Math.min(exp ? exp * 1000 - Date.now() : Infinity, 60_000);
    if (ttl >= 1) verified.set(header, caller, { ttl });
    return caller;
  }

  function tokenFor(caller: Caller): Promise<string> {
    const key = `${caller.role}\u0000${caller.ministry ?? ''}\u0000${caller.purpose ?? ''}\u0000${caller.subject}`;
    let token = signed.get(key);
    if (!token) {
      token = sign(caller, signingKey);
      token.catch(() => signed.delete(key)); // a failure is not remembered
      signed.set(key, token);
    }
    return token;
  }

  return {
    tokenFor,
    async identify(state, next) {
      const caller = await verify(state.headers.get('authorization'));
      const outcome = await next({ ...state, caller, callerToken: () => tokenFor(caller) });
      return { ...outcome, caller };
    },
  };
}
