import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { afterAll, describe, expect, it } from 'vitest';
import { driftedFiles, generateClient, unmappedScalars } from '../scripts/lib/codegen';
import { entityKeys, keyFieldsOf } from '../scripts/lib/type-policies';

/** The typed client kit: generated from the committed files, committed, and checked for drift. */
const supergraphFile = path.join(repoRoot, 'schema/supergraph.graphql');
const scratch = mkdtempSync(path.join(tmpdir(), 'kopdes-codegen-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('codegen', () => {
  it('the committed schema/client is what codegen generates (codegen --check)', async () => {
    const files = await generateClient({
      schemaFile: path.join(repoRoot, 'schema/contracts/full.graphql'),
      supergraphFile,
      operations: path.join(repoRoot, 'schema/operations'),
      out: path.join(repoRoot, 'schema/client'),
    });
    expect([...files.keys()].map((f) => path.relative(repoRoot, f)).sort()).toEqual([
      'schema/client/gql.ts',
      'schema/client/graphql.ts',
      'schema/client/index.ts',
      'schema/client/type-policies.ts',
    ]);
    expect(driftedFiles(files)).toEqual([]);
    const edited = new Map(files);
    const [first] = files.keys();
    edited.set(first!, `${files.get(first!)}// changed\n`);
    expect(driftedFiles(edited)).toEqual([first]);
  });

  it("types a team's own operations folder, with Rupiah as a string", async () => {
    const operations = path.join(scratch, 'src');
    const out = path.join(operations, 'gql');
    rmSync(operations, { recursive: true, force: true });
    mkdirSync(operations, { recursive: true });
    writeFileSync(
      path.join(operations, 'loans.graphql'),
      'query Loans($id: ID!) { cooperative(id: $id) { financing { outstanding loans { plafond appliedOn } } } }\n',
    );
    const files = await generateClient({ schemaFile: path.join(repoRoot, 'schema/contracts/full.graphql'), supergraphFile, operations, out });
    const types = files.get(path.join(out, 'graphql.ts'))!;
    expect(types).toContain(
      'export type LoansQuery = { cooperative: { financing: { outstanding: string, loans: Array<{ plafond: string, appliedOn: string }> } | null } | null };',
    );
    expect(types).toContain('export type LoansQueryVariables = Exact<{\n  id: string | number;\n}>;');
    expect(files.get(path.join(out, 'type-policies.ts'))).toContain("Province: { keyFields: ['code'] },");
  });

  it('refuses an operation the chosen contract does not have, and a scalar without a TypeScript type', async () => {
    const operations = path.join(scratch, 'public-app');
    mkdirSync(operations, { recursive: true });
    writeFileSync(path.join(operations, 'board.graphql'), 'query Board { cooperative(id: "x") { board { nik } } }\n');
    await expect(
      generateClient({ schemaFile: path.join(repoRoot, 'schema/contracts/public.graphql'), supergraphFile, operations, out: path.join(operations, 'gql') }),
    ).rejects.toThrow(/cooperative/);
    expect(unmappedScalars('scalar Rupiah scalar DateTimeISO scalar Hectare type Query { a: Hectare }')).toEqual(['Hectare']);
  });
});

describe('type policies from @key', () => {
  it('keys every entity not keyed by id, by its key fields', () => {
    const keys = entityKeys(readFileSync(supergraphFile, 'utf8'));
    expect(Object.fromEntries(keys)).toEqual({
      Agency: ['code'],
      District: ['code'],
      Province: ['code'],
      Regency: ['code'],
      Village: ['code'],
    });
  });

  it('turns a nested field set into Apollo keyFields', () => {
    expect(keyFieldsOf('region { code } year')).toEqual(['region', ['code'], 'year']);
    expect(() => keyFieldsOf('... on X { a }')).toThrow(/fragment/);
  });
});
