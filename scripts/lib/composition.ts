import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { printFederatedSchema } from '@kopdes/kit';
import { loadSubgraphs, localUrl } from './registry';

export interface CompositionResult {
  subgraphs: { name: string; sdl: string; url: string }[];
  supergraphSdl?: string;
  errors: { subgraph: string; message: string; code?: string }[];
  hints: string[];
}

/** Errors name the subgraphs they involve; composition's own messages quote them as [name]. */
function subgraphsOf(message: string, names: string[]): string {
  const hit = names.filter((n) => message.includes(`[${n}]`) || message.includes(`"${n}"`));
  return hit.length > 0 ? hit.join(', ') : '(composition)';
}

/** Builds every registered subgraph's SDL from its code and composes the supergraph. */
export async function composeFromCode(): Promise<CompositionResult> {
  const loaded = await loadSubgraphs();
  const subgraphs = await Promise.all(
    loaded.map(async ({ entry, definition }) => ({ name: entry.name, sdl: await printFederatedSchema(definition), url: localUrl(entry) })),
  );
  return composeSdl(subgraphs);
}

export function composeSdl(subgraphs: { name: string; sdl: string; url: string }[]): CompositionResult {
  const names = subgraphs.map((s) => s.name);
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) {
    return {
      subgraphs,
      errors: result.errors.map((e) => ({ subgraph: subgraphsOf(e.message, names), message: e.message, code: e.extensions?.code as string | undefined })),
      hints: [],
    };
  }
  return { subgraphs, supergraphSdl: result.supergraphSdl, errors: [], hints: result.hints.map((h) => h.toString()) };
}
