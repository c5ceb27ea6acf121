import { describe, expect, it } from 'vitest';
import { operationLabel, requestLog } from '../../src/stages/observe';
import { executed, incoming } from './fakes';

describe('observe', () => {
  it('labels a request by the operations run, else those declared, else anonymous', () => {
    expect(operationLabel(executed({}))).toBe('Q');
    expect(operationLabel({ ...executed({}), operations: [], declared: ['A', 'B'] })).toBe('A,B');
    expect(operationLabel(undefined)).toBe('anonymous');
  });

  it('logs one line per request with the caller, errors and cache outcome', () => {
    const outcome = {
      ...executed({}),
      caller: { subject: 'o', role: 'officer' as const, ministry: 'energy' },
      errors: 2,
      subgraphErrors: ['energy'],
      cache: 'miss' as const,
    };
    expect(requestLog({ state: incoming('/graphql', { method: 'POST' }), outcome, status: 200, seconds: 0.01234, aborted: false })).toEqual({
      requestId: 'test-request',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      method: 'POST',
      operation: 'Q',
      status: 200,
      durationMs: 12.3,
      role: 'officer',
      ministry: 'energy',
      errors: 2,
      subgraphErrors: ['energy'],
      cache: 'miss',
    });
    expect(requestLog({ state: incoming('/graphql'), status: 499, seconds: 0, aborted: true })).toMatchObject({
      role: 'public',
      aborted: true,
      operation: 'anonymous',
    });
  });
});
