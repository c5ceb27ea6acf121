import { describe, expect, it } from 'vitest';
import { retryOnLostConnection } from '../src/lost-connection';

/** A driver adapter whose first `failures` statements fail as a dropped connection fails. */
function flakyAdapter(failures: number, error: Error) {
  const sent: string[] = [];
  let left = failures;
  const adapter = {
    async queryRaw(query: { sql: string }) {
      sent.push(query.sql);
      if (left > 0) {
        left -= 1;
        throw error;
      }
      return { rows: [[1]] };
    },
  };
  return { sent, factory: { connect: async () => adapter } };
}

const terminated = Object.assign(new Error('terminating connection due to administrator command'), { cause: { kind: 'postgres', originalCode: '57P01' } });
const notQueryable = new Error('Client has encountered a connection error and is not queryable');

describe('reads and BEGIN on a dropped database connection', () => {
  it('are sent once more, for a terminated backend and for a dead pooled client alike', async () => {
    for (const error of [terminated, notQueryable]) {
      const { sent, factory } = flakyAdapter(1, error);
      const adapter = (await retryOnLostConnection(factory, 'test').connect()) as { queryRaw(q: { sql: string }): Promise<unknown> };
      expect(await adapter.queryRaw({ sql: 'SELECT 1' })).toEqual({ rows: [[1]] });
      expect(sent).toEqual(['SELECT 1', 'SELECT 1']);
    }
  });

  it("include a transaction's BEGIN: nothing ran yet", async () => {
    let begins = 0;
    const factory = {
      connect: async () => ({
        async startTransaction() {
          begins += 1;
          if (begins === 1) throw notQueryable;
          return { id: 'tx' };
        },
      }),
    };
    const adapter = (await retryOnLostConnection(factory, 'test').connect()) as { startTransaction(): Promise<unknown> };
    expect(await adapter.startTransaction()).toEqual({ id: 'tx' });
    expect(begins).toBe(2);
  });

  it('are retried once only, and writes and other errors not at all', async () => {
    const twice = flakyAdapter(2, terminated);
    const a = (await retryOnLostConnection(twice.factory, 'test').connect()) as { queryRaw(q: { sql: string }): Promise<unknown> };
    await expect(a.queryRaw({ sql: 'SELECT 1' })).rejects.toThrow(/administrator command/);
    expect(twice.sent).toHaveLength(2);

    const write = flakyAdapter(1, terminated);
    const b = (await retryOnLostConnection(write.factory, 'test').connect()) as { queryRaw(q: { sql: string }): Promise<unknown> };
    await expect(b.queryRaw({ sql: 'INSERT INTO "Hire" DEFAULT VALUES RETURNING id' })).rejects.toThrow();
    expect(write.sent).toHaveLength(1);

    const other = flakyAdapter(1, new Error('relation "Nope" does not exist'));
    const c = (await retryOnLostConnection(other.factory, 'test').connect()) as { queryRaw(q: { sql: string }): Promise<unknown> };
    await expect(c.queryRaw({ sql: 'SELECT * FROM "Nope"' })).rejects.toThrow(/does not exist/);
    expect(other.sent).toHaveLength(1);
  });
});
