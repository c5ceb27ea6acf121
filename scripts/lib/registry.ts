import { readFileSync } from 'node:fs';
import type { AnySubgraph } from '@kopdes/kit';

/** The subgraphs of this platform: composition, the dev runner and tests read this one list. */
export interface SubgraphEntry {
  name: string;
  package: string;
  port: number;
}

export const registryPath = new URL('../subgraphs.json', import.meta.url);

export function subgraphEntries(): SubgraphEntry[] {
  return JSON.parse(readFileSync(registryPath, 'utf8')) as SubgraphEntry[];
}

function exportName(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Imports a subgraph package's definition (exported under its camel-cased name). */
export async function loadSubgraph(entry: SubgraphEntry): Promise<AnySubgraph> {
  const mod = (await import(entry.package)) as Record<string, AnySubgraph>;
  const definition = mod[exportName(entry.name)];
  if (!definition) throw new Error(`${entry.package} does not export "${exportName(entry.name)}" (its SubgraphDefinition).`);
  return definition;
}

export async function loadSubgraphs(): Promise<{ entry: SubgraphEntry; definition: AnySubgraph }[]> {
  return Promise.all(subgraphEntries().map(async (entry) => ({ entry, definition: await loadSubgraph(entry) })));
}

export function localUrl(entry: SubgraphEntry): string {
  return `http://127.0.0.1:${entry.port}/graphql`;
}
