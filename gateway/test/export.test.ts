import { HttpError } from '@kopdes/kit';
import { describe, expect, it } from 'vitest';
import { columnsOf, csvCell, exportStage, findRows, flatten, type ExportRequest } from '../src/export';
import { Pipeline, type Identified, type Outcome, type Parsed } from '../src/pipeline';
import { identified } from './stages/fakes';

describe('flattening a GraphQL result into rows', () => {
  it('takes the first list in field order, one row per item, nested objects as dotted columns', () => {
    const data = {
      province: {
        code: '35',
        name: 'Jawa Timur',
        regencies: [
          { code: '35.14', registry: { cooperatives: 365 }, labour: { employees: 10 } },
          { code: '35.15', registry: { cooperatives: 3 }, labour: null },
        ],
      },
    };
    const found = findRows(data)!;
    expect(found.path).toBe('province.regencies');
    const rows = found.rows.map((r) => flatten(r));
    expect(rows[0]).toEqual({ code: '35.14', 'registry.cooperatives': 365, 'labour.employees': 10 });
    // A null object is one empty column; a key missing from the first row still gets its column.
    expect(columnsOf(rows)).toEqual(['code', 'registry.cooperatives', 'labour.employees', 'labour']);
  });

  it('follows an explicit path, and makes one row of a result without lists', () => {
    const data = { a: [{ x: 1 }], b: { items: [{ y: 2 }, { y: 3 }] } };
    expect(findRows(data, 'b.items')!.rows).toEqual([{ y: 2 }, { y: 3 }]);
    expect(findRows(data, 'a.0')!.rows).toEqual([{ x: 1 }]);
    expect(findRows(data, 'nope')).toBeUndefined();
    expect(findRows({ cooperative: { id: 'K1' } })).toEqual({ rows: [{ cooperative: { id: 'K1' } }], path: '' });
  });

  it('writes CSV cells per RFC 4180, lists in one cell, formulas defused', () => {
    expect(csvCell('Kabupaten Pasuruan')).toBe('Kabupaten Pasuruan');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell(null)).toBe('');
    expect(csvCell(['G4', 'G5'])).toBe('G4; G5');
    expect(csvCell([{ lender: 'BRI' }])).toBe('"[{""lender"":""BRI""}]"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-12')).toBe('-12');
    expect(csvCell(-12)).toBe('-12');
    expect(csvCell(true)).toBe('true');
  });
});

describe('the export stage', () => {
  const seen: ExportRequest[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  const stage = exportStage({
    operation: (name) =>
      name === 'q2'
        ? { id: 'q2-id', name: 'q2', title: 'Q2', document: 'query Q2($region: String) { provinces { code } }', variables: { region: '35' } }
        : undefined,
    maxBodyBytes: 10_000,
  });
  /** The inner stages, faked: the request they were given is kept, the answer is the test's. */
  const next = async (state: Parsed): Promise<Outcome> => {
    if (state.headers.get('authorization') === 'Bearer bad') throw new HttpError(401, 'Unauthorized: the bearer token is malformed.');
    seen.push(state.request.body as ExportRequest);
    return {
      answer: { status: answer.status, headers: { 'content-type': 'application/json', 'ratelimit-remaining': '9' }, body: JSON.stringify(answer.body) },
      operations: [],
      errors: 0,
      subgraphErrors: [],
    };
  };
  const run = Pipeline.start<Identified>().then(stage).end(next);

  async function exported(search: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
    const state = identified(`/export${search}`, init);
    const { answer: a } = await run(state);
    let text = '';
    if (typeof a.body === 'string') text = a.body;
    else for await (const chunk of a.body) text += chunk;
    return { status: a.status, headers: a.headers, text, json: () => JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] } };
  }

  it('streams a registered operation as CSV with its example variables, given ones winning', async () => {
    answer = {
      status: 200,
      body: {
        data: {
          provinces: [
            { code: '35', registry: { cooperatives: 365 } },
            { code: '36', registry: { cooperatives: 7 } },
          ],
        },
      },
    };
    const res = await exported(`?operation=q2&format=csv&variables=${encodeURIComponent('{"extra":1}')}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="q2.csv"');
    expect(res.headers['x-export-rows']).toBe('2');
    expect(res.headers['ratelimit-remaining']).toBe('9'); // the budget's headers stay
    expect(res.text).toBe('code,registry.cooperatives\r\n35,365\r\n36,7\r\n');
    // No undefined keys: Apollo refuses `"operationName": undefined` in a body.
    expect(Object.keys(seen.at(-1)!)).toEqual(['query', 'variables']);
    expect(seen.at(-1)).toEqual({ query: 'query Q2($region: String) { provinces { code } }', variables: { region: '35', extra: 1 } });
  });

  it('takes a query of ones own by POST and answers NDJSON', async () => {
    answer = { status: 200, body: { data: { cooperatives: { edges: [{ node: { id: 'K1', tags: ['a', 'b'] } }] } } } };
    const res = await exported('?format=ndjson', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Mine { cooperatives { edges { node { id } } } }', operationName: 'Mine' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="Mine.ndjson"');
    expect(res.text).toBe('{"node.id":"K1","node.tags":["a","b"]}\n');
  });

  it('refuses a result with errors unless partial=true, and passes refusals through', async () => {
    answer = {
      status: 200,
      body: {
        data: { provinces: [{ code: '35', financing: null }] },
        errors: [
          {
            message: 'The financing subgraph is unavailable',
            path: ['provinces', 0, 'financing'],
            extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'financing' },
          },
        ],
      },
    };
    const refused = await exported('?operation=q2');
    expect(refused.status).toBe(502);
    expect(refused.json().errors[0]!.extensions.code).toBe('PARTIAL_RESULT');
    expect(refused.json().errors[0]!.message).toMatch(/at provinces\.0\.financing: The financing subgraph is unavailable.*partial=true/);
    const partial = await exported('?operation=q2&partial=true');
    expect(partial.status).toBe(200);
    expect(partial.headers['x-export-errors']).toBe('1');
    expect(partial.text).toBe('code,financing\r\n35,\r\n');

    answer = { status: 400, body: { errors: [{ message: 'Query is 14 levels deep; the limit is 12 (MAX_DEPTH).', extensions: { code: 'QUERY_TOO_DEEP' } }] } };
    const deep = await exported(`?query=${encodeURIComponent('{ a }')}`);
    expect(deep.status).toBe(400);
    expect(deep.json().errors[0]!.extensions.code).toBe('QUERY_TOO_DEEP');

    answer = { status: 200, body: { data: null, errors: [{ message: 'Cooperative.id needs a signed-in analyst', extensions: { code: 'FORBIDDEN' } }] } };
    expect((await exported(`?query=${encodeURIComponent('{ a }')}`)).status).toBe(403);
    expect((await exported('?operation=q2', { headers: { authorization: 'Bearer bad' } })).status).toBe(401);
  });

  it('says what is wrong with a request', async () => {
    const cases: [string, { method?: string; body?: string } | undefined, number, RegExp][] = [
      ['', undefined, 400, /operation=<registered name>/],
      ['?operation=nope', undefined, 404, /No registered operation "nope"/],
      ['?operation=q2&format=xlsx', undefined, 400, /format must be csv or ndjson/],
      ['?operation=q2&variables=%7Bbad', undefined, 400, /variables must be a JSON object/],
      [`?query=${encodeURIComponent('mutation { x }')}`, undefined, 400, /queries only/],
      ['', { method: 'DELETE' }, 405, /Use GET/],
      ['', { method: 'POST', body: 'x'.repeat(10_001) }, 413, /over the limit of 10000 bytes/],
    ];
    for (const [search, init, status, message] of cases) {
      const res = await exported(search, init);
      expect(res.status, search).toBe(status);
      expect(res.json().errors[0]!.message).toMatch(message);
    }
  });
});
