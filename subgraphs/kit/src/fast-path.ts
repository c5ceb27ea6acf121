import type http from 'node:http';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { log } from './log';

/**
 * The lean path: the common subgraph request (a POSTed JSON query whose document is valid)
 * answered by the document compiled with graphql-jit (graphql-js `execute` the first time a document
 * is seen, or should it not compile), without Apollo Server's per-request pipeline (header map,
 * content negotiation, document hashing, plugin hooks as awaited promises), which was a third of
 * the kit's CPU per `_entities` request. It answers byte for byte as Apollo Server 5 would (status, headers,
 * body); whatever it is not sure to answer the same way goes to Apollo: GET, batches, persisted
 * queries, other content types or Accept values, invalid documents, mutations, request errors.
 */

/** The body of a request the lean path takes: Apollo's POST checks, all passed. */
export interface LeanRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  /** The content type Apollo would choose for this request's Accept header. */
  contentType: string;
}

export interface LeanPathOptions {
  schema: GraphQLSchema;
  /** As Apollo's `introspection`: when off, a document selecting `__schema` or `__type` goes to Apollo (which refuses it). */
  introspection: boolean;
  /** Apollo's `formatError`. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** What the kit's plugins do at Apollo's `didResolveOperation` hook. */
  didResolveOperation(operation: OperationDefinitionNode, operationName: string | null, source: string): void;
  /** What the kit's plugins do at Apollo's `didEncounterErrors` hook. */
  didEncounterErrors(errors: readonly GraphQLError[]): void;
  /** Distinct documents kept parsed and validated; default 1000. */
  maxDocuments?: number;
  /** graphql-jit's compileQuery (a test may put one that fails). */
  compile?: typeof compileQuery;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
/**
 * Accept values whose answer is known (Apollo negotiates with `negotiator`; a 406 for an
 * unacceptable Accept comes after execution, so anything unlisted goes to Apollo). The gateway
 * sends none.
 */
const CONTENT_TYPE_FOR_ACCEPT = new Map<string | undefined, string>([
  [undefined, JSON_TYPE],
  ['', JSON_TYPE],
  ['*/*', JSON_TYPE],
  ['application/json', JSON_TYPE],
  ['application/graphql-response+json', GRAPHQL_RESPONSE_TYPE],
  ['application/graphql-response+json, application/json', GRAPHQL_RESPONSE_TYPE],
  ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE_TYPE],
]);
/** Content types that pass Apollo's CSRF prevention (not CORS-safelisted: the browser preflighted). */
const JSON_CONTENT_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);

/** Apollo's NoIntrospection rule, as far as the lean path needs it: such a document is not taken. */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') context.reportError(new GraphQLError('Introspection is disabled.', { nodes: [node] }));
  },
});

interface Known {
  document: DocumentNode;
  /** Requests seen before it was compiled. */
  seen: number;
  /** Compiled per operation name ('' for none); null when graphql-jit cannot compile it. */
  compiled: Map<string, CompiledQuery | null>;
}

/**
 * graphql-jit's errors as graphql-js's `locatedError` makes them: a resolver's GraphQLError that
 * already has a path as it is, anything else a graphql-js GraphQLError with its extensions.
 */
function asUpstream(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((error) => {
    const original = error.originalError;
    if (original instanceof GraphQLError && Array.isArray(original.path)) return original;
    const located = new GraphQLError(error.message, { path: error.path, originalError: original ?? undefined });
    (located as { locations?: GraphQLError['locations'] }).locations = error.locations;
    return located;
  });
  return { ...result, errors };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface LeanPath {
  /** The request the lean path may answer, or undefined: Apollo's. */
  take(method: string | undefined, headers: http.IncomingHttpHeaders, body: unknown): LeanRequest | undefined;
  /** The response Apollo would give, or undefined when the request must go to Apollo (nothing has run). */
  answer(request: LeanRequest, context: () => Promise<object>): Promise<HTTPGraphQLResponse | undefined>;
}

export function leanPath(options: LeanPathOptions): LeanPath {
  const rules = options.introspection ? specifiedRules : [...specifiedRules, noIntrospection];
  // Source text -> its document when valid, or a mark that it is not (Apollo answers those, every time).
  const documents = new LRUCache<string, Known | { invalid: true }>({
    max: options.maxDocuments ?? 1000,
    // Heap per character of source, measured on a 161-character _entities selection: 75 bytes
    // parsed (12 KB), 230 compiled (37 KB). The estimate keeps the cache within 24 MiB; a document
    // larger than that is not kept.
    maxSize: 24 * 1024 * 1024,
    sizeCalculation: (known, query) => Math.max(1, query.length) * ('compiled' in known && known.compiled.size > 0 ? 230 : 75),
  });

  function document(query: string): Known | undefined {
    let known = documents.get(query);
    if (!known) {
      try {
        const parsed = parse(query);
        known = validate(options.schema, parsed, rules).length === 0 ? { document: parsed, seen: 0, compiled: new Map() } : { invalid: true };
      } catch {
        known = { invalid: true }; // a syntax error
      }
      documents.set(query, known);
    }
    return 'document' in known ? known : undefined;
  }

  /** The compiled operation from the document's second request on (compiling costs milliseconds; a one-off is not worth it). */
  function compiled(query: string, known: Known, operationName: string | undefined): CompiledQuery | undefined {
    const key = operationName ?? '';
    let found = known.compiled.get(key);
    if (found === undefined) {
      if (++known.seen < 2) return undefined;
      found = null;
      try {
        const result = (options.compile ?? compileQuery)(options.schema, known.document, operationName);
        if (isCompiledQuery(result)) found = result;
      } catch (error) {
        // graphql-jit could not compile a valid document: graphql-js runs it, every time.
        log.warn('document not compiled; graphql-js executes it', { operationName, error: (error as Error).message });
      }
      known.compiled.set(key, found);
      // Counted again at its compiled size (lru-cache recomputes a size only for a new value, so not by set alone).
      documents.delete(query);
      documents.set(query, known);
    }
    return found ?? undefined;
  }

  /** Apollo's normalizeAndFormatErrors (errorNormalize.ts) without stack traces: a default code, `extensions.http` lifted to the response. */
  function formatErrors(errors: readonly GraphQLError[], head: { status?: number; headers: HeaderMap }): GraphQLFormattedError[] {
    return errors.map((error) => {
      try {
        const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' };
        const fromError = extensions.http as { status?: unknown; headers?: unknown } | undefined;
        if (
          typeof fromError === 'object' &&
          fromError !== null &&
          (!('status' in fromError) || typeof fromError.status === 'number') &&
          (!('headers' in fromError) || fromError.headers instanceof Map)
        ) {
          if (fromError.status) head.status = fromError.status as number;
          for (const [name, value] of (fromError.headers as Map<string, string> | undefined) ?? []) head.headers.set(name, value);
          delete extensions.http;
        }
        return options.formatError({ ...error.toJSON(), extensions }, error);
      } catch {
        return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
    });
  }

  return {
    take(method, headers, body) {
      if (method !== 'POST' || !JSON_CONTENT_TYPES.has(headers['content-type']?.toLowerCase() ?? '')) return undefined;
      const contentType = CONTENT_TYPE_FOR_ACCEPT.get(headers.accept);
      if (!contentType || !isRecord(body)) return undefined;
      const { query, operationName, variables, extensions } = body;
      if (typeof query !== 'string' || !query) return undefined;
      // As Apollo's checks: a key present (even undefined, in memory) must be null or of its type.
      if ('operationName' in body && operationName !== null && typeof operationName !== 'string') return undefined;
      if ('variables' in body && variables !== null && !isRecord(variables)) return undefined;
      // Persisted queries (APQ) are Apollo's: it checks and stores their hash.
      if ('extensions' in body && extensions !== null && (!isRecord(extensions) || 'persistedQuery' in extensions)) return undefined;
      return {
        query,
        operationName: (operationName as string | null) ?? undefined,
        variables: (variables as Record<string, unknown> | null) ?? undefined,
        contentType,
      };
    },

    async answer(request, context) {
      const known = document(request.query);
      if (!known) return undefined;
      // Queries only: a mutation's answer is left entirely to Apollo. No operation: Apollo says why.
      const operation = getOperationAST(known.document, request.operationName);
      if (operation?.operation !== 'query') return undefined;
      let contextValue: object;
      try {
        contextValue = await context();
      } catch {
        return undefined; // Apollo calls it again and answers "Context creation failed"
      }
      options.didResolveOperation(operation, operation.name?.value || null, request.query);
      const query = compiled(request.query, known, request.operationName);
      const result = query
        ? asUpstream(await query.query(undefined, contextValue, request.variables))
        : await execute({
            schema: options.schema,
            document: known.document,
            variableValues: request.variables,
            operationName: request.operationName,
            contextValue,
          });
      // No data: a request error (variables that do not coerce), no resolver ran; Apollo answers those (400).
      if (result.data === undefined) return undefined;
      const head = { status: undefined as number | undefined, headers: new HeaderMap() };
      let errors: GraphQLFormattedError[] | undefined;
      if (result.errors) {
        options.didEncounterErrors(result.errors);
        errors = formatErrors(result.errors, head);
      }
      if (!head.headers.has('content-type')) head.headers.set('content-type', request.contentType);
      // Apollo's prettyJSONStringify, errors first.
      const string = JSON.stringify({ errors, data: result.data, extensions: result.extensions }) + '\n';
      return { status: head.status, headers: head.headers, body: { kind: 'complete', string } };
    },
  };
}

/** SUBGRAPH_FAST_PATH: `false` sends every request through Apollo Server (to compare, or should the lean path misbehave). */
export function fastPathFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const text = env.SUBGRAPH_FAST_PATH?.trim();
  if (!text || text === 'true') return true;
  if (text === 'false') return false;
  throw new Error(`SUBGRAPH_FAST_PATH="${text}" must be "true" or "false".`);
}
