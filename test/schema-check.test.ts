import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildSchema, Kind, parse, print, visit, type DocumentNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { repoRoot } from '@kopdes/kit';
import { loadOperations } from '../gateway/src/operations';
import { composeFromCode } from '../scripts/lib/composition';
import { checkSchema, compose, formatReport, operationUsage, type SubgraphSdl } from '../scripts/lib/schema-check';
import { operationsManifest } from '../scripts/lib/operations-manifest';

/** The SDL with `Type.field` removed. */
function withoutField(sdl: string, type: string, field: string): string {
  let removed = false;
  const doc = visit(parse(sdl), {
    ObjectTypeDefinition(node) {
      if (node.name.value !== type) return undefined;
      const fields = node.fields?.filter((f) => f.name.value !== field);
      removed = fields?.length !== node.fields?.length;
      return { ...node, fields };
    },
  });
  if (!removed) throw new Error(`${type}.${field} is not in this SDL`);
  return print(doc);
}

/** The SDL with a field definition (e.g. "legacyCode: String") added to `type`. */
function withField(sdl: string, type: string, definition: string): string {
  const field = (parse(`type X { ${definition} }`).definitions[0] as ObjectTypeDefinitionNode).fields![0]! as FieldDefinitionNode;
  const doc: DocumentNode = visit(parse(sdl), {
    ObjectTypeDefinition(node) {
      return node.name.value === type ? { ...node, fields: [...(node.fields ?? []), field] } : undefined;
    },
  });
  return print(doc);
}

const replace = (subgraphs: SubgraphSdl[], name: string, edit: (sdl: string) => string) =>
  subgraphs.map((s) => (s.name === name ? { ...s, sdl: edit(s.sdl) } : s));

let current: SubgraphSdl[];
let currentSupergraph: string;
const operations = loadOperations(path.join(repoRoot, 'schema/operations'));

beforeAll(async () => {
  const composed = await composeFromCode();
  expect(composed.errors).toEqual([]);
  current = composed.subgraphs;
  currentSupergraph = composed.supergraphSdl!;
});

describe('schema check', () => {
  it('passes the code as it is: every registered operation validates', async () => {
    expect(operations.map((o) => o.name)).toEqual(
      expect.arrayContaining(['cooperative-profile', 'cooperatives-by-region', 'regency-cooperatives', 'province-dashboard']),
    );
    const report = await checkSchema({ subgraphs: current, previousSupergraphSdl: currentSupergraph, previousSubgraphs: current, operations });
    expect(report.composition).toEqual([]);
    expect(report.changes).toEqual([]);
    expect(report.operations.filter((o) => !o.valid)).toEqual([]);
    expect(report.unsizedLists).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('refuses a new list field without @listSize, saying what to add; a sized one passes', async () => {
    const unsized = replace(current, 'energy', (sdl) => withField(sdl, 'CooperativeEnergy', 'inspections: [String!]!'));
    const report = await checkSchema({ subgraphs: unsized, previousSupergraphSdl: currentSupergraph, previousSubgraphs: current, operations });
    expect(report.composition).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.unsizedLists).toEqual([
      { subgraph: 'energy', coordinate: 'CooperativeEnergy.inspections', fix: expect.stringMatching(/@ListSize\(n\).*@listSize\(assumedSize: n\)/) },
    ]);
    const text = formatReport(report);
    expect(text).toMatch(
      /List fields without a size \(1\)[^\n]*\n {2}✗ energy: CooperativeEnergy.inspections returns a list with no size: mark it @ListSize\(n\)/,
    );
    expect(text).toMatch(/FAILED: 1 list field\(s\) without @listSize\./);

    const paged = replace(current, 'energy', (sdl) => withField(sdl, 'CooperativeEnergy', 'inspections(first: Int = 10): [String!]!'));
    const pagedReport = await checkSchema({ subgraphs: paged, previousSupergraphSdl: currentSupergraph, previousSubgraphs: current, operations });
    expect(pagedReport.unsizedLists.map((l) => l.fix)).toEqual([expect.stringMatching(/takes first: mark it @PagedBy\(\)/)]);

    const sized = replace(current, 'energy', (sdl) => withField(sdl, 'CooperativeEnergy', 'inspections: [String!]! @listSize(assumedSize: 4)'));
    const sizedReport = await checkSchema({ subgraphs: sized, previousSupergraphSdl: currentSupergraph, previousSubgraphs: current, operations });
    expect(sizedReport.unsizedLists).toEqual([]);
    expect(sizedReport.ok).toBe(true);
  });

  it('fails when a removed field is used by a registered operation, and names the operation and the subgraph', async () => {
    const next = replace(current, 'cooperatives', (sdl) => withoutField(sdl, 'Cooperative', 'nikKoperasi'));
    const report = await checkSchema({ subgraphs: next, previousSupergraphSdl: currentSupergraph, previousSubgraphs: current, operations });
    expect(report.ok).toBe(false);
    const change = report.changes.find((c) => c.coordinate === 'Cooperative.nikKoperasi')!;
    expect(change).toMatchObject({ class: 'breaking', type: 'FIELD_REMOVED', subgraphs: ['cooperatives'] });
    expect(change.operations).toContain('cooperative-profile');
    const profile = report.operations.find((o) => o.name === 'cooperative-profile')!;
    expect(profile.valid).toBe(false);
    expect(profile.brokenBy).toEqual(['Cooperative.nikKoperasi']);
    expect(profile.errors.join('\n')).toMatch(/Cannot query field "nikKoperasi" on type "Cooperative"/);
    expect(report.summary.brokenOperations).toContain('cooperative-profile');
    const text = formatReport(report);
    expect(text).toMatch(
      /── cooperatives ─+\n {2}✗ BREAKING: Field 'nikKoperasi' was removed from object type 'Cooperative'\n {6}used by: .*cooperative-profile/,
    );
    expect(text).toMatch(/FAILED: breaks .*cooperative-profile/);
  });

  it('passes the same removal of a field no registered operation uses, as safe for known clients', async () => {
    // The committed schema had a field no registered operation uses; the code drops it.
    const before = replace(current, 'cooperatives', (sdl) => withField(sdl, 'Cooperative', 'legacyCode: String'));
    const previous = compose(before);
    expect(previous.issues).toEqual([]);
    const report = await checkSchema({ subgraphs: current, previousSupergraphSdl: previous.supergraphSdl, previousSubgraphs: before, operations });
    expect(report.changes).toEqual([
      expect.objectContaining({
        class: 'safe-for-known-clients',
        type: 'FIELD_REMOVED',
        coordinate: 'Cooperative.legacyCode',
        subgraphs: ['cooperatives'],
        operations: [],
      }),
    ]);
    expect(report.ok).toBe(true);
    expect(formatReport(report)).toMatch(/~ breaking, safe for known clients: Field 'legacyCode' was removed/);
  });

  it('reports a composition conflict between two subgraphs with both named, the field and a hint', async () => {
    // financing declares Cooperative.members with another type than the registry's Int!, not @shareable.
    const next = replace(current, 'financing', (sdl) => withField(sdl, 'Cooperative', 'members: String'));
    const report = await checkSchema({ subgraphs: next, previousSupergraphSdl: currentSupergraph, previousSubgraphs: current, operations });
    expect(report.ok).toBe(false);
    const mismatch = report.composition.find((c) => c.code === 'FIELD_TYPE_MISMATCH')!;
    expect(mismatch).toMatchObject({ subgraphs: ['cooperatives', 'financing'], coordinate: 'Cooperative.members' });
    expect(mismatch.hint).toMatch(/namespace/);
    const sharing = report.composition.find((c) => c.code === 'INVALID_FIELD_SHARING')!;
    expect(sharing).toMatchObject({ subgraphs: ['cooperatives', 'financing'], coordinate: 'Cooperative.members' });
    expect(formatReport(report)).toMatch(/── cooperatives \+ financing ─+\n {2}✗ composition FIELD_TYPE_MISMATCH at Cooperative.members/);
  });

  it('fails on removing an argument an operation passes, naming that operation only', async () => {
    // financedCooperatives(inArrears:) removed: question 4 (arrears with Dana Desa intercepts) passes it.
    const passing = operations.filter((o) => /financedCooperatives\([^)]*inArrears:/.test(o.document)).map((o) => o.name);
    expect(passing.length).toBeGreaterThan(0);
    const next = replace(current, 'financing', (sdl) =>
      print(
        visit(parse(sdl), {
          FieldDefinition(node) {
            return node.name.value === 'financedCooperatives' ? { ...node, arguments: node.arguments?.filter((a) => a.name.value !== 'inArrears') } : undefined;
          },
        }),
      ),
    );
    const report = await checkSchema({ subgraphs: next, previousSupergraphSdl: currentSupergraph, previousSubgraphs: current, operations });
    const change = report.changes.find((c) => c.coordinate === 'Query.financedCooperatives.inArrears')!;
    expect(change).toMatchObject({ class: 'breaking', subgraphs: ['financing'], operations: passing });
    expect(report.summary.brokenOperations).toEqual(passing);
    for (const name of passing) expect(report.operations.find((o) => o.name === name)!.errors.join('\n')).toMatch(/Unknown argument "inArrears"/);
  });

  it('classifies additions as safe and a new enum value as dangerous', async () => {
    const before = replace(current, 'cooperatives', (sdl) =>
      print(
        visit(parse(sdl), {
          EnumTypeDefinition(node) {
            return node.name.value === 'UnitStatus' ? { ...node, values: node.values?.filter((v) => v.name.value !== 'COMPLETED') } : undefined;
          },
        }),
      ),
    );
    const report = await checkSchema({ subgraphs: current, previousSupergraphSdl: compose(before).supergraphSdl, previousSubgraphs: before, operations });
    expect(report.changes).toEqual([
      expect.objectContaining({ class: 'dangerous', type: 'ENUM_VALUE_ADDED', coordinate: 'UnitStatus.COMPLETED', subgraphs: ['cooperatives'] }),
    ]);
    expect(report.ok).toBe(true);
  });

  it('rejects a registered operation without a name or with a syntax error', async () => {
    const report = await checkSchema({
      subgraphs: current,
      previousSupergraphSdl: currentSupergraph,
      operations: [
        { name: 'anonymous', document: '{ provinces { code } }' },
        { name: 'broken', document: 'query Broken { provinces { code }' },
      ],
    });
    expect(report.ok).toBe(false);
    expect(report.operations.map((o) => [o.name, o.valid])).toEqual([
      ['anonymous', false],
      ['broken', false],
    ]);
    expect(report.operations[0]!.errors[0]).toMatch(/no name/);
    expect(report.operations[1]!.errors[0]).toMatch(/does not parse/);
  });
});

describe('operation usage', () => {
  const schema = buildSchema(`
    type Query { coop(id: ID!, at: Stage): Coop  search(filter: Filter): [Coop!]! }
    type Coop { id: ID! name: String stage: Stage }
    enum Stage { A B C }
    input Filter { region: String stage: Stage nested: Inner }
    input Inner { x: Int }
  `);
  it('collects fields, arguments, input fields and enum values, and everything a variable could carry', () => {
    const used = operationUsage(
      schema,
      parse(`query Q($f: Filter) {
      coop(id: "1", at: B) { ... on Coop { name } }
      search(filter: $f) { id }
      literal: search(filter: { region: "35" }) { id @include(if: true) }
    }`),
    );
    expect([...used].sort()).toEqual(
      [
        '@include',
        '@include.if',
        'Coop',
        'Coop.id',
        'Coop.name',
        'Filter',
        'Filter.nested',
        'Filter.region',
        'Filter.stage',
        'ID',
        'Inner',
        'Inner.x',
        'Int',
        'Query',
        'Query.coop',
        'Query.coop.at',
        'Query.coop.id',
        'Query.search',
        'Query.search.filter',
        'Stage',
        'Stage.A',
        'Stage.B',
        'Stage.C',
        'String',
      ].sort(),
    );
  });
});

describe('persisted operations manifest', () => {
  it('gives every registered operation a sha256 id of its document', () => {
    const manifest = operationsManifest(path.join(repoRoot, 'schema/operations'));
    expect(manifest.map((m) => m.name)).toEqual(operations.map((o) => o.name));
    for (const entry of manifest) {
      expect(entry.id).toMatch(/^[0-9a-f]{64}$/);
      expect(parse(entry.document).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === entry.operationName)).toBe(true);
    }
    expect(new Set(manifest.map((m) => m.id)).size).toBe(manifest.length);
  });
});
