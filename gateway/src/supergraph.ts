import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { log, personalCoordinatesOf } from '@kopdes/kit';
import { parse } from 'graphql';
import { costDirectivesOf, type CostDirectives } from './cost-directives';

export interface SupergraphState {
  hash: string;
  loadedAt: Date;
  /** Subgraph names and the URLs the gateway calls (after SUBGRAPH_<NAME>_URL overrides). */
  subgraphs: { name: string; url: string }[];
  /** "Type.field" of every field the subgraphs mark personal (`@tag(name: "personal")`). */
  personal: ReadonlySet<string>;
  /** The subgraphs' `@listSize` / `@cost`, by "Type.field", for the cost limit. */
  costs: CostDirectives;
}

const JOIN_GRAPH = /@join__graph\(\s*name:\s*"([^"]+)"\s*,\s*url:\s*"([^"]*)"\s*\)/g;

export function subgraphsOf(sdl: string, overrides: Record<string, string> = {}): { name: string; url: string }[] {
  return [...sdl.matchAll(JOIN_GRAPH)].map((m) => ({ name: m[1]!, url: overrides[m[1]!] ?? m[2]! }));
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export interface FileSupergraph {
  /** For ApolloGateway's `supergraphSdl`. */
  hook: SupergraphSdlHook;
  current(): SupergraphState | undefined;
}

/**
 * Serves a supergraph file and, with `watchFile`, swaps in each new version as soon as it is
 * written. Apollo Gateway builds the new query planner before switching, so requests keep
 * being answered during the swap; an invalid file is logged and the previous schema kept.
 */
export function fileSupergraph(
  file: string,
  options: { watchFile: boolean; overrides: Record<string, string>; debounceMs?: number; onReload?: (outcome: 'applied' | 'rejected') => void },
): FileSupergraph {
  let state: SupergraphState | undefined;
  return {
    current: () => state,
    hook: async ({ update }) => {
      const initial = readFileSync(file, 'utf8');
      const loaded = (sdl: string) => {
        const document = parse(sdl);
        state = {
          hash: sha(sdl),
          loadedAt: new Date(),
          subgraphs: subgraphsOf(sdl, options.overrides),
          personal: personalCoordinatesOf(document),
          costs: costDirectivesOf(document),
        };
      };
      let watcher: FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      const reload = () => {
        let sdl: string;
        try {
          sdl = readFileSync(file, 'utf8');
        } catch (error) {
          log.warn('supergraph file unreadable; keeping the loaded schema', { file, error: (error as Error).message });
          return;
        }
        if (sha(sdl) === state?.hash) return;
        try {
          update(sdl);
          loaded(sdl);
          log.info('supergraph reloaded', { file, hash: state?.hash, subgraphs: state?.subgraphs.map((s) => s.name) });
          options.onReload?.('applied');
        } catch (error) {
          log.error('supergraph reload refused; keeping the previous schema', { file, error: (error as Error).message });
          options.onReload?.('rejected');
        }
      };
      if (options.watchFile) {
        // Watch the folder: editors and `compose` replace the file (a new inode) rather than write in place,
        // and a Kubernetes ConfigMap volume swaps its `..data` symlink, an event that names `..data`, not the file.
        watcher = watch(path.dirname(file), { persistent: false }, (_event, name) => {
          if (name && name.toString() !== path.basename(file) && !name.toString().startsWith('..')) return;
          clearTimeout(timer);
          timer = setTimeout(reload, options.debounceMs ?? 50);
        });
        watcher.on('error', (error) => log.warn('supergraph watcher failed; hot reload is off', { file, error: error.message }));
      }
      loaded(initial);
      return {
        supergraphSdl: initial,
        cleanup: async () => {
          clearTimeout(timer);
          watcher?.close();
        },
      };
    },
  };
}
