/**
 * Hostile GraphQL requests, as a member of the public could send them: each is cheap to send
 * and, without bounds checked before validation, costly (or fatal) to parse, validate, coerce
 * or key. Used by the document-bounds tests and by scripts/bench-hostile.ts. Each names the
 * code the gateway answers it with, and the code a subgraph answers when it is sent straight
 * to one (with a valid caller token: subgraphs have their own, looser bounds).
 */
export interface HostileRequest {
  name: string;
  /** The JSON body, as sent (some are not what JSON.stringify of a small object gives). */
  body: () => string;
  /** `extensions.code` of the gateway's refusal, with the default bounds. */
  gateway: string;
  /** `extensions.code` of a subgraph's refusal, with the default subgraph bounds. */
  subgraph: string;
}

const times = (n: number, make: (i: number) => string, separator = ' ') => Array.from({ length: n }, (_, i) => make(i)).join(separator);
const request = (query: string, variables?: unknown) => () => JSON.stringify(variables === undefined ? { query } : { query, variables });

/** Province fields on the regions subgraph; repeated to fill wide selections. */
const PROVINCE_FIELDS = ['code', 'name', '__typename'];

export const HOSTILE_REQUESTS: HostileRequest[] = [
  {
    name: 'repeated field ×4,000 (20 KB)',
    body: request(`{ provinces { ${'code '.repeat(4_000)}} }`),
    gateway: 'SELECTION_TOO_WIDE',
    subgraph: 'SELECTION_TOO_WIDE',
  },
  {
    name: 'repeated field ×9,000 (45 KB)',
    body: request(`{ provinces { ${'code '.repeat(9_000)}} }`),
    gateway: 'SELECTION_TOO_WIDE',
    subgraph: 'SELECTION_TOO_WIDE',
  },
  {
    name: 'repeated field ×12,000: over MAX_TOKENS',
    body: request(`{ provinces { ${'code '.repeat(12_000)}} }`),
    gateway: 'TOO_MANY_TOKENS',
    subgraph: 'SELECTION_TOO_WIDE',
  },
  {
    name: '3,000 aliases of one field',
    body: request(`{ provinces { ${times(3_000, (i) => `a${i}: code`)} } }`),
    gateway: 'SELECTION_TOO_WIDE',
    subgraph: 'SELECTION_TOO_WIDE',
  },
  {
    name: '1,500 inline fragments in one selection',
    body: request(`{ provinces { ${'... on Province { code } '.repeat(1_500)}} }`),
    gateway: 'SELECTION_TOO_WIDE',
    subgraph: 'SELECTION_TOO_WIDE',
  },
  {
    name: 'wide fragments: 60 fragments × 110 fields, all spread',
    body: request(
      `{ provinces { ${times(60, (i) => `...W${i}`)} } } ${times(60, (i) => `fragment W${i} on Province { ${times(110, (j) => PROVINCE_FIELDS[j % 3]!)} }`)}`,
    ),
    gateway: 'TOO_MANY_FIELDS',
    subgraph: 'TOO_MANY_FIELDS',
  },
  {
    name: '500 fragment definitions',
    body: request(`{ provinces { ...F0 } } ${times(500, (i) => `fragment F${i} on Province { code }`)}`),
    gateway: 'TOO_MANY_FRAGMENTS',
    subgraph: 'TOO_MANY_FRAGMENTS',
  },
  {
    name: 'cyclic fragments (A → B → A)',
    body: request('{ provinces { ...A } } fragment A on Province { code ...B } fragment B on Province { name ...A }'),
    gateway: 'FRAGMENT_CYCLE',
    subgraph: 'FRAGMENT_CYCLE',
  },
  {
    name: 'cycle through 40 fragments',
    body: request(`{ provinces { ...C0 } } ${times(40, (i) => `fragment C${i} on Province { code ...C${(i + 1) % 40} }`)}`),
    gateway: 'FRAGMENT_CYCLE',
    subgraph: 'FRAGMENT_CYCLE',
  },
  {
    name: 'fragment bomb: 12 levels of 10 spreads (10^12 fields expanded)',
    body: request(
      `{ provinces { ...B12 } } fragment B0 on Province { code name } ${times(12, (i) => `fragment B${i + 1} on Province { ${times(10, () => `...B${i}`)} }`)}`,
    ),
    gateway: 'TOO_MANY_FIELDS',
    subgraph: 'TOO_MANY_FIELDS',
  },
  {
    name: 'selection sets nested 60 deep',
    body: request(`{ provinces { ${'regencies { province { '.repeat(30)}code${' } }'.repeat(30)} } }`),
    gateway: 'TOO_DEEPLY_NESTED',
    subgraph: 'TOO_DEEPLY_NESTED',
  },
  {
    name: 'fragment chain 80 levels deep once expanded',
    body: request(
      `{ provinces { ...D0 } } ${times(40, (i) => `fragment D${i} on Province { regencies { province { ${i < 39 ? `...D${i + 1}` : 'code'} } } }`)}`,
    ),
    gateway: 'TOO_DEEPLY_NESTED',
    subgraph: 'TOO_DEEPLY_NESTED',
  },
  {
    name: 'list literal nested 4,000 deep',
    body: request(`{ cooperatives(filter: { ids: ${'['.repeat(4_000)}"x"${']'.repeat(4_000)} }) { totalCount } }`),
    gateway: 'TOO_DEEPLY_NESTED',
    subgraph: 'TOO_DEEPLY_NESTED',
  },
  {
    name: 'input-object literal nested 1,500 deep',
    body: request(`{ cooperatives(filter: ${'{ regionCode: "35", x: '.repeat(1_500)}1${' }'.repeat(1_500)}) { totalCount } }`),
    gateway: 'TOO_DEEPLY_NESTED',
    subgraph: 'TOO_DEEPLY_NESTED',
  },
  {
    name: 'directive flood: 1,000 @skip on one field',
    body: request(`{ provinces ${'@skip(if: false) '.repeat(1_000)}{ code } }`),
    gateway: 'TOO_MANY_DIRECTIVES',
    subgraph: 'TOO_MANY_DIRECTIVES',
  },
  {
    name: '240 directives over 240 fields',
    body: request(`{ ${times(2, (k) => `p${k}: provinces { ${times(120, (j) => `${PROVINCE_FIELDS[j % 2]} @include(if: true)`)} }`)} }`),
    gateway: 'TOO_MANY_DIRECTIVES',
    subgraph: 'TOO_MANY_DIRECTIVES',
  },
  {
    name: '2,000 variable definitions',
    body: request(`query Q(${times(2_000, (i) => `$v${i}: Int`)}) { provinces { code } }`),
    gateway: 'TOO_MANY_VARIABLES',
    subgraph: 'TOO_MANY_VARIABLES',
  },
  {
    name: '2,000 operations in one document',
    body: () => JSON.stringify({ query: times(2_000, (i) => `query Q${i} { __typename }`), operationName: 'Q0' }),
    gateway: 'TOO_MANY_OPERATIONS',
    subgraph: 'TOO_MANY_OPERATIONS',
  },
  {
    name: '1,000 arguments on one field',
    body: request(`{ province(code: "35", ${times(1_000, (i) => `a${i}: ${i}`)}) { name } }`),
    gateway: 'TOO_MANY_ARGUMENTS',
    subgraph: 'TOO_MANY_ARGUMENTS',
  },
  {
    name: 'string literal of 50,000 characters',
    body: request(`{ searchRegions(name: "${'x'.repeat(50_000)}") { code } }`),
    gateway: 'LITERAL_TOO_LONG',
    subgraph: 'LITERAL_TOO_LONG',
  },
  {
    name: 'field name of 20,000 characters',
    body: request(`{ provinces { ${'a'.repeat(20_000)} } }`),
    gateway: 'LITERAL_TOO_LONG',
    subgraph: 'LITERAL_TOO_LONG',
  },
  {
    name: 'document of 900 KB (a comment)',
    body: request(`{ provinces { code } } #${'x'.repeat(900_000)}`),
    gateway: 'DOCUMENT_TOO_LARGE',
    subgraph: 'DOCUMENT_TOO_LARGE',
  },
  {
    name: 'BOM and zero-width spaces inside a name',
    body: request('\ufeff{ provinces { co\u200bde\u200b } }'),
    gateway: 'GRAPHQL_PARSE_FAILED',
    subgraph: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: '30,000 zero-width joiners and bidi overrides',
    body: request(`{ provinces { code } ${'\u200d\u202e'.repeat(15_000)}}`),
    gateway: 'GRAPHQL_PARSE_FAILED',
    subgraph: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'variables: input object nested 150,000 deep',
    body: () =>
      `{"query":"query Q($f: CooperativeFilter) { cooperatives(filter: $f) { totalCount } }","variables":{"f":${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}}}`,
    gateway: 'VARIABLES_TOO_DEEP',
    subgraph: 'VARIABLES_TOO_DEEP',
  },
  {
    name: 'variables: list nested 400,000 deep',
    body: () => `{"query":"{ provinces { code } }","variables":{"v":${'['.repeat(400_000)}${']'.repeat(400_000)}}}`,
    gateway: 'VARIABLES_TOO_DEEP',
    subgraph: 'VARIABLES_TOO_DEEP',
  },
  {
    name: 'variables: input object 20 deep',
    body: request('query Q($f: CooperativeFilter) { cooperatives(filter: $f) { totalCount } }', { f: JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`) }),
    gateway: 'VARIABLES_TOO_DEEP',
    subgraph: 'VARIABLES_TOO_DEEP',
  },
  {
    name: 'variables: a list of 250,000 numbers',
    body: request('query Q($ids: [ID!]) { cooperatives(filter: { ids: $ids }) { totalCount } }', { ids: Array.from({ length: 250_000 }, (_, i) => i % 10) }),
    gateway: 'VARIABLES_TOO_LARGE',
    subgraph: 'VARIABLES_TOO_LARGE',
  },
  {
    name: 'batch of 10 × repeated field ×4,000',
    body: () => JSON.stringify(Array.from({ length: 10 }, () => ({ query: `{ provinces { ${'code '.repeat(4_000)}} }` }))),
    gateway: 'SELECTION_TOO_WIDE',
    subgraph: 'SELECTION_TOO_WIDE',
  },
];
