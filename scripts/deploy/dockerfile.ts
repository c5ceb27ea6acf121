/**
 * Reads this repository's Dockerfiles: their stages and instructions, for the structure test
 * and so the rehearsal starts each service with exactly the image's CMD.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEPLOY_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DOCKERFILES = { gateway: path.join(DEPLOY_DIR, 'gateway.Dockerfile'), subgraph: path.join(DEPLOY_DIR, 'subgraph.Dockerfile') } as const;

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM (usable in FROM lines). */
  globalArgs: string[];
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text
    .replace(/\\\r?\n\s*/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const result: Dockerfile = { globalArgs: [], stages: [] };
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, from = '', name = String(result.stages.length)] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      result.stages.push({ name, from, instructions: [] });
    } else if (result.stages.length === 0) {
      if (upper === 'ARG') result.globalArgs.push(args.split('=')[0]!);
    } else {
      result.stages.at(-1)!.instructions.push({ keyword: upper, args });
    }
  }
  return result;
}

export function readDockerfile(kind: keyof typeof DOCKERFILES): Dockerfile {
  return parseDockerfile(readFileSync(DOCKERFILES[kind], 'utf8'));
}

/** The final stage's exec-form CMD and WORKDIR (relative to /app): the production start command. */
export function productionCommand(kind: keyof typeof DOCKERFILES, subgraph?: string): { argv: string[]; workdir: string } {
  const final = readDockerfile(kind).stages.at(-1)!;
  const cmd = final.instructions.filter((i) => i.keyword === 'CMD').at(-1);
  if (!cmd) throw new Error(`${DOCKERFILES[kind]} has no CMD in its final stage.`);
  const argv = JSON.parse(cmd.args) as string[];
  const workdir = final.instructions
    .filter((i) => i.keyword === 'WORKDIR')
    .at(-1)!
    .args.replace('${SUBGRAPH}', subgraph ?? '')
    .replace(/^\/app\/?/, '');
  return { argv, workdir };
}
