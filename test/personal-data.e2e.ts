/**
 * The personal-data access record end to end: reads of board members through the gateway are
 * recorded by the cooperatives subgraph, one row per person and request however the request
 * reaches them; a record that cannot be written withholds the personal fields only; the record
 * is queryable and exportable by Kemenkop officers and admins, and by nobody else.
 */
import { randomUUID } from 'node:crypto';
import { ACCESS_RECORD, rawSql, verifyAccessRecord, type Caller } from '@kopdes/kit';
import { ADMIN, ANALYST, officerOf, withPurpose, type TestSubgraph } from '@kopdes/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startPlatform, type TestPlatform } from './helpers';

const COOPERATIVE = 'KDMP-35.14.01.2001';
const OFFICER = withPurpose(officerOf('cooperatives'), 'registry-board-verification');
const OVERSIGHT = withPurpose(ADMIN, 'data-protection-oversight');
const FINANCING = officerOf('financing');

let platform: TestPlatform;
let cooperatives: TestSubgraph;
const tokens = new Map<Caller, string>();

type Body = { data?: Record<string, any> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

beforeAll(async () => {
  platform = await startPlatform();
  cooperatives = platform.subgraphs.get('cooperatives')!;
  for (const caller of [OFFICER, OVERSIGHT, ANALYST, FINANCING]) tokens.set(caller, await bearer(caller));
});
afterAll(async () => {
  await platform?.stop();
});

async function as(caller: Caller | undefined, query: string, variables?: Record<string, unknown>, requestId = randomUUID()) {
  const headers: Record<string, string> = { 'x-request-id': requestId, ...(caller ? { authorization: tokens.get(caller)! } : {}) };
  const { status, body } = await platform.query(query, variables, headers);
  return { status, body: body as Body, requestId };
}

const rowsOf = (requestId: string) =>
  cooperatives.server.db.sql.query<{
    data_subject: string;
    entity_ids: string[];
    fields: string[];
    reader_subject: string;
    reader_role: string;
    reader_ministry: string | null;
    purpose: string;
  }>(
    `SELECT data_subject, entity_ids, fields, reader_subject, reader_role, reader_ministry, purpose FROM "${ACCESS_RECORD}" WHERE request_id = $1 ORDER BY "${ACCESS_RECORD}".id`,
    [requestId],
  );

/** The NIKs of these cooperatives' boards, straight from the database (what a read of them discloses). */
async function niksOf(ids: string[]): Promise<Map<string, string[]>> {
  const rows = await cooperatives.server.db.sql.query<{ id: string; board: { nik: string }[] }>('SELECT id, board FROM "Cooperative" WHERE id = ANY($1)', [
    ids,
  ]);
  return new Map(rows.map((r) => [r.id, r.board.map((m) => m.nik)]));
}

describe('a read of personal data', () => {
  it('creates exactly one record per person and request: several fields, aliases, fragments, entity batches and fetches', async () => {
    const financed = (await as(ANALYST, '{ financedCooperatives(regionCode: "35.14", first: 3) { id } }')).body.data!.financedCooperatives as { id: string }[];
    expect(financed).toHaveLength(3);
    const other = financed[0]!.id;
    // One client request, two fetches to cooperatives: the aliases in the first, the financing list's _entities in the second.
    const { body, requestId } = await as(
      OFFICER,
      `query Board($x: ID!, $o: ID!) {
      a: cooperative(id: $x) { board { nik } }
      b: cooperative(id: $x) { board { name ...Seat } }
      c: cooperative(id: $o) { name board { nik } }
      financedCooperatives(regionCode: "35.14", first: 3) { id board { name } }
    } fragment Seat on BoardMember { role }`,
      { x: COOPERATIVE, o: other },
    );
    expect(body.errors).toBeUndefined();
    const niks = await niksOf([COOPERATIVE, ...financed.map((f) => f.id)]);
    const expected = new Map<string, string[]>();
    for (const [id, list] of niks) for (const nik of list) expected.set(nik, [...(expected.get(nik) ?? []), id].sort());
    const rows = await rowsOf(requestId);
    expect(rows).toHaveLength(expected.size);
    expect(new Map(rows.map((r) => [r.data_subject, r.entity_ids]))).toEqual(expected);
    for (const row of rows) {
      // The fields of the whole request (the gateway declares them to every fetch), for every person.
      expect(row).toMatchObject({
        fields: ['BoardMember.name', 'BoardMember.nik', 'BoardMember.role', 'Cooperative.board'],
        reader_subject: 'test-officer-cooperatives',
        reader_role: 'officer',
        reader_ministry: 'cooperatives',
        purpose: 'registry-board-verification',
      });
    }
    expect((await verifyAccessRecord(rawSql(cooperatives.server.db.sql))).ok).toBe(true);
  });

  it('records nothing when nothing personal is read, or when the read is refused', async () => {
    const plain = await as(OFFICER, `{ cooperative(id: "${COOPERATIVE}") { name stage } }`);
    const refused = await as(ANALYST, `{ cooperative(id: "${COOPERATIVE}") { board { nik } } }`);
    expect(refused.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await rowsOf(plain.requestId)).toEqual([]);
    expect(await rowsOf(refused.requestId)).toEqual([]);
  });

  it('withholds only the personal fields when the record cannot be written; the rest of the answer arrives', async () => {
    const sql = cooperatives.server.db.sql;
    await sql.exec(`CREATE FUNCTION test_record_store_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'record store unavailable (test)'; END $$;
      CREATE TRIGGER test_record_store_down BEFORE INSERT ON "${ACCESS_RECORD}" FOR EACH ROW EXECUTE FUNCTION test_record_store_down();`);
    try {
      const { status, body, requestId } = await as(
        OFFICER,
        `{ cooperative(id: "${COOPERATIVE}") { name stage board { name nik } financing { source } } village(code: "35.14.01.2001") { name } }`,
      );
      expect(status).toBe(200);
      expect(body.data).toEqual({
        cooperative: { name: expect.any(String), stage: expect.any(String), board: null, financing: { source: expect.any(String) } },
        village: { name: 'Gerbo' },
      });
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ['cooperative', 'board'],
          message: expect.stringMatching(
            /^Cooperative\.board is withheld: the personal-data access record could not be written \(.*record store unavailable \(test\).*\), and personal data is served only with its record/,
          ),
          extensions: expect.objectContaining({ code: 'ACCESS_RECORD_UNAVAILABLE' }),
        }),
      ]);
      expect(JSON.stringify(body)).not.toMatch(/"nik"/);
      expect(await rowsOf(requestId)).toEqual([]);
    } finally {
      await sql.exec('DROP TRIGGER test_record_store_down ON "_kopdes_access_record"; DROP FUNCTION test_record_store_down();');
    }
    expect((await as(OFFICER, `{ cooperative(id: "${COOPERATIVE}") { board { nik } } }`)).body.errors).toBeUndefined();
  });
});

const RECORD = `query Record($filter: AccessRecordFilter, $first: Int, $after: String) {
  cooperativesAccessRecord(filter: $filter, first: $first, after: $after) {
    totalCount edges { node { id at requestId readerSubject readerRole readerMinistry purpose purposeTitle legalBasis dataSubject entity entityIds fields hash prevHash } }
    pageInfo { hasNextPage endCursor }
  }
}`;
type Entry = {
  id: string;
  at: string;
  requestId: string;
  readerSubject: string;
  dataSubject: string;
  entityIds: string[];
  purpose: string;
  legalBasis: string | null;
};
const entries = (body: Body) => (body.data!.cooperativesAccessRecord as { edges: { node: Entry }[] }).edges.map((e) => e.node);

describe('the access record through the graph', () => {
  let subject: string;
  let officerRead: string;
  let adminRead: string;
  beforeAll(async () => {
    subject = (await niksOf([COOPERATIVE])).get(COOPERATIVE)![0]!;
    officerRead = (await as(OFFICER, `{ cooperative(id: "${COOPERATIVE}") { board { nik } } }`)).requestId;
    adminRead = (await as(OVERSIGHT, `{ cooperative(id: "${COOPERATIVE}") { board { name } } }`)).requestId;
  });

  it('answers officers of the owning ministry and admins, by person, by reader and by time range, paged', async () => {
    for (const reader of [OFFICER, OVERSIGHT]) {
      const byPerson = await as(reader, RECORD, { filter: { dataSubject: subject }, first: 500 });
      expect(byPerson.body.errors).toBeUndefined();
      const mine = entries(byPerson.body);
      expect(mine.every((e) => e.dataSubject === subject && e.entityIds.includes(COOPERATIVE))).toBe(true);
      expect(mine.map((e) => e.requestId)).toEqual(expect.arrayContaining([officerRead, adminRead]));
      expect(mine.find((e) => e.requestId === adminRead)).toMatchObject({
        readerSubject: 'test-admin',
        purpose: 'data-protection-oversight',
        legalBasis: expect.stringMatching(/^UU 27\/2022/),
      });
    }
    const byReader = entries((await as(OVERSIGHT, RECORD, { filter: { reader: 'test-admin' }, first: 500 })).body);
    expect(byReader.length).toBeGreaterThan(0);
    expect(byReader.every((e) => e.readerSubject === 'test-admin')).toBe(true);
    const at = entries((await as(OVERSIGHT, RECORD, { filter: { requestId: adminRead } })).body)[0]!.at;
    const window = entries((await as(OVERSIGHT, RECORD, { filter: { from: at, to: new Date(Date.parse(at) + 1).toISOString() }, first: 500 })).body);
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((e) => e.at === at)).toBe(true);
    expect(entries((await as(OVERSIGHT, RECORD, { filter: { to: '2020-01-01T00:00:00Z' } })).body)).toEqual([]);
    // Pages of 2, newest first, without overlap.
    const first = (await as(OVERSIGHT, RECORD, { filter: { dataSubject: subject }, first: 2 })).body.data!.cooperativesAccessRecord;
    const next = (await as(OVERSIGHT, RECORD, { filter: { dataSubject: subject }, first: 2, after: first.pageInfo.endCursor })).body.data!
      .cooperativesAccessRecord;
    const ids = [...first.edges, ...next.edges].map((e: { node: Entry }) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.totalCount).toBe(entries((await as(OVERSIGHT, RECORD, { filter: { dataSubject: subject }, first: 500 })).body).length);
  });

  it('refuses everyone else, and needs no purpose (reading the record is not reading a board)', async () => {
    for (const caller of [undefined, ANALYST, FINANCING]) {
      const { body } = await as(caller, RECORD, { filter: { dataSubject: subject } });
      expect(body.data ?? null).toBeNull();
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: caller
            ? 'Query.cooperativesAccessRecord is the cooperatives personal-data access record: only cooperatives officers and admins may read it.'
            : 'Query.cooperativesAccessRecord needs a signed-in analyst, officer or admin; send a bearer token.',
          extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
        }),
      ]);
    }
  });

  it("gives a data subject's whole history, and exports it", async () => {
    const query = `query Person($nik: String!) { cooperativesDataSubjectAccess(dataSubject: $nik) { dataSubject keptBy retentionDays totalReads readers reads { at requestId readerSubject purpose fields } } }`;
    const { body } = await as(OVERSIGHT, query, { nik: subject });
    expect(body.errors).toBeUndefined();
    const report = body.data!.cooperativesDataSubjectAccess;
    expect(report).toMatchObject({
      dataSubject: subject,
      keptBy: 'cooperatives (Kemenkop)',
      retentionDays: 1826,
      readers: expect.arrayContaining(['test-officer-cooperatives', 'test-admin']),
    });
    expect(report.reads).toHaveLength(report.totalReads);
    expect(report.reads.map((r: { requestId: string }) => r.requestId)).toEqual(expect.arrayContaining([officerRead, adminRead]));
    const res = await fetch(`${platform.url}/export?format=csv&path=cooperativesDataSubjectAccess.reads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: tokens.get(OVERSIGHT)! },
      body: JSON.stringify({ query, variables: { nik: subject } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-export-rows')).toBe(String(report.totalReads));
    const csv = await res.text();
    expect(csv.split(/\r?\n/)[0]).toBe('at,requestId,readerSubject,purpose,fields');
    expect(csv).toContain(adminRead);
  });
});
