import { GraphQLError, buildSchema, getOperationAST, getVariableValues, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkScalarInputs, executionPlugin, formatError } from '../../src/apollo';
import { newExecution } from '../../src/pipeline';

describe('custom scalars at the gateway', () => {
  const schema = () => buildSchema('scalar Rupiah scalar DateTimeISO scalar Other type Query { a(amount: Rupiah, at: DateTimeISO, o: Other): Int }');

  it('refuses a malformed Rupiah in variables and in literals, as a subgraph would, and names scalars it cannot check', () => {
    const s = schema();
    expect(checkScalarInputs(s)).toEqual(['Other']);
    const operation = parse('query ($x: Rupiah) { a(amount: $x) }').definitions[0] as never;
    const { errors } = getVariableValues(s, (operation as { variableDefinitions: never }).variableDefinitions, { x: 1.5 });
    expect(errors?.[0]?.message).toMatch(/Rupiah must be a whole number of rupiah written as a string/);
    expect(getVariableValues(s, (operation as { variableDefinitions: never }).variableDefinitions, { x: '3000000000' }).errors).toBeUndefined();
    expect(validate(s, parse('{ a(amount: 1.5) }'))[0]?.message).toMatch(/Rupiah/);
    expect(validate(s, parse('{ a(at: "not a date") }'))).toHaveLength(1);
    expect(validate(s, parse('{ a(amount: "12", at: "2025-08-01T00:00:00Z") }'))).toEqual([]);
  });
});

describe('the execution plugin', () => {
  async function resolve(document: string, operationName?: string) {
    const execution = newExecution();
    const hooks = await executionPlugin({ errors: { inc: () => {} } } as never).requestDidStart!({ contextValue: { execution } } as never);
    const doc = parse(document);
    const operation = getOperationAST(doc, operationName) ?? undefined; // as Apollo resolves it
    await hooks!.didResolveOperation!({ operationName: operation?.name?.value ?? null, operation, document: doc, request: { operationName } } as never);
    return execution;
  }

  it('records the operation resolved, and refuses an unknown or missing operationName with a 400', async () => {
    expect(await resolve('query A { a }', 'A')).toMatchObject({ operations: ['A'], kinds: ['query'] });
    await expect(resolve('query A { a }', 'B')).rejects.toMatchObject({
      message: 'Unknown operation named "B"; this document defines "A".',
      extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
    });
    const several = resolve('query A { a } query B { a }');
    await expect(several).rejects.toThrow(/defines several operations \("A", "B"\); say which to run with operationName/);
  });

  it('masks internal errors for the client', () => {
    const masked = formatError({ message: 'db password is x', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, new GraphQLError('x'));
    expect(masked.message).toBe('Internal error; it has been logged.');
    expect(formatError({ message: 'Not allowed', extensions: { code: 'FORBIDDEN' } }, new GraphQLError('x')).message).toBe('Not allowed');
  });
});
