import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@kopdes/kit';
import { composeSdl } from '../../lib/composition';
import { subgraphEntries } from '../../lib/registry';

/** Labour's field that the rehearsal's supergraph roll adds, with its description and any directives after it. */
const ROLLED_FIELD = /\n\s*"""Hiring events[^\n]*\n\s*hireRecords: \[LabourHire!\]![^\n]*/;

/** The committed composition with rehearsal URLs, and the previous one, without the field the roll adds. */
export function supergraphs(urls: Map<string, string>): { previous: string; current: string } {
  const subgraphs = subgraphEntries().map((e) => ({
    name: e.name,
    sdl: readFileSync(path.join(repoRoot, 'schema/subgraphs', `${e.name}.graphql`), 'utf8'),
    url: urls.get(e.name)!,
  }));
  const current = composeSdl(subgraphs).supergraphSdl;
  const without = subgraphs.map((s) => (s.name === 'labour' ? { ...s, sdl: s.sdl.replace(ROLLED_FIELD, '') } : s));
  const previous = composeSdl(without).supergraphSdl;
  if (!current || !previous || previous === current)
    throw new Error("Could not compose the rehearsal supergraphs (is labour's hireRecords field still there?).");
  return { previous, current };
}
