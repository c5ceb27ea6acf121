import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { executeCodegen } from '@graphql-codegen/cli';
import { buildSchema, isScalarType, isSpecifiedScalarType } from 'graphql';
import { typePoliciesModule } from './type-policies';

/**
 * What each custom scalar of the graph is in TypeScript. Rupiah is a decimal string (exact whole rupiah,
 * beyond a JavaScript number's 2^53); DateTimeISO an ISO-8601 string. A scalar missing here stops codegen.
 */
export const SCALARS: Readonly<Record<string, { input: string; output: string; what: string }>> = {
  Rupiah: { input: 'string', output: 'string', what: 'whole rupiah as a decimal string, e.g. "3000000000"' },
  DateTimeISO: { input: 'string', output: 'string', what: 'an ISO-8601 date-time string, e.g. "2026-01-31T00:00:00.000Z"' },
};

export interface CodegenOptions {
  /** The schema to type against: schema/contracts/full.graphql or public.graphql. */
  schemaFile: string;
  /** The supergraph whose @key directives give the type policies. */
  supergraphFile: string;
  /** Folder of operations (.graphql/.gql files, and gql-tagged .ts/.tsx). */
  operations: string;
  /** Folder written: the client preset's files and type-policies.ts. */
  out: string;
}

/** The custom scalars of a schema that SCALARS does not map (a clear error names them). */
export function unmappedScalars(schemaSdl: string): string[] {
  return Object.values(buildSchema(schemaSdl).getTypeMap())
    .filter((t) => isScalarType(t) && !isSpecifiedScalarType(t) && !SCALARS[t.name])
    .map((t) => t.name);
}

function hasOperations(dir: string): boolean {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).some((e) => e.isFile() && /\.(graphql|gql|tsx?)$/.test(e.name));
}

/** The files codegen writes, by absolute path, without writing them. */
export async function generateClient(options: CodegenOptions): Promise<Map<string, string>> {
  for (const [what, file] of [
    ['schema', options.schemaFile],
    ['supergraph', options.supergraphFile],
    ['operations folder', options.operations],
  ] as const) {
    if (!existsSync(file)) throw new Error(`The ${what} ${file} does not exist.`);
  }
  if (!hasOperations(options.operations))
    throw new Error(`No operations in ${options.operations}: codegen reads .graphql and .gql files, and graphql() calls in .ts/.tsx files.`);
  const schemaSdl = readFileSync(options.schemaFile, 'utf8');
  const unmapped = unmappedScalars(schemaSdl);
  if (unmapped.length) throw new Error(`Custom scalar(s) ${unmapped.join(', ')} have no TypeScript type: add them to SCALARS in scripts/lib/codegen.ts.`);
  const out = options.out.endsWith('/') ? options.out : `${options.out}/`;
  const { result, error } = await executeCodegen({
    schema: options.schemaFile,
    documents: [`${options.operations}/**/*.{graphql,gql,ts,tsx}`, `!${out}**`],
    silent: true,
    errorsOnly: true,
    generates: {
      [out]: {
        preset: 'client',
        presetConfig: { fragmentMasking: false },
        config: {
          scalars: Object.fromEntries(Object.entries(SCALARS).map(([name, s]) => [name, { input: s.input, output: s.output }])),
          strictScalars: true,
          enumsAsTypes: true,
          useTypeImports: true,
          skipTypename: false,
        },
      },
    },
  });
  if (error) throw error;
  const files = new Map(result.map((f) => [path.resolve(f.filename), f.content]));
  files.set(path.join(path.resolve(out), 'type-policies.ts'), typePoliciesModule(readFileSync(options.supergraphFile, 'utf8')));
  return files;
}

/** The generated files whose copy on disk differs (or is missing). */
export function driftedFiles(files: ReadonlyMap<string, string>): string[] {
  return [...files].filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text).map(([file]) => file);
}
