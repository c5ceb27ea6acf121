import path from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  BoundsRefusal,
  checkDocument,
  checkVariables,
  DEFAULT_DOCUMENT_BOUNDS,
  documentBoundsFromEnv,
  DocumentGuard,
  repoRoot,
  scanJson,
  SUBGRAPH_DOCUMENT_BOUNDS,
  type DocumentBounds,
} from '@kopdes/kit';
import { loadOperations } from '../../../gateway/src/operations';
import { HOSTILE_REQUESTS } from '../../../scripts/lib/hostile-documents';

/** Document bounds, without I/O: what passes, what is refused with which code, and that verdicts are remembered. */

const codeOf = (query: string, bounds: DocumentBounds = DEFAULT_DOCUMENT_BOUNDS) => checkDocument(query, bounds)?.code;

/** The code a guard refuses a raw request body with, or 'PASS'. */
function refusalOf(guard: DocumentGuard, body: string): string {
  try {
    guard.checkRequest({ method: 'POST', search: '', body: guard.parseBody(body) });
    return 'PASS';
  } catch (error) {
    if (!(error instanceof BoundsRefusal)) throw error;
    return String(error.code);
  }
}

const registered = loadOperations(path.join(repoRoot, 'schema/operations'));
const introspection = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});

describe('document bounds', () => {
  it("let every registered operation and GraphiQL's introspection query through, at the gateway and in a subgraph", () => {
    expect(registered.length).toBeGreaterThan(20);
    for (const bounds of [DEFAULT_DOCUMENT_BOUNDS, SUBGRAPH_DOCUMENT_BOUNDS]) {
      for (const { name, document } of [...registered, { name: 'introspection', document: introspection }]) {
        expect({ name, refusal: checkDocument(document, bounds)?.message }).toEqual({ name, refusal: undefined });
      }
    }
  });

  it('refuse each hostile request of the corpus with the code naming its bound (a syntax error is left to the server)', () => {
    expect(HOSTILE_REQUESTS.length).toBeGreaterThanOrEqual(20);
    const gateway = new DocumentGuard(DEFAULT_DOCUMENT_BOUNDS);
    const subgraph = new DocumentGuard(SUBGRAPH_DOCUMENT_BOUNDS);
    for (const hostile of HOSTILE_REQUESTS) {
      const body = hostile.body();
      const expected = (code: string) => (code === 'GRAPHQL_PARSE_FAILED' ? 'PASS' : code);
      expect({ name: hostile.name, gateway: refusalOf(gateway, body), subgraph: refusalOf(subgraph, body) }).toEqual({
        name: hostile.name,
        gateway: expected(hostile.gateway),
        subgraph: expected(hostile.subgraph),
      });
    }
  });

  it('refuse one over each bound and accept the bound itself', () => {
    const cases: [Partial<DocumentBounds>, string, string, string][] = [
      [{ maxSelectionFields: 5 }, '{ a b c d e }', '{ a b c d e f }', 'SELECTION_TOO_WIDE'],
      [
        { maxSelectionFields: 5 },
        '{ a: b(x: { y: 1, z: 2 }) @s(if: true) c: d ...F ... on T { e f g h i } j }',
        '{ a: b(x: { y: 1, z: 2 }) @s(if: true) c: d ...F ... on T { e f g h i } j k }',
        'SELECTION_TOO_WIDE',
      ],
      [{ maxSelectionFields: 2 }, '{ a: b c: d }', '{ a: b c: d e }', 'SELECTION_TOO_WIDE'],
      [{ maxNesting: 4 }, '{ a { b { c { d } } } }', '{ a { b { c { d { e } } } } }', 'TOO_DEEPLY_NESTED'],
      [{ maxNesting: 4 }, '{ a(x: [[["y"]]]) }', '{ a(x: [[[["y"]]]]) }', 'TOO_DEEPLY_NESTED'],
      [
        { maxNesting: 4 },
        '{ a { ...F } } fragment F on Q { b { c { ...G } } } fragment G on Q { d }',
        '{ a { ...F } } fragment F on Q { b { c { ...G } } } fragment G on Q { d { e } }',
        'TOO_DEEPLY_NESTED',
      ],
      [{ maxFields: 8 }, '{ ...F ...F } fragment F on Q { a b c d }', '{ ...F ...F x } fragment F on Q { a b c d }', 'TOO_MANY_FIELDS'],
      [
        { maxFragments: 2 },
        '{ a } fragment F on Q { a } fragment G on Q { a }',
        '{ a } fragment F on Q { a } fragment G on Q { a } fragment H on Q { a }',
        'TOO_MANY_FRAGMENTS',
      ],
      [{ maxOperations: 2 }, 'query A { a } query B { a }', 'query A { a } query B { a } query C { a }', 'TOO_MANY_OPERATIONS'],
      [{ maxVariables: 2 }, 'query A($a: Int, $b: Int) { a }', 'query A($a: Int, $b: Int, $c: Int) { a }', 'TOO_MANY_VARIABLES'],
      [{ maxArguments: 2 }, '{ a(x: 1, y: 2) }', '{ a(x: 1, y: 2, z: 3) }', 'TOO_MANY_ARGUMENTS'],
      [
        { maxNodeDirectives: 2 },
        '{ a @skip(if: false) @include(if: true) }',
        '{ a @skip(if: false) @skip(if: false) @include(if: true) }',
        'TOO_MANY_DIRECTIVES',
      ],
      [{ maxDirectives: 3 }, '{ a @s @t b @u }', '{ a @s @t b @u c @v }', 'TOO_MANY_DIRECTIVES'],
      [{ maxLiteralLength: 5 }, '{ a(x: "abc") }', '{ a(x: "abcd") }', 'LITERAL_TOO_LONG'],
      [{ maxLiteralLength: 5 }, '{ abcde }', '{ abcdef }', 'LITERAL_TOO_LONG'],
      [{ maxDocumentLength: 200 }, `{ a } # ${'x'.repeat(192)}`, `{ a } # ${'x'.repeat(193)}`, 'DOCUMENT_TOO_LARGE'],
      [{ maxTokens: 40 }, `{ a(x: [${' 1'.repeat(31)} ]) }`, `{ a(x: [${' 1'.repeat(32)} ]) }`, 'TOO_MANY_TOKENS'],
    ];
    for (const [tightened, within, over, code] of cases) {
      const bounds = { ...DEFAULT_DOCUMENT_BOUNDS, ...tightened };
      expect({ within, code: codeOf(within, bounds) }).toEqual({ within, code: undefined });
      expect({ over, code: codeOf(over, bounds) }).toEqual({ over, code });
    }
  });

  it('say which bound and how to stay under it; MAX_TOKENS is worded as the parser limit always was', () => {
    expect(checkDocument(`{ provinces { ${'code '.repeat(200)}} }`, DEFAULT_DOCUMENT_BOUNDS)?.message).toBe(
      'A selection set at line 1 has 200 selections; the limit is 128 (MAX_SELECTION_FIELDS). Select each field once; ask for a list field instead of many aliases.',
    );
    // Far over: refused from the lexer's count, before the parser builds 4,000 nodes.
    expect(checkDocument(`{ provinces { ${'code '.repeat(4_000)}} }`, DEFAULT_DOCUMENT_BOUNDS)?.message).toBe(
      'A selection set at line 1 has more than 128 selections; the limit is 128 (MAX_SELECTION_FIELDS). Select each field once; ask for a list field instead of many aliases.',
    );
    expect(checkDocument(`{ provinces { ${'code '.repeat(10_001)}} }`, DEFAULT_DOCUMENT_BOUNDS)?.message).toBe(
      'Query has more than 10000 tokens (MAX_TOKENS). Send a shorter document: move long literal lists into variables, or split it.',
    );
    expect(checkDocument(`{ p { ${'code '.repeat(600)}} }`, SUBGRAPH_DOCUMENT_BOUNDS)?.message).toMatch(/\(SUBGRAPH_MAX_SELECTION_FIELDS\)/);
    expect(checkDocument('{ ...A } fragment A on Q { ...B } fragment B on Q { c ...A }', DEFAULT_DOCUMENT_BOUNDS)?.message).toBe(
      'Fragments spread each other in a cycle (A → B → A); a fragment cannot contain itself. Remove the cycle.',
    );
  });

  it("count a fragment bomb's fields without expanding it (10^60 fields: refused at once)", () => {
    const levels = Array.from({ length: 60 }, (_, i) => `fragment B${i + 1} on Q { ${`...B${i} `.repeat(10)}}`).join(' ');
    expect(codeOf(`{ ...B60 } fragment B0 on Q { a } ${levels}`, { ...DEFAULT_DOCUMENT_BOUNDS, maxFragments: 100 })).toBe('TOO_MANY_FIELDS');
  });

  it('leave a document that does not parse to the server (its syntax error is the answer)', () => {
    expect(codeOf('{ provinces { co\u200bde } }')).toBeUndefined();
    expect(codeOf('{ provinces { code }')).toBeUndefined();
    expect(codeOf('\ufeff{ provinces { code } }')).toBeUndefined();
  });

  it("bound the variables' JSON: depth before JSON.parse, values after", () => {
    expect(scanJson('{"a":"[[[[[[{{{{{\\",[[[["}', 1)).toEqual({ tooDeep: false, commas: 0 });
    expect(scanJson('{"a":[{"b":[]}]}', 3).tooDeep).toBe(true);
    expect(scanJson('{"a":[{"b":[1,2]}],"c":3}', 4)).toEqual({ tooDeep: false, commas: 2 });
    const bounds = { ...DEFAULT_DOCUMENT_BOUNDS, maxVariablesDepth: 3, maxVariableValues: 6 };
    expect(checkVariables({ a: { b: [1] } }, bounds)).toBeUndefined();
    expect(checkVariables({ a: { b: [[1]] } }, bounds)?.code).toBe('VARIABLES_TOO_DEEP');
    expect(checkVariables({ a: [1, 2, 3, 4] }, bounds)?.code).toBeUndefined(); // six values: the object, the list, four numbers
    expect(checkVariables({ a: [1, 2, 3, 4, 5] }, bounds)?.code).toBe('VARIABLES_TOO_LARGE');
    const guard = new DocumentGuard(bounds);
    expect(refusalOf(guard, JSON.stringify({ query: '{ a }', variables: { a: { b: { c: { d: 1 } } } } }))).toBe('VARIABLES_TOO_DEEP');
    // Refused from its commas before JSON.parse, or after it by the walk: the same answer.
    const large = new DocumentGuard({ ...DEFAULT_DOCUMENT_BOUNDS, maxVariableValues: 100 });
    expect(refusalOf(large, JSON.stringify({ query: '{ a }', variables: { ids: Array.from({ length: 200 }, (_, i) => i) } }))).toBe('VARIABLES_TOO_LARGE');
    expect(refusalOf(large, JSON.stringify({ query: '{ a }', variables: { ids: Array.from({ length: 100 }, (_, i) => i) } }))).toBe('VARIABLES_TOO_LARGE');
    expect(refusalOf(large, JSON.stringify({ query: '{ a }', variables: { ids: Array.from({ length: 98 }, (_, i) => i) } }))).toBe('PASS');
    expect(() =>
      guard.checkRequest({
        method: 'GET',
        search: `?query=${encodeURIComponent('{ a }')}&variables=${encodeURIComponent('{"a":[1,2,3,4,5,6]}')}`,
        body: undefined,
      }),
    ).toThrow(/MAX_VARIABLE_VALUES/);
  });

  it("remember each distinct document's verdict (a repeat is one lookup) in a bounded LRU", () => {
    const guard = new DocumentGuard({ ...DEFAULT_DOCUMENT_BOUNDS, cacheEntries: 2 });
    const wide = `{ provinces { ${'code '.repeat(200)}} }`;
    const first = guard.document(wide);
    expect(first?.code).toBe('SELECTION_TOO_WIDE');
    expect(guard.document(wide)).toBe(first); // the same refusal object: not checked again
    guard.document('{ a }');
    guard.document('{ b }'); // a third distinct document evicts the least recently used
    expect(guard.document(wide)).not.toBe(first);
    expect(guard.document(wide)?.code).toBe('SELECTION_TOO_WIDE');
  });

  it('read their configuration from the environment; a subgraph reads SUBGRAPH_-prefixed variables; DOCUMENT_BOUNDS=false turns them off', () => {
    expect(documentBoundsFromEnv({})).toEqual(DEFAULT_DOCUMENT_BOUNDS);
    expect(documentBoundsFromEnv({ MAX_FIELDS: '300', MAX_TOKENS: '2000' })).toMatchObject({ maxFields: 300, maxTokens: 2_000 });
    expect(documentBoundsFromEnv({ MAX_FIELDS: '300', SUBGRAPH_MAX_FIELDS: '900' }, SUBGRAPH_DOCUMENT_BOUNDS)).toMatchObject({
      maxFields: 900,
      maxTokens: SUBGRAPH_DOCUMENT_BOUNDS.maxTokens,
    });
    expect(() => documentBoundsFromEnv({ MAX_NESTING: 'deep' })).toThrow('MAX_NESTING must be a positive integer; got "deep".');
    const off = new DocumentGuard(documentBoundsFromEnv({ DOCUMENT_BOUNDS: 'false' }));
    expect(refusalOf(off, JSON.stringify({ query: `{ provinces { ${'code '.repeat(4_000)}} }` }))).toBe('PASS');
    expect(documentBoundsFromEnv({ DOCUMENT_BOUNDS: 'false' }, SUBGRAPH_DOCUMENT_BOUNDS).enabled).toBe(false);
  });
});
