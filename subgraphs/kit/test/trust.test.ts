import { afterEach, describe, expect, it, vi } from 'vitest';
import { callerVerifier, generateSigningKeys, signCaller, verifyCaller, type Caller } from '@kopdes/kit';

const ANALYST: Caller = { subject: 'ana', role: 'analyst' };
const OFFICER: Caller = { subject: 'ofi', role: 'officer', ministry: 'financing' };

/** verifyCaller, counting its calls. */
function counted() {
  const calls: string[] = [];
  const verify: typeof verifyCaller = (token, keys) => {
    calls.push(token ?? '');
    return verifyCaller(token, keys);
  };
  return { calls, verify };
}

describe('callerVerifier', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('verifies each token once, and keeps callers of different tokens apart', async () => {
    const keys = await generateSigningKeys();
    const { calls, verify } = counted();
    const check = callerVerifier(keys.publicKey, { verify });
    const analyst = await signCaller(ANALYST, keys.privateKey);
    const officer = await signCaller(OFFICER, keys.privateKey);
    for (let i = 0; i < 3; i++) {
      expect(await check(analyst)).toEqual({ ...ANALYST, ministry: undefined, purpose: undefined });
      expect(await check(officer)).toEqual({ ...OFFICER, purpose: undefined });
    }
    expect(calls).toEqual([analyst, officer]);
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    const keys = await generateSigningKeys();
    const check = callerVerifier(keys.publicKey);
    const token = await signCaller(ANALYST, keys.privateKey, 60);
    expect((await check(token)).role).toBe('analyst');
    vi.setSystemTime(Date.now() + 61_000);
    await expect(check(token)).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/caller token was not accepted \(.*"exp"/),
    });
  });

  it('refuses a remembered token older than five minutes, whatever its expiry', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    const keys = await generateSigningKeys();
    const check = callerVerifier(keys.publicKey);
    const token = await signCaller(ANALYST, keys.privateKey, 3600);
    expect((await check(token)).role).toBe('analyst');
    vi.setSystemTime(Date.now() + 301_000);
    await expect(check(token)).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/"iat"/) });
  });

  it('remembers no failure: a bad token is checked, and refused, every time', async () => {
    const keys = await generateSigningKeys();
    const other = await generateSigningKeys();
    const { calls, verify } = counted();
    const check = callerVerifier(keys.publicKey, { verify });
    const forged = await signCaller({ subject: 'x', role: 'admin' }, other.privateKey);
    await expect(check(forged)).rejects.toMatchObject({ status: 401 });
    await expect(check(forged)).rejects.toMatchObject({ status: 401 });
    await expect(check(undefined)).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/missing x-kopdes-caller/) });
    expect(calls).toEqual([forged, forged, '']);
  });

  it('keeps at most `max` tokens', async () => {
    const keys = await generateSigningKeys();
    const { calls, verify } = counted();
    const check = callerVerifier(keys.publicKey, { max: 2, verify });
    const tokens = await Promise.all(['a', 'b', 'c'].map((subject) => signCaller({ subject, role: 'analyst' }, keys.privateKey)));
    for (const token of tokens) await check(token);
    await check(tokens[0]); // evicted by the third: verified again
    await check(tokens[2]);
    expect(calls).toEqual([...tokens, tokens[0]]);
  });
});
