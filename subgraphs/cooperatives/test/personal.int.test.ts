import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootSubgraph, checkPurpose, parsePurposes, type Purpose } from '@kopdes/kit';
import { ADMIN, officerOf, startTestSubgraph, testSigningKeys, withPurpose, type TestSubgraph } from '@kopdes/kit/testing';
import { cooperatives } from '../src/subgraph';

/**
 * Board members under agreements of every shape (a registry made for the test): in force or not,
 * for this subgraph's data or another's; and a registry that names what is not personal here
 * stops the subgraph at start-up.
 */
const BOARD_FIELDS = ['Cooperative.board', 'BoardMember.role', 'BoardMember.name', 'BoardMember.nik', 'BoardMember.exOfficio'];
const agreement = (code: string, extra: Partial<Purpose> = {}): Purpose => ({
  code,
  title: `Test agreement ${code}`,
  subgraph: 'cooperatives',
  legalBasis: 'test',
  agreement: 'test',
  fields: BOARD_FIELDS,
  readers: [{ role: 'officer', ministry: 'cooperatives' }, { role: 'admin' }],
  validFrom: '2025-01-01',
  validUntil: '2099-12-31',
  ...extra,
});
const registry = parsePurposes(
  [
    agreement('in-force'),
    agreement('ended', { validFrom: '2024-01-01', validUntil: '2024-12-31' }),
    agreement('not-yet', { validFrom: '2098-01-01' }),
    agreement('financing-data', { subgraph: 'financing', fields: ['Loan.officerName'] }),
  ],
  'test-purposes.json',
);

const BOARD = '{ cooperative(id: "KDMP-35.14.01.2001") { id board { nik } } }';
let sg: TestSubgraph;
beforeAll(async () => {
  sg = await startTestSubgraph(cooperatives, { purposes: registry });
});
afterAll(async () => {
  await sg?.stop();
});

const reason = async (purpose: string) => {
  const { body } = await sg.query(BOARD, undefined, { caller: withPurpose(officerOf('cooperatives'), purpose) });
  return {
    reason: body.errors?.[0]?.extensions?.reason,
    message: body.errors?.[0]?.message,
    board: (body.data as { cooperative: { board: unknown } }).cooperative.board,
  };
};

describe('purposes of use in the cooperatives subgraph', () => {
  it('serve the board under an agreement in force', async () => {
    const { board, reason: refused } = await reason('in-force');
    expect(refused).toBeUndefined();
    expect(board).toEqual(expect.arrayContaining([{ nik: expect.stringMatching(/^\d{16}$/) }]));
  });

  it('refuse an agreement that has ended or not begun, saying when it is in force', async () => {
    expect(await reason('ended')).toEqual({
      reason: 'PURPOSE_EXPIRED',
      board: null,
      message: expect.stringMatching(
        /^Cooperative\.board is personal data: purpose "ended" is in force from 2024-01-01 to 2024-12-31, not on \d{4}-\d{2}-\d{2}\. Renew the agreement/,
      ),
    });
    expect((await reason('not-yet')).reason).toBe('PURPOSE_EXPIRED');
  });

  it("refuse another ministry's agreement", async () => {
    expect(await reason('financing-data')).toEqual({
      reason: 'PURPOSE_NOT_ALLOWED',
      board: null,
      message: expect.stringMatching(
        /^Cooperative\.board is personal data of the cooperatives subgraph: your token's purpose "financing-data" covers financing data only\./,
      ),
    });
  });

  it('are checked against the schema at start-up', async () => {
    const boot = (purposes: Purpose[]) =>
      testSigningKeys().then((keys) =>
        bootSubgraph(cooperatives, { dataDir: 'memory://', seed: false, gatewayKey: keys.publicKey, purposes: parsePurposes(purposes, 'bad.json') }),
      );
    await expect(boot([agreement('not-personal', { fields: ['Cooperative.name'] })])).rejects.toThrow(
      'bad.json: purpose "not-personal" names Cooperative.name, not a personal field of the cooperatives subgraph (personal: BoardMember.exOfficio, BoardMember.name, BoardMember.nik, BoardMember.role, Cooperative.board).',
    );
    await expect(boot([agreement('too-wide', { readers: [{ role: 'analyst' }] })])).rejects.toThrow(
      'bad.json: purpose "too-wide" lists the analyst role as a reader, but only cooperatives officers and admins may read cooperatives personal data; a purpose cannot widen that.',
    );
  });
});

describe('the registry file', () => {
  it('refuses malformed agreements with a message naming the entry', () => {
    expect(() => parsePurposes([{ ...agreement('a-b-c'), validUntil: '2025-02-31x' }], 'p.json')).toThrow(
      'p.json: purposes[0] ("a-b-c"): validUntil "2025-02-31x" is not a date; write YYYY-MM-DD.',
    );
    expect(() => parsePurposes([agreement('dup'), agreement('dup')], 'p.json')).toThrow('p.json: purposes[1] ("dup"): code "dup" is registered twice.');
    expect(() => parsePurposes([agreement('Bad Code')], 'p.json')).toThrow(/code must be 3-64 lower-case letters/);
    expect(() => parsePurposes([agreement('no-readers', { readers: [] })], 'p.json')).toThrow(/needs "readers"/);
    expect(() => parsePurposes([agreement('officer-nowhere', { readers: [{ role: 'officer' }] })], 'p.json')).toThrow(/an officer reader needs "ministry"/);
    expect(() => parsePurposes({}, 'p.json')).toThrow('p.json: "purposes" must be a list of agreements.');
  });

  it('ends an agreement at the end of its last day in Indonesia (WIB)', () => {
    const caller = withPurpose(ADMIN, 'short');
    const short = parsePurposes([agreement('short', { validFrom: '2025-03-01', validUntil: '2025-03-31' })], 'p.json');
    expect(checkPurpose(short, caller, 'cooperatives', 'X', BOARD_FIELDS, new Date('2025-03-31T16:59:59Z')).code).toBe('short'); // 23:59:59 WIB
    expect(() => checkPurpose(short, caller, 'cooperatives', 'X', BOARD_FIELDS, new Date('2025-03-31T17:00:00Z'))).toThrow(/not on 2025-04-01/);
  });
});
