import { HeaderMap } from '@apollo/server';
import { HttpError, parseJsonBody } from '@kopdes/kit';
import { getOperationAST, parse, print } from 'graphql';
import { hasDefer, withoutDefer } from './defer/directive';
import type { DocumentBoundsStage } from './document-bounds';
import type { RegisteredOperation } from './operations';
import type { Answer, Identified, Outcome, Parsed, Stage } from './pipeline';
import { stringify } from 'csv-stringify/sync';

/**
 * GET/POST /export: a registered operation's result (or an analyst's own query) as CSV or NDJSON.
 *
 *   GET  /export?operation=<registered name>&format=csv|ndjson[&variables=<json>][&path=<a.b>][&partial=true]
 *   GET  /export?query=<document>&format=…                     (a query of one's own)
 *   POST /export[?format=…]  {"query" | "operation", "variables", "operationName", "format", "path", "partial"}
 *
 * The query runs through the same stages as /graphql, with this one in place of `read`: same bearer
 * token, roles, limits, rate budget and response cache. Rows: the list at `path` (dotted, in the response's `data`), else the first
 * list met walking the result in field order; one row per item. Nested objects become dotted columns
 * (`village.regency.name`); a nested list becomes one cell: scalars joined with "; ", objects as JSON
 * (NDJSON keeps both as JSON arrays). A result with errors is refused (no half-empty file passes for a
 * whole one) unless `partial=true`; then failed fields are empty cells and `x-export-errors` counts them.
 */

export type ExportFormat = 'csv' | 'ndjson';

export interface ExportRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface ExportDeps {
  /** A registered operation (schema/operations/<name>.graphql) by name. */
  operation(name: string): RegisteredOperation | undefined;
  /** Largest POST body accepted (MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Document bounds, checked before the export parses the query itself (document-bounds.ts). */
  bounds?: Pick<DocumentBoundsStage, 'parseBody' | 'check'>;
}

const FORMATS: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type GraphQLResponse = {
  data?: Record<string, Json> | null;
  errors?: { message?: string; path?: (string | number)[]; extensions?: { code?: string; serviceName?: string } }[];
};

const isObject = (value: unknown): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One flat record per item: nested objects become dotted keys; lists stay whole (one cell). */
export function flatten(value: Json, prefix = '', out: Record<string, Json> = {}): Record<string, Json> {
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
    return out;
  }
  out[prefix || 'value'] = value;
  return out;
}

/** The list to export: at `path` when given, else the first list in field order (depth first). */
export function findRows(data: Json, path?: string): { rows: Json[]; path: string } | undefined {
  if (path) {
    let node: Json | undefined = data;
    for (const key of path.split('.').filter(Boolean)) {
      if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
      else if (isObject(node)) node = node[key];
      else return undefined;
    }
    if (node === undefined) return undefined;
    return { rows: Array.isArray(node) ? node : [node], path };
  }
  const walk = (node: Json, at: string): { rows: Json[]; path: string } | undefined => {
    if (Array.isArray(node)) return { rows: node, path: at };
    if (!isObject(node)) return undefined;
    for (const [key, child] of Object.entries(node)) {
      const found = walk(child, at ? `${at}.${key}` : key);
      if (found) return found;
    }
    return undefined;
  };
  // No list anywhere (e.g. one cooperative): the whole answer is one row.
  return walk(data, '') ?? { rows: [data], path: '' };
}

/** Column names in first-seen order across every row, so a key missing from the first row still gets one. */
export function columnsOf(rows: Record<string, Json>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** The text of a CSV cell. Text a spreadsheet would run as a formula (=, +, -, @ …) gets a leading apostrophe. */
function cellText(value: Json | undefined): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (Array.isArray(value))
    text = value.some((v) => typeof v === 'object' && v !== null) ? JSON.stringify(value) : value.map((v) => (v === null ? '' : String(v))).join('; ');
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !NUMERIC.test(text)) text = `'${text}`;
  return text;
}

// RFC 4180 with CRLF; spaces at either end and lone CR/LF are quoted too, so no spreadsheet trims or splits a cell.
const CSV_OPTIONS = { record_delimiter: '\r\n', quoted_match: /[\r\n]|^\s|\s$/ } as const;

export const csvLine = (cells: (Json | undefined)[]): string => stringify([cells.map(cellText)], CSV_OPTIONS);

/** One CSV cell as csvLine writes it. */
export const csvCell = (value: Json | undefined): string => csvLine([value]).slice(0, -2);

function parseVariables(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new HttpError(400, 'variables must be a JSON object, e.g. variables={"region":"35"} (URL-encoded).', {}, 'BAD_REQUEST');
    }
  }
  if (!isObject(parsed)) throw new HttpError(400, 'variables must be a JSON object, e.g. {"region":"35"}.', {}, 'BAD_REQUEST');
  return parsed;
}

const FLAG = (value: unknown) => value === true || value === 'true' || value === '1';

export interface ExportParams {
  format: ExportFormat;
  request: ExportRequest;
  filename: string;
  path?: string;
  partial: boolean;
}

function paramsOf(deps: ExportDeps, url: URL, body: unknown): ExportParams {
  if (body !== undefined && !isObject(body))
    throw new HttpError(400, 'POST /export takes one JSON object: {"query" or "operation", "variables", "format", "path"}.', {}, 'BAD_REQUEST');
  const given = (key: string): unknown => (body as Record<string, unknown> | undefined)?.[key] ?? url.searchParams.get(key) ?? undefined;
  const format = String(given('format') ?? 'csv').toLowerCase();
  if (format !== 'csv' && format !== 'ndjson') throw new HttpError(400, `format must be csv or ndjson; got "${format}".`, {}, 'BAD_REQUEST');
  const name = given('operation');
  const query = given('query');
  const variables = parseVariables(given('variables'));
  const operationName = typeof given('operationName') === 'string' && given('operationName') ? String(given('operationName')) : undefined;
  let request: ExportRequest;
  let filename: string;
  if (typeof name === 'string' && name) {
    if (query) throw new HttpError(400, 'Give either operation (a registered name) or query (a document), not both.', {}, 'BAD_REQUEST');
    const registered = deps.operation(name);
    if (!registered) throw new HttpError(404, `No registered operation "${name}"; GET /operations.json lists them.`, {}, 'NOT_FOUND');
    // The registered example variables make `?operation=<name>` runnable as is; given ones override them.
    request = { query: registered.document, variables: { ...registered.variables, ...variables }, operationName };
    filename = registered.name;
  } else if (typeof query === 'string' && query.trim()) {
    request = { query, variables, operationName };
    filename = operationName ?? 'export';
  } else {
    throw new HttpError(400, 'Say what to export: operation=<registered name> (see /operations.json) or query=<GraphQL document>.', {}, 'BAD_REQUEST');
  }
  const path = given('path');
  // Apollo refuses a body whose variables or operationName is present but undefined.
  if (request.variables === undefined) delete request.variables;
  if (request.operationName === undefined) delete request.operationName;
  return {
    format,
    request,
    filename: filename.replace(/[^\w.-]+/g, '_'),
    path: typeof path === 'string' && path ? path : undefined,
    partial: FLAG(given('partial')),
  };
}

/** Export runs reads only, even over GET: a mutation document is refused before it reaches the pipeline. */
/** The query to run: a query only, and with any @defer removed (a file is made of one whole answer, not of parts). */
function exportedQuery(request: ExportRequest): ExportRequest {
  let document;
  try {
    document = parse(request.query);
  } catch {
    return request; // not parseable: the pipeline answers with its own syntax error
  }
  const operation = getOperationAST(document, request.operationName);
  if (operation && operation.operation !== 'query') {
    throw new HttpError(400, `Export runs queries only; this document is a ${operation.operation}.`, {}, 'BAD_REQUEST');
  }
  return hasDefer(document) ? { ...request, query: print(withoutDefer(document)) } : request;
}

/** The HTTP status a refused export answers with, from the GraphQL errors that caused it. */
function refusalStatus(errors: NonNullable<GraphQLResponse['errors']>, status: number): number {
  if (status >= 400) return status;
  const codes = new Set(errors.map((e) => e.extensions?.code));
  if (codes.has('UNAUTHENTICATED')) return 401;
  if (codes.has('FORBIDDEN')) return 403;
  if (codes.has('SUBGRAPH_UNAVAILABLE') || errors.some((e) => e.extensions?.serviceName)) return 502;
  return 422;
}

function errorAnswer(status: number, errors: unknown[]): Answer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify({ errors }) };
}

const CHUNK = 64 * 1024;

/** Rows encoded as they are written, in socket-sized chunks, so a large export never sits whole in a string. */
async function* encode(format: ExportFormat, columns: string[], rows: Record<string, Json>[]): AsyncIterable<string> {
  let buffer = format === 'csv' ? csvLine(columns) : '';
  for (const row of rows) {
    buffer += format === 'csv' ? csvLine(columns.map((c) => row[c])) : JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))) + '\n';
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/** The file made of the query's answer, or the refusal that says why there is none. */
export function render(params: ExportParams, answer: Answer): Answer {
  let result: GraphQLResponse;
  try {
    result = JSON.parse(String(answer.body)) as GraphQLResponse;
  } catch {
    throw new HttpError(502, 'The gateway answered the export query with something other than JSON.');
  }
  const errors = result.errors ?? [];
  if (answer.status >= 400 || !isObject(result.data)) {
    return errorAnswer(
      refusalStatus(errors, answer.status),
      errors.length ? errors : [{ message: 'The query returned no data.', extensions: { code: 'NO_DATA' } }],
    );
  }
  if (errors.length && !params.partial) {
    const first = errors[0]!;
    const at = first.path ? ` at ${first.path.join('.')}` : '';
    return errorAnswer(refusalStatus(errors, answer.status), [
      {
        message: `The query ran with ${errors.length} error(s), first${at}: ${first.message}. No file was made; fix the query, or add partial=true to export what arrived (failed fields as empty cells).`,
        extensions: { code: 'PARTIAL_RESULT' },
      },
      ...errors,
    ]);
  }
  const found = findRows(result.data, params.path);
  if (!found)
    throw new HttpError(400, `path "${params.path}" is not in the result; give a dotted path from data, e.g. "province.regencies".`, {}, 'BAD_REQUEST');
  const rows = found.rows.map((row) => flatten(row));
  return {
    status: 200,
    headers: {
      'content-type': FORMATS[params.format],
      'content-disposition': `attachment; filename="${params.filename}.${params.format}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-export-rows': String(rows.length),
      'x-export-path': found.path || '.',
      ...(errors.length ? { 'x-export-errors': String(errors.length) } : {}),
    },
    body: encode(params.format, columnsOf(rows), rows),
  };
}

/**
 * `export`, in place of `read` on /export: decides the GraphQL request from the export's parameters
 * (a JSON POST, whatever the export came as), and on the way back makes the file from the answer.
 */
export function exportStage(deps: ExportDeps): Stage<Identified, Parsed> {
  return async (state, next) => {
    if (state.method !== 'GET' && state.method !== 'POST') {
      throw new HttpError(
        405,
        'Use GET /export?operation=…&format=csv|ndjson, or POST /export with a JSON body.',
        { allow: 'GET, POST' },
        'METHOD_NOT_ALLOWED',
      );
    }
    const body = state.method === 'POST' ? (deps.bounds?.parseBody ?? parseJsonBody)(await state.readBody(deps.maxBodyBytes)) : undefined;
    const params = paramsOf(deps, state.url, body);
    deps.bounds?.check({ method: 'POST', search: '', body: params.request });
    const request = exportedQuery(params.request);
    const headers = new HeaderMap([...state.headers]);
    headers.set('content-type', 'application/json');
    const declared = params.request.operationName ? [params.request.operationName] : [];
    const outcome: Outcome = await next({ ...state, request: { method: 'POST', headers, search: '', body: request }, operations: 1, declared });
    if (outcome.refused) return { ...outcome, declared };
    const file = render(params, outcome.answer);
    // The budget's and the cache's headers stay; the file brings its own content type.
    const { 'content-type': _type, 'content-length': _length, ...kept } = outcome.answer.headers;
    return { ...outcome, answer: { ...file, headers: { ...kept, ...file.headers } }, declared };
  };
}
