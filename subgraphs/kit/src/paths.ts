import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (the kit lives at subgraphs/kit/src). */
export const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** Where embedded databases live: one folder per subgraph, git-ignored. */
export function embeddedDataDir(subgraph: string): string {
  return path.join(process.env.KOPDES_DATA_DIR ?? path.join(repoRoot, '.data'), subgraph);
}
