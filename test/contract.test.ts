import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeFromCode } from '../scripts/lib/composition';
import { composedFiles, driftMessage, staleFiles } from '../scripts/lib/compose-files';

/**
 * The public contract is generated from the subgraphs' access rules and committed; `compose --check`
 * fails, naming it, when the committed file drifts from what the code composes to.
 */
let files: Map<string, string>;
let scratch: string;

beforeAll(async () => {
  const result = await composeFromCode();
  expect(result.errors).toEqual([]);
  files = composedFiles(result);
  scratch = mkdtempSync(path.join(tmpdir(), 'kopdes-contract-'));
  cpSync(path.join(repoRoot, 'schema'), path.join(scratch, 'schema'), { recursive: true });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('public contract', () => {
  it('is committed as composed', () => {
    expect(staleFiles(files, repoRoot)).toEqual([]);
  });

  it('holds public region data, and no analyst-only, personal or write field', () => {
    const contract = buildSchema(files.get('schema/contracts/public.graphql')!);
    const full = buildSchema(files.get('schema/contracts/full.graphql')!);
    const query = contract.getQueryType()!.getFields();
    expect(Object.keys(query)).toEqual(expect.arrayContaining(['provinces', 'province', 'regency', 'village', 'agencies', 'commitments']));
    expect(query.cooperative).toBeUndefined(); // analyst-only registry record
    expect(query.cooperatives).toBeUndefined();
    expect(contract.getMutationType()).toBeUndefined();
    // Types reachable only through analyst-only or personal fields are gone too.
    for (const hidden of ['Cooperative', 'BoardMember', 'Loan', 'SolarPlant']) expect(contract.getType(hidden), hidden).toBeUndefined();
    const fields = (type: string) => Object.keys((contract.getType(type) as GraphQLObjectType).getFields());
    expect(fields('CommitmentRevision')).not.toContain('revisedBy'); // personal
    expect(fields('Village')).not.toContain('cooperatives');
    expect(fields('Village')).toContain('developmentStatus');
    // The full schema still has them: it is what analysts introspect.
    expect(full.getType('BoardMember')).toBeDefined();
    expect(full.getQueryType()!.getFields().cooperative).toBeDefined();
  });

  it('compose --check names a drifted public contract and says what to do', () => {
    const file = path.join(scratch, 'schema/contracts/public.graphql');
    expect(staleFiles(files, scratch)).toEqual([]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('type Query {', 'type Query {\n  cooperative(id: ID!): String'));
    const stale = staleFiles(files, scratch);
    expect(stale).toEqual(['schema/contracts/public.graphql']);
    expect(driftMessage(stale)).toMatch(/public contract \(what callers without a token may introspect\) changed[\s\S]*npm run compose/);
  });
});
