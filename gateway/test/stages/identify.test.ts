import { HttpError, type Caller } from '@kopdes/kit';
import type { CryptoKey } from 'jose';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../src/stages/identify';
import { executed, incoming } from './fakes';

const ANALYST: Caller = { subject: 'ana', role: 'analyst' };
/** An unsigned token with an expiry (the stage reads `exp`; verification is faked). */
const token = (exp: number) => `Bearer x.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.y`;

function fakes() {
  const calls = { verify: 0, sign: 0 };
  const verify = async (header: string | undefined): Promise<Caller> => {
    calls.verify += 1;
    if (!header) return { subject: 'anonymous', role: 'public' };
    if (header.includes('bad')) throw new HttpError(401, 'Unauthorized: the bearer token is malformed.');
    return ANALYST;
  };
  const sign = async (caller: Caller) => {
    calls.sign += 1;
    return `signed:${caller.subject}:${calls.sign}`;
  };
  return { calls, identity: createIdentity({ audience: 'kopdes-graph' }, {} as CryptoKey, verify, sign) };
}

describe('identify', () => {
  it('decides the caller and the signed caller token, verifying and signing each once', async () => {
    const { calls, identity } = fakes();
    const header = token(Math.floor(Date.now() / 1000) + 600);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await identity.identify(incoming('/graphql', { headers: { authorization: header } }), async (state) => {
        seen.push(`${state.caller.role} ${await state.callerToken()}`);
        return executed({ data: {} });
      });
      expect(outcome.caller).toEqual(ANALYST); // on the way back, for the request log
    }
    expect(seen).toEqual(['analyst signed:ana:1', 'analyst signed:ana:1', 'analyst signed:ana:1']);
    expect(calls).toEqual({ verify: 1, sign: 1 });
  });

  it('does not remember a token past its expiry', async () => {
    const { calls, identity } = fakes();
    const header = token(Math.floor(Date.now() / 1000) - 1);
    for (let i = 0; i < 2; i++) await identity.identify(incoming('/', { headers: { authorization: header } }), async () => executed({}));
    expect(calls.verify).toBe(2);
  });

  it('lets the public through without a token and refuses a bad one with 401', async () => {
    const { identity } = fakes();
    const open = await identity.identify(incoming('/'), async (state) => executed({ data: { role: state.caller.role } }));
    expect(open.answer.body).toBe('{"data":{"role":"public"}}');
    await expect(identity.identify(incoming('/', { headers: { authorization: 'Bearer bad' } }), async () => executed({}))).rejects.toMatchObject({
      status: 401,
    });
  });
});
