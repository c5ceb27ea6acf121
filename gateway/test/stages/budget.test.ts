import { describe, expect, it } from 'vitest';
import { MemoryStore, RateLimiter } from '../../src/rate-limit';
import { budget } from '../../src/stages/budget';
import { executed, parsed } from './fakes';

const pass = async () => executed({ data: {} });

describe('budget', () => {
  const counter = () => {
    const counted = { n: 0 };
    return {
      counted,
      metrics: {
        rateLimited: {
          inc: () => {
            counted.n += 1;
          },
        },
      },
    };
  };

  it('takes each operation of a request from its client, says what is left, and refuses with 429 once spent', async () => {
    const { counted, metrics } = counter();
    const stage = budget(
      new RateLimiter({ max: 3, windowMs: 24 * 3600 * 1000, trustProxy: false }, new MemoryStore()),
      { windowMs: 24 * 3600 * 1000 },
      metrics as never,
    );
    const first = await stage(parsed([{ query: '{a}' }, { query: '{b}' }]), pass);
    expect(first.answer.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '1' });
    await stage(parsed({ query: '{a}' }), pass);
    await expect(stage(parsed({ query: '{a}' }), pass)).rejects.toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      headers: { 'retry-after': expect.any(String), 'ratelimit-remaining': '0' },
    });
    expect(counted.n).toBe(1);
    // Another client (a signed-in analyst is counted by subject, not address) has its own budget.
    const analyst = await stage(parsed({ query: '{a}' }, { caller: { subject: 'ana', role: 'analyst' } }), pass);
    expect(analyst.answer.headers['ratelimit-remaining']).toBe('2');
  });

  it('passes everything when rate limiting is off', async () => {
    const { metrics } = counter();
    const outcome = await budget(undefined, { windowMs: 1000 }, metrics as never)(parsed({ query: '{a}' }), pass);
    expect(outcome.answer.headers['ratelimit-limit']).toBeUndefined();
  });
});
