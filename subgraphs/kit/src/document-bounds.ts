import { GraphQLError, Kind, Lexer, parse, Source, TokenKind, type ArgumentNode, type DirectiveNode, type DocumentNode, type SelectionSetNode } from 'graphql';
import { HttpError } from './http';

/**
 * What one GraphQL document may cost before anything else reads it, checked in time linear in
 * its length: a token-bounded lexical pass (tokens, bracket nesting, literal sizes: no
 * recursion, so nothing deep reaches the recursive parser), then one walk over the parsed
 * document where each fragment is summarised once, so spreads are counted as expanded without
 * expanding them (a fragment bomb costs its size, not 2^n) and a fragment cycle is found.
 * Validation (quadratic in repeated fields before graphql 16.15) only ever sees bounded input.
 */
export interface DocumentBounds {
  /** False turns every check off (to measure what they buy); the body-size limit stays. */
  enabled: boolean;
  /** Characters in the document (DOCUMENT_TOO_LARGE). */
  maxDocumentLength: number;
  /** Lexical tokens, comments excluded, as graphql's `maxTokens` counts them (TOO_MANY_TOKENS). */
  maxTokens: number;
  /** Brackets nested in the text, and field levels with fragments expanded (TOO_DEEPLY_NESTED). */
  maxNesting: number;
  /** Characters in one string, name or number literal (LITERAL_TOO_LONG). */
  maxLiteralLength: number;
  /** Operations in one document (TOO_MANY_OPERATIONS). */
  maxOperations: number;
  /** Fragment definitions (TOO_MANY_FRAGMENTS). */
  maxFragments: number;
  /** Variable definitions in one operation (TOO_MANY_VARIABLES). */
  maxVariables: number;
  /** Selections in one selection set (SELECTION_TOO_WIDE). */
  maxSelectionFields: number;
  /** Field nodes of all operations, fragment spreads counted as expanded (TOO_MANY_FIELDS). */
  maxFields: number;
  /** Arguments of one field or directive (TOO_MANY_ARGUMENTS). */
  maxArguments: number;
  /** Directives on one node (TOO_MANY_DIRECTIVES). */
  maxNodeDirectives: number;
  /** Directives in the document (TOO_MANY_DIRECTIVES). */
  maxDirectives: number;
  /** Nesting of the variables' JSON: objects and lists inside one another (VARIABLES_TOO_DEEP). */
  maxVariablesDepth: number;
  /** Values in the variables' JSON, every object, list and scalar (VARIABLES_TOO_LARGE). */
  maxVariableValues: number;
  /** Distinct documents whose verdict is remembered (least recently used go first). */
  cacheEntries: number;
  /** Prefix of the environment variables these were read from, so a refusal names the right one. */
  envPrefix: string;
}

/** Public-facing defaults: every registered operation and GraphiQL's introspection fit with room to spare. */
export const DEFAULT_DOCUMENT_BOUNDS: DocumentBounds = {
  enabled: true,
  maxDocumentLength: 65_536,
  maxTokens: 10_000,
  maxNesting: 32,
  maxLiteralLength: 4_096,
  maxOperations: 16,
  maxFragments: 64,
  maxVariables: 64,
  maxSelectionFields: 128,
  maxFields: 1_500,
  maxArguments: 24,
  maxNodeDirectives: 8,
  maxDirectives: 128,
  maxVariablesDepth: 12,
  maxVariableValues: 20_000,
  cacheEntries: 2_000,
  envPrefix: '',
};

/**
 * A subgraph's defaults: it reads the query planner's documents, which add keys, `__typename`
 * and `_entities` wrappers to what the gateway accepted, so counts are four times the gateway's
 * (still far below what stalls validation); its variables carry every entity reference of a
 * fetch (three values each), as many as its 2 MiB body can hold.
 */
export const SUBGRAPH_DOCUMENT_BOUNDS: DocumentBounds = {
  ...DEFAULT_DOCUMENT_BOUNDS,
  maxDocumentLength: 262_144,
  maxTokens: 40_000,
  maxNesting: 40,
  maxSelectionFields: 512,
  maxFields: 6_000,
  maxVariableValues: 200_000,
  envPrefix: 'SUBGRAPH_',
};

/** Environment variable per bound; a subgraph reads them with a `SUBGRAPH_` prefix. */
const VARIABLES: Record<Exclude<keyof DocumentBounds, 'enabled' | 'envPrefix'>, string> = {
  maxDocumentLength: 'MAX_DOCUMENT_LENGTH',
  maxTokens: 'MAX_TOKENS',
  maxNesting: 'MAX_NESTING',
  maxLiteralLength: 'MAX_LITERAL_LENGTH',
  maxOperations: 'MAX_OPERATIONS',
  maxFragments: 'MAX_FRAGMENTS',
  maxVariables: 'MAX_VARIABLES',
  maxSelectionFields: 'MAX_SELECTION_FIELDS',
  maxFields: 'MAX_FIELDS',
  maxArguments: 'MAX_ARGUMENTS',
  maxNodeDirectives: 'MAX_NODE_DIRECTIVES',
  maxDirectives: 'MAX_DIRECTIVES',
  maxVariablesDepth: 'MAX_VARIABLES_DEPTH',
  maxVariableValues: 'MAX_VARIABLE_VALUES',
  cacheEntries: 'DOCUMENT_BOUNDS_CACHE',
};

/** Reads DOCUMENT_BOUNDS (true/false) and each MAX_* above (positive integers), prefixed for subgraphs. */
export function documentBoundsFromEnv(env: NodeJS.ProcessEnv = process.env, defaults = DEFAULT_DOCUMENT_BOUNDS): DocumentBounds {
  const prefix = defaults.envPrefix;
  const bounds: DocumentBounds = { ...defaults, enabled: (env[`${prefix}DOCUMENT_BOUNDS`] ?? env.DOCUMENT_BOUNDS) !== 'false' };
  for (const [key, name] of Object.entries(VARIABLES) as [keyof typeof VARIABLES, string][]) {
    const value = env[prefix + name];
    if (value === undefined || value === '') continue;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${prefix + name} must be a positive integer; got "${value}".`);
    bounds[key] = parsed;
  }
  return bounds;
}

/** A document or variables over a bound: HTTP 400, a code naming the bound, a message saying what to change. */
export class BoundsRefusal extends HttpError {
  constructor(
    code: string,
    message: string,
    readonly bound: string,
  ) {
    super(400, message, {}, code);
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function over(bounds: DocumentBounds, key: keyof typeof VARIABLES, code: string, what: string, advice: string): BoundsRefusal {
  const name = bounds.envPrefix + VARIABLES[key];
  return new BoundsRefusal(code, `${what}; the limit is ${fmt(bounds[key] as number)} (${name}). ${advice}`, name);
}

/**
 * One pass of the lexer: no recursion, stops at the first bound crossed. A syntax error is left
 * to the parser to report. It also counts the names directly in each selection set (not in
 * arguments, values or directives): a selection holds at most two (`alias: field`, `... on Type`),
 * so more than twice MAX_SELECTION_FIELDS is refused before the parser builds them (once every
 * token is counted: a document over MAX_TOKENS is refused as such).
 */
function lexicalPass(query: string, bounds: DocumentBounds): BoundsRefusal | 'syntax error' | undefined {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  // Per open bracket: the names counted so far in a selection set, or -1 in arguments and values.
  const open: number[] = [];
  let nesting = 0; // braces and brackets; parentheses hold values, not levels
  let previous: TokenKind | undefined;
  let wide: BoundsRefusal | undefined;
  const next = () => {
    try {
      return lexer.advance();
    } catch (error) {
      if (error instanceof GraphQLError) return undefined;
      throw error;
    }
  };
  for (let token = next(); token?.kind !== TokenKind.EOF; token = next()) {
    if (!token) return 'syntax error';
    if (++tokens > bounds.maxTokens) {
      const name = `${bounds.envPrefix}MAX_TOKENS`; // worded as the gateway's parser limit has always been
      return new BoundsRefusal(
        'TOO_MANY_TOKENS',
        `Query has more than ${bounds.maxTokens} tokens (${name}). Send a shorter document: move long literal lists into variables, or split it.`,
        name,
      );
    }
    const top = open.length > 0 ? open[open.length - 1]! : 0;
    if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L) {
      if (++nesting > bounds.maxNesting) {
        return over(
          bounds,
          'maxNesting',
          'TOO_DEEPLY_NESTED',
          `Query nests braces or brackets more than ${bounds.maxNesting} deep (line ${token.line})`,
          'Flatten the selection or the literal; pass nested input as variables.',
        );
      }
      open.push(token.kind === TokenKind.BRACE_L && top >= 0 ? 0 : -1); // a brace in a selection set (or at the top) opens one
    } else if (token.kind === TokenKind.PAREN_L) open.push(-1);
    else if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.BRACKET_R || token.kind === TokenKind.PAREN_R) {
      if (token.kind !== TokenKind.PAREN_R) nesting -= 1;
      open.pop();
    } else if (token.end - token.start > bounds.maxLiteralLength) {
      return over(
        bounds,
        'maxLiteralLength',
        'LITERAL_TOO_LONG',
        `A literal of ${fmt(token.end - token.start)} characters at line ${token.line}, column ${token.column}`,
        'Pass long text as a variable.',
      );
    } else if (token.kind === TokenKind.NAME && open.length > 0 && top >= 0 && previous !== TokenKind.AT) {
      open[open.length - 1] = top + 1;
      if (top + 1 > 2 * bounds.maxSelectionFields) {
        wide ??= over(
          bounds,
          'maxSelectionFields',
          'SELECTION_TOO_WIDE',
          `A selection set at line ${token.line} has more than ${fmt(bounds.maxSelectionFields)} selections`,
          'Select each field once; ask for a list field instead of many aliases.',
        );
      }
    }
    previous = token.kind;
  }
  return wide;
}

/** What one operation or fragment holds by itself, and where it spreads fragments. */
interface Summary {
  fields: number;
  depth: number;
  spreads: { name: string; depth: number }[];
}

class DocumentWalk {
  directives = 0;
  refusal: BoundsRefusal | undefined;
  constructor(private readonly bounds: DocumentBounds) {}

  private refuse(refusal: BoundsRefusal): void {
    this.refusal ??= refusal;
  }

  directivesOf(nodes: readonly DirectiveNode[] | undefined, where: string): void {
    if (!nodes?.length) return;
    this.directives += nodes.length;
    if (nodes.length > this.bounds.maxNodeDirectives)
      this.refuse(
        over(this.bounds, 'maxNodeDirectives', 'TOO_MANY_DIRECTIVES', `${where} carries ${fmt(nodes.length)} directives`, 'Keep one @include/@skip per field.'),
      );
    for (const directive of nodes) this.argumentsOf(directive.arguments, '@', directive.name.value);
  }

  private argumentsOf(nodes: readonly ArgumentNode[] | undefined, kind: 'Field ' | '@', name: string): void {
    if (nodes && nodes.length > this.bounds.maxArguments)
      this.refuse(
        over(
          this.bounds,
          'maxArguments',
          'TOO_MANY_ARGUMENTS',
          `${kind}${name} is given ${fmt(nodes.length)} arguments`,
          'Pass each argument once; put long inputs in one input-object variable.',
        ),
      );
  }

  /** Fields, depth and spreads of a selection set; recursion is bounded by the lexical nesting check. */
  selections(set: SelectionSetNode, depth: number, into: Summary): void {
    if (set.selections.length > this.bounds.maxSelectionFields) {
      this.refuse(
        over(
          this.bounds,
          'maxSelectionFields',
          'SELECTION_TOO_WIDE',
          `A selection set at line ${set.loc?.startToken.line ?? '?'} has ${fmt(set.selections.length)} selections`,
          'Select each field once; ask for a list field instead of many aliases.',
        ),
      );
      return;
    }
    for (const selection of set.selections) {
      if (this.refusal) return;
      if (selection.directives?.length) this.directivesOf(selection.directives, selection.kind === Kind.FIELD ? `Field ${selection.name.value}` : 'A fragment');
      if (selection.kind === Kind.FIELD) {
        into.fields += 1;
        into.depth = Math.max(into.depth, depth + 1);
        this.argumentsOf(selection.arguments, 'Field ', selection.name.value);
        if (selection.selectionSet) this.selections(selection.selectionSet, depth + 1, into);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) this.selections(selection.selectionSet, depth, into);
      else into.spreads.push({ name: selection.name.value, depth });
    }
  }
}

/** Fields and depth of a fragment with its spreads expanded, memoised; a cycle is reported by its path. */
function expand(
  name: string,
  summaries: Map<string, Summary>,
  memo: Map<string, { fields: number; depth: number }>,
  path: string[],
  cap: number,
): { fields: number; depth: number } | string[] {
  const known = memo.get(name);
  if (known) return known;
  const at = path.indexOf(name);
  if (at >= 0) return [...path.slice(at), name];
  const summary = summaries.get(name);
  if (!summary) return { fields: 0, depth: 0 }; // unknown fragment: validation names it
  let { fields, depth } = summary;
  for (const spread of summary.spreads) {
    const inner = expand(spread.name, summaries, memo, [...path, name], cap);
    if (Array.isArray(inner)) return inner;
    fields = Math.min(cap, fields + inner.fields); // a fragment bomb saturates instead of growing as 2^n
    depth = Math.max(depth, spread.depth + inner.depth);
  }
  const result = { fields, depth };
  memo.set(name, result);
  return result;
}

/** Checks a parsed document's shape; linear in its size. */
export function checkDocumentShape(document: DocumentNode, bounds: DocumentBounds): BoundsRefusal | undefined {
  const walk = new DocumentWalk(bounds);
  const fragments = new Map<string, Summary>();
  const operations: Summary[] = [];
  const counts = { operations: 0, fragments: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const summary: Summary = { fields: 0, depth: 0, spreads: [] };
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (++counts.operations > bounds.maxOperations)
        return over(
          bounds,
          'maxOperations',
          'TOO_MANY_OPERATIONS',
          `Document holds more than ${fmt(bounds.maxOperations)} operations`,
          'Send only the operation you run (with its fragments).',
        );
      const variables = definition.variableDefinitions ?? [];
      if (variables.length > bounds.maxVariables)
        return over(
          bounds,
          'maxVariables',
          'TOO_MANY_VARIABLES',
          `Operation declares ${fmt(variables.length)} variables`,
          'Group related inputs into one input-object variable.',
        );
      for (const variable of variables) walk.directivesOf(variable.directives, `Variable $${variable.variable.name.value}`);
      operations.push(summary);
    } else {
      if (++counts.fragments > bounds.maxFragments)
        return over(
          bounds,
          'maxFragments',
          'TOO_MANY_FRAGMENTS',
          `Document defines more than ${fmt(bounds.maxFragments)} fragments`,
          'Merge small fragments, or inline them.',
        );
      fragments.set(definition.name.value, summary); // the last definition wins, as in graphql-js
    }
    walk.directivesOf(definition.directives, definition.name ? `${definition.name.value}` : 'The operation');
    walk.selections(definition.selectionSet, 0, summary);
    if (walk.refusal) return walk.refusal;
  }
  if (walk.directives > bounds.maxDirectives)
    return over(
      bounds,
      'maxDirectives',
      'TOO_MANY_DIRECTIVES',
      `Document carries ${fmt(walk.directives)} directives`,
      'Use fewer @include/@skip: split the operation, or select the fields unconditionally.',
    );
  const memo = new Map<string, { fields: number; depth: number }>();
  let fields = 0;
  let depth = 0;
  const cap = bounds.maxFields + 1;
  for (const name of fragments.keys()) {
    const found = expand(name, fragments, memo, [], cap);
    if (Array.isArray(found))
      return new BoundsRefusal(
        'FRAGMENT_CYCLE',
        `Fragments spread each other in a cycle (${found.join(' → ')}); a fragment cannot contain itself. Remove the cycle.`,
        'FRAGMENT_CYCLE',
      );
  }
  for (const operation of operations) {
    let opFields = operation.fields;
    let opDepth = operation.depth;
    for (const spread of operation.spreads) {
      const inner = memo.get(spread.name) ?? { fields: 0, depth: 0 }; // every known fragment is in memo by now
      opFields = Math.min(cap, opFields + inner.fields);
      opDepth = Math.max(opDepth, spread.depth + inner.depth);
    }
    fields = Math.min(cap, fields + opFields);
    depth = Math.max(depth, opDepth);
  }
  if (fields > bounds.maxFields)
    return over(
      bounds,
      'maxFields',
      'TOO_MANY_FIELDS',
      `Document selects more than ${fmt(bounds.maxFields)} fields, fragments counted where they are spread`,
      'Select fewer fields, or split the query.',
    );
  if (depth > bounds.maxNesting)
    return over(
      bounds,
      'maxNesting',
      'TOO_DEEPLY_NESTED',
      `Query nests fields ${fmt(depth)} levels deep with fragments expanded`,
      'Ask for fewer levels at once.',
    );
  return undefined;
}

/**
 * The whole document check: size, then the lexical pass, then a token-bounded parse and the
 * shape walk. A document that does not parse passes: the GraphQL server reports its syntax error.
 */
export function checkDocument(query: string, bounds: DocumentBounds): BoundsRefusal | undefined {
  if (query.length > bounds.maxDocumentLength) {
    return over(
      bounds,
      'maxDocumentLength',
      'DOCUMENT_TOO_LARGE',
      `Document is ${fmt(query.length)} characters long`,
      'Send a shorter document: select fewer fields, move literals into variables, or use a registered operation by id.',
    );
  }
  const lexical = lexicalPass(query, bounds);
  if (lexical === 'syntax error') return undefined;
  if (lexical) return lexical;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: bounds.maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError) return undefined;
    throw error;
  }
  return checkDocumentShape(document, bounds);
}
