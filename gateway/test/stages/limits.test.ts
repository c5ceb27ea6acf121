import { describe, expect, it } from 'vitest';
import { limits } from '../../src/stages/limits';
import { executed, parsed } from './fakes';

const pass = async () => executed({ data: {} });

describe('limits', () => {
  it('refuses a batch longer than MAX_BATCH_SIZE before anything else runs', async () => {
    const op = { query: '{ a }' };
    const stage = limits({ maxBatchSize: 2 });
    expect((await stage(parsed([op, op]), pass)).answer.status).toBe(200);
    await expect(stage(parsed([op, op, op]), pass)).rejects.toMatchObject({
      status: 400,
      code: 'BATCH_TOO_LARGE',
      message: expect.stringMatching(/^Batch of 3 operations; at most 2/),
    });
  });
});
