import { HttpError } from '@kopdes/kit';
import { describe, expect, it } from 'vitest';
import { Pipeline, refusal, type Incoming, type Outcome, type Stage } from '../../src/pipeline';
import { executed, incoming } from './fakes';

interface Counted extends Incoming {
  readonly seen: readonly string[];
}

const mark =
  (name: string): Stage<Counted, Counted> =>
  async (state, next) => {
    const outcome = await next({ ...state, seen: [...state.seen, name] });
    return { ...outcome, operations: [...outcome.operations, `back:${name}`] };
  };

describe('a pipeline', () => {
  it('runs its stages in order, each handing the next a new state, and the outcome back in reverse', async () => {
    const start: Counted = { ...incoming('/graphql'), seen: [] };
    let last: Counted | undefined;
    const run = Pipeline.start<Counted>()
      .then(mark('a'))
      .then(mark('b'))
      .end(async (state) => {
        last = state;
        return { ...executed({ data: {} }), operations: [] };
      });
    const outcome = await run(start);
    expect(last!.seen).toEqual(['a', 'b']);
    expect(start.seen).toEqual([]); // nothing earlier is changed
    expect(outcome.operations).toEqual(['back:b', 'back:a']);
  });

  it('turns a thrown HttpError into a refusal the stages before still see, and hides anything else behind a 500', async () => {
    const refuse: Stage<Counted, Counted> = async () => {
      throw new HttpError(429, 'Slow down.', { 'retry-after': '3' }, 'RATE_LIMITED');
    };
    const outcome = await Pipeline.start<Counted>()
      .then(mark('a'))
      .then(refuse)
      .end(async () => executed({}))({ ...incoming('/'), seen: [] });
    expect(outcome.answer).toMatchObject({ status: 429, headers: { 'retry-after': '3' } });
    expect(JSON.parse(outcome.answer.body as string)).toEqual({ errors: [{ message: 'Slow down.', extensions: { code: 'RATE_LIMITED' } }] });
    expect(outcome).toMatchObject({ refused: 'RATE_LIMITED', operations: ['back:a'], errors: 1 });
    expect(outcome.failure).toBeUndefined();

    const bug = await Pipeline.start<Incoming>().end(async (): Promise<Outcome> => {
      throw new TypeError('oops');
    })(incoming('/'));
    expect(bug.answer.status).toBe(500);
    expect(bug.answer.body).not.toContain('oops');
    expect((bug.failure as Error).message).toBe('oops');
  });

  it('codes a refusal by its status when the error names none', () => {
    expect(refusal(new HttpError(401, 'Who are you?')).refused).toBe('UNAUTHENTICATED');
    expect(refusal(new HttpError(400, 'Bad.')).refused).toBe('BAD_REQUEST');
  });
});
