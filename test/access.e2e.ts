import { generateSigningKeys, signCaller, type Caller } from '@kopdes/kit';
import { ADMIN, ANALYST, officerOf, PUBLIC, withPurpose, type TestSubgraph } from '@kopdes/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startPlatform, type TestPlatform } from './helpers';

/**
 * Each role against each class of field (public, analyst, personal, write), through the
 * gateway and directly against the subgraphs, including `_entities`: personal data reaches
 * only the owning ministry's officers and admins by any path, a ministry writes only its own
 * records, and a request that skips the gateway is refused.
 */
const COOPERATIVE = 'KDMP-35.14.01.2001';
const WARD = '35.14.14.1001'; // a kelurahan: may hold more than one cooperative

type Role = 'public' | 'analyst' | 'cooperatives officer' | 'financing officer' | 'admin';
// Readers of personal data carry a registered purpose of use (schema/purposes.json; purposes.e2e.ts tests refusals).
const CALLERS: Record<Role, Caller> = {
  public: PUBLIC,
  analyst: ANALYST,
  'cooperatives officer': withPurpose(officerOf('cooperatives'), 'registry-board-verification'),
  'financing officer': officerOf('financing'),
  admin: withPurpose(ADMIN, 'data-protection-oversight'),
};
const ROLES = Object.keys(CALLERS) as Role[];
const readsAnalyst = (role: Role) => role !== 'public';
const readsPersonal = (role: Role) => role === 'cooperatives officer' || role === 'admin';

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

let platform: TestPlatform;
let cooperatives: TestSubgraph;
let financing: TestSubgraph;
let regions: TestSubgraph;
const headers = new Map<Role, Record<string, string>>();

beforeAll(async () => {
  platform = await startPlatform();
  cooperatives = platform.subgraphs.get('cooperatives')!;
  financing = platform.subgraphs.get('financing')!;
  regions = platform.subgraphs.get('regions')!;
  for (const role of ROLES) headers.set(role, role === 'public' ? {} : { authorization: await bearer(CALLERS[role]) });
});
afterAll(async () => {
  await platform?.stop();
});

const viaGateway = async (role: Role, query: string, variables?: Record<string, unknown>) =>
  (await platform.query(query, variables, headers.get(role))).body as Body;
const codes = (body: Body) => [...new Set((body.errors ?? []).map((e) => e.extensions?.code))];
/** A refusal as the kit words it, at one path. */
const forbiddenAt = (path: (string | number)[], message: string) =>
  expect.objectContaining({ message, path, extensions: expect.objectContaining({ code: 'FORBIDDEN' }) });
const REFUSED_COOPERATIVE = 'Cooperative needs a signed-in analyst, officer or admin; send a bearer token.';
/** Personal data is board members' names and NIKs: none may appear in an answer to a caller without the role. */
const leaksPersonal = (body: unknown) => /"nik":"\d/.test(JSON.stringify(body));

describe.each(ROLES)('%s through the gateway', (role) => {
  it('reads public region data and registry aggregates', async () => {
    const body = await viaGateway(role, '{ province(code: "35") { name registry { kdmp } } regency(code: "35.14") { name registry { kdmp } } }');
    expect(body.errors).toBeUndefined();
    // KDMP only: the write tests below register KKMP cooperatives in a ward.
    expect(body.data).toEqual({ province: { name: 'Jawa Timur', registry: { kdmp: 341 } }, regency: { name: 'Kabupaten Pasuruan', registry: { kdmp: 341 } } });
  });

  it(`${readsAnalyst(role) ? 'reads' : 'is refused'} analyst fields (Cooperative.name, Cooperative.financing)`, async () => {
    const body = await viaGateway(
      role,
      `{ cooperative(id: "${COOPERATIVE}") { name financing { source } } financedCooperatives(regionCode: "35.14", first: 2) { id } }`,
    );
    if (readsAnalyst(role)) {
      expect(body.errors).toBeUndefined();
      expect(body.data!.cooperative).toEqual({ name: expect.any(String), financing: { source: expect.any(String) } });
      expect(body.data!.financedCooperatives).toHaveLength(2);
    } else {
      expect(body.data).toBeNull(); // financedCooperatives is non-null: the refusal nulls the whole answer
      expect(codes(body)).toEqual(['FORBIDDEN']);
      expect(body.errors!.map((e) => e.message)).toContain('Query.cooperative needs a signed-in analyst, officer or admin; send a bearer token.');
    }
  });

  it(`reads pilot sites (programme facts); ${readsAnalyst(role) ? 'reads' : 'is refused'} the cooperative behind one`, async () => {
    const sites = await viaGateway(role, '{ pilotSites(regionCode: "35.14") { id model village { code name } } }');
    expect(sites.errors).toBeUndefined();
    expect(sites.data!.pilotSites).toContainEqual({
      id: 'PILOT-KDMP-35.14.09.2019',
      model: expect.any(String),
      village: { code: '35.14.09.2019', name: 'Wonokerto' },
    });
    const joined = await viaGateway(role, '{ pilotSites(regionCode: "35.14.09.2019") { id cooperative { name } } }');
    if (readsAnalyst(role)) {
      expect(joined.errors).toBeUndefined();
      expect(joined.data!.pilotSites).toEqual([{ id: 'PILOT-KDMP-35.14.09.2019', cooperative: { name: expect.any(String) } }]);
    } else {
      expect(joined.data).toBeNull(); // cooperative is non-null: the refusal nulls the list
      expect(joined.errors).toEqual([
        forbiddenAt(['pilotSites', 0, 'cooperative'], 'PilotSite.cooperative needs a signed-in analyst, officer or admin; send a bearer token.'),
      ]);
    }
  });

  it(`${readsAnalyst(role) ? 'reads' : 'is refused'} a ministry's analyst fields on a public entity (Village.electrification, through _entities)`, async () => {
    const body = await viaGateway(role, '{ village(code: "35.14.01.2001") { name developmentStatus { year } electrification { electrified } } }');
    const village = body.data!.village as { name: string; developmentStatus: { year: number }; electrification: unknown };
    // The public fields arrive either way: regions' name, villages' (Kemendes PDT) developmentStatus.
    expect(village).toMatchObject({ name: 'Gerbo', developmentStatus: { year: expect.any(Number) } });
    if (readsAnalyst(role)) {
      expect(body.errors).toBeUndefined();
      expect(village.electrification).toEqual({ electrified: expect.any(Boolean) });
    } else {
      expect(village.electrification).toBeNull();
      // energy refuses the Village entity itself, so the error stands at the village.
      expect(body.errors).toEqual([forbiddenAt(['village'], 'Village needs a signed-in analyst, officer or admin; send a bearer token.')]);
    }
  });

  it(`${readsPersonal(role) ? 'reads' : 'never sees'} personal data (Cooperative.board), by every path`, async () => {
    const paths = [
      `{ cooperative(id: "${COOPERATIVE}") { id board { name nik } } }`,
      '{ cooperatives(first: 3, filter: { regionCode: "35.14.01" }) { edges { node { id board { name nik } } } } }',
      `{ village(code: "35.14.01.2001") { name cooperatives { id board { name nik } } } }`,
      // From the financing subgraph's list, through _entities on the cooperatives subgraph.
      '{ financedCooperatives(regionCode: "35.14", first: 3) { id board { name nik } } }',
      `{ cooperative(id: "${COOPERATIVE}") { ... on Cooperative { board { ...Person } } } } fragment Person on BoardMember { name nik }`,
    ];
    for (const query of paths) {
      const body = await viaGateway(role, query);
      if (readsPersonal(role)) {
        expect(body.errors, query).toBeUndefined();
        expect(leaksPersonal(body), query).toBe(true);
      } else {
        expect(leaksPersonal(body), query).toBe(false);
        expect(codes(body), query).toContain('FORBIDDEN');
      }
    }
  });

  it(`${readsPersonal(role) ? 'may' : 'may not'} write cooperatives records; nobody else's officer may`, async () => {
    const mutation = `mutation Register($key: String!) { registerCooperative(idempotencyKey: $key, input: {
      villageCode: "${WARD}", name: "Koperasi Kelurahan Merah Putih Kolursari ${role}", kind: KKMP, formation: NEW, musdesusDate: "2025-06-01", members: 12 }) { id name } }`;
    const body = await viaGateway(role, mutation, { key: `access-test-${role.replace(/ /g, '-')}` });
    if (readsPersonal(role)) {
      expect(body.errors).toBeUndefined();
      expect(body.data!.registerCooperative).toEqual({ id: expect.stringMatching(/^KKMP-35\.14\.14\.1001-\d+$/), name: expect.stringContaining(role) });
    } else {
      expect(body.data).toBeNull();
      expect(codes(body)).toEqual(['FORBIDDEN']);
      expect(body.errors![0]!.message).toMatch(
        role === 'public'
          ? /needs a signed-in analyst, officer or admin/
          : /^Mutation\.registerCooperative changes cooperatives records: only cooperatives officers and admins may do it\.$/,
      );
    }
  });
});

describe('writes', () => {
  it('were applied only for the cooperatives officer and the admin', async () => {
    const body = await viaGateway('admin', `{ village(code: "${WARD}") { cooperatives { name } } }`);
    const names = (body.data!.village as { cooperatives: { name: string }[] }).cooperatives.map((c) => c.name);
    expect(names.filter((n) => n.startsWith('Koperasi Kelurahan Merah Putih Kolursari ')).sort()).toEqual([
      'Koperasi Kelurahan Merah Putih Kolursari admin',
      'Koperasi Kelurahan Merah Putih Kolursari cooperatives officer',
    ]);
  });
});

describe.each(ROLES)('%s directly against a subgraph (as the gateway would sign it)', (role) => {
  const caller = () => CALLERS[role];

  it('regions: public data for everyone', async () => {
    const { status, body } = await regions.query('{ province(code: "35") { name } }', undefined, { caller: caller() });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { province: { name: 'Jawa Timur' } } });
  });

  it(`cooperatives: ${readsPersonal(role) ? 'board readable' : 'board refused'}, also through _entities`, async () => {
    const direct = await cooperatives.query(`{ cooperative(id: "${COOPERATIVE}") { name board { nik } } }`, undefined, { caller: caller() });
    const entities = await cooperatives.query(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { id name board { name nik } } } }',
      {
        r: [
          { __typename: 'Cooperative', id: COOPERATIVE },
          { __typename: 'Cooperative', id: 'KDMP-35.14.01.2002' },
        ],
      },
      { caller: caller() },
    );
    for (const { body } of [direct, entities]) {
      expect(leaksPersonal(body)).toBe(readsPersonal(role));
      if (readsPersonal(role)) expect(body.errors).toBeUndefined();
    }
    if (!readsPersonal(role)) expect(codes(direct.body as Body)).toEqual(['FORBIDDEN']);
    // An entity the caller may not read at all is null with FORBIDDEN at its index (the kit checks __resolveReference).
    if (!readsAnalyst(role)) {
      expect(entities.body).toEqual({ data: { _entities: [null, null] }, errors: [0, 1].map((i) => forbiddenAt(['_entities', i], REFUSED_COOPERATIVE)) });
    }
    if (readsAnalyst(role) && !readsPersonal(role)) {
      expect(codes(entities.body as Body)).toEqual(['FORBIDDEN']);
      // The rest of the entity still resolves: only the personal field is withheld.
      expect((entities.body.data as { _entities: { name: string; board: null }[] })._entities.map((e) => e.board)).toEqual([null, null]);
      expect((entities.body.data as { _entities: { name: string }[] })._entities.every((e) => typeof e.name === 'string')).toBe(true);
    }
  });

  it(`financing: Cooperative.financing ${readsAnalyst(role) ? 'readable' : 'refused'} through _entities`, async () => {
    const { body } = await financing.query(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { financing { source outstanding } } } }',
      { r: [{ __typename: 'Cooperative', id: COOPERATIVE }] },
      { caller: caller() },
    );
    if (readsAnalyst(role)) {
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({ _entities: [{ financing: { source: expect.any(String), outstanding: expect.stringMatching(/^\d+$/) } }] });
    } else {
      expect(body).toEqual({ data: { _entities: [null] }, errors: [forbiddenAt(['_entities', 0], REFUSED_COOPERATIVE)] });
    }
  });

  it(`cooperatives: writes ${readsPersonal(role) ? 'allowed' : 'refused'} directly too`, async () => {
    const { body } = await cooperatives.query(
      `mutation { setBusinessUnit(idempotencyKey: "direct-${role.replace(/ /g, '-')}", input: { cooperativeId: "${COOPERATIVE}", type: COLD_STORAGE, status: PLANNED }) { id } }`,
      undefined,
      { caller: caller() },
    );
    if (readsPersonal(role)) expect(codes(body as Body)).not.toContain('FORBIDDEN');
    else expect(codes(body as Body)).toEqual(['FORBIDDEN']);
  });
});

describe('a request that skips the gateway', () => {
  it('is refused with 401 without a caller token, or with one the gateway did not sign', async () => {
    const forger = await generateSigningKeys();
    const forged = await signCaller(ADMIN, forger.privateKey);
    for (const subgraph of [regions, cooperatives, financing]) {
      const missing = await subgraph.query('{ __typename }', undefined, { caller: null });
      expect(missing.status).toBe(401);
      expect(missing.body.errors![0]).toEqual({
        message: 'This subgraph answers only requests forwarded by the gateway (missing x-kopdes-caller). Query the gateway instead.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      const wrongKey = await subgraph.query(`{ __typename }`, undefined, { caller: null, headers: { 'x-kopdes-caller': forged } });
      expect(wrongKey.status).toBe(401);
      expect(wrongKey.body.errors![0]!.message).toMatch(/^The gateway's caller token was not accepted/);
    }
    // The personal-data query a forger would want gets nothing.
    const attempt = await cooperatives.query(`{ cooperative(id: "${COOPERATIVE}") { board { nik } } }`, undefined, {
      caller: null,
      headers: { 'x-kopdes-caller': forged },
    });
    expect(attempt.status).toBe(401);
    expect(leaksPersonal(attempt.body)).toBe(false);
  });

  it('cannot borrow a bearer token: subgraphs trust only the gateway-signed caller', async () => {
    const res = await fetch(cooperatives.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: headers.get('admin')!.authorization! },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(401);
  });
});

describe('bad bearer tokens at the gateway', () => {
  it('are refused with 401 and a message saying why', async () => {
    const expired = await bearer(ADMIN, { expiresIn: '-1m' });
    const wrongAudience = await bearer(ADMIN, { audience: 'someone-else' });
    const neverExpires = await bearer(ADMIN, { expiresIn: null });
    const tooLong = await bearer(ADMIN, { expiresIn: '13h' }); // the default AUTH_MAX_TOKEN_HOURS is 12
    const oddPurpose = await bearer({ ...ADMIN, purpose: 'Not A Code!' });
    const forged = await bearer(ADMIN, { secret: new TextEncoder().encode('not-the-identity-providers-secret-0123456789') });
    for (const [authorization, message] of [
      [expired, 'Unauthorized: the bearer token has expired; get a new one.'],
      [wrongAudience, /^Unauthorized: the bearer token's "aud" claim is not accepted/],
      [forged, 'Unauthorized: the bearer token is not signed by a trusted key.'],
      [neverExpires, 'Unauthorized: the bearer token has no expiry ("exp" claim), and tokens that never expire are refused; get one that expires.'],
      [tooLong, 'Unauthorized: the bearer token is valid for 13 h; this gateway accepts at most 12 h (AUTH_MAX_TOKEN_HOURS). Get a shorter-lived token.'],
      [oddPurpose, /^Unauthorized: the token's "purpose" claim must be the code of a registered purpose of use/],
      ['Basic YWRtaW46YWRtaW4=', 'Authorization must be "Bearer <token>".'],
    ] as const) {
      const { status, body } = await platform.query('{ provinces { code } }', undefined, { authorization });
      expect(status).toBe(401);
      expect(body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(body.errors![0]!.message).toMatch(message);
      expect(body.data).toBeUndefined();
    }
  });
});
