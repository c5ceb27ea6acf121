/**
 * A new ministry subgraph from the kit's patterns: package, Prisma schema with one example
 * model and its migration, an entity extending `Cooperative` under the ministry's namespace
 * field, a seed slice, a test; and its entry in scripts/subgraphs.json (composition, the dev
 * runner and tests read that list; turbo finds the package through the npm workspace).
 * Pure file generation into any root directory, so tests can scaffold into a temporary copy.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, Kind } from 'graphql';
import type { SubgraphEntry } from './registry';

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Folder, package and GraphQL names that would collide with the platform or with JavaScript. */
const RESERVED = new Set([
  // platform folders and packages
  'kit',
  'gateway',
  'schema',
  'scripts',
  'test',
  'tests',
  'src',
  'generated',
  'node-modules',
  'shared',
  'common',
  'all',
  'supergraph',
  'subgraph',
  'subgraphs',
  // GraphQL / federation names
  'query',
  'mutation',
  'subscription',
  'schema',
  'type',
  'input',
  'enum',
  'scalar',
  'interface',
  'union',
  'directive',
  'fragment',
  'federation',
  'join',
  'link',
  'service',
  'entities',
  'typename',
  'node',
  'id',
  // JavaScript reserved words (the subgraph is exported under its camel-cased name)
  'await',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'implements',
  'import',
  'in',
  'instanceof',
  'let',
  'new',
  'null',
  'package',
  'private',
  'protected',
  'public',
  'return',
  'static',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
]);

export const camelName = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const pascalName = (name: string) => camelName(name).replace(/^[a-z]/, (c) => c.toUpperCase());

export interface ScaffoldNames {
  /** kebab-case: folder, composition name, data folder. */
  name: string;
  /** camelCase: the namespace field on Cooperative and the exported definition. */
  field: string;
  /** PascalCase prefix for types. */
  pascal: string;
  /** GraphQL type of the namespace object, e.g. CooperativeFoodSecurity. */
  namespaceType: string;
  /** Prisma model (and table), e.g. FoodSecurityRecord. */
  model: string;
  /** Prisma client accessor, e.g. foodSecurityRecord. */
  modelAccessor: string;
  packageName: string;
}

export function scaffoldNames(name: string): ScaffoldNames {
  const field = camelName(name);
  const pascal = pascalName(name);
  return {
    name,
    field,
    pascal,
    namespaceType: `Cooperative${pascal}`,
    model: `${pascal}Record`,
    modelAccessor: `${field}Record`,
    packageName: `@kopdes/${name}`,
  };
}

function registryPathIn(root: string): string {
  return path.join(root, 'scripts/subgraphs.json');
}

export function readRegistry(root: string): SubgraphEntry[] {
  return JSON.parse(readFileSync(registryPathIn(root), 'utf8')) as SubgraphEntry[];
}

/** Fields of Cooperative and type names already in the committed supergraph. */
function supergraphNames(root: string): { cooperativeFields: Map<string, string>; types: Set<string> } {
  const file = path.join(root, 'schema/supergraph.graphql');
  const cooperativeFields = new Map<string, string>();
  const types = new Set<string>();
  if (!existsSync(file)) return { cooperativeFields, types };
  for (const def of parse(readFileSync(file, 'utf8')).definitions) {
    if (!('name' in def) || !def.name) continue;
    types.add(def.name.value);
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION && def.name.value === 'Cooperative') {
      for (const f of def.fields ?? []) {
        const graph = f.directives?.find((d) => d.name.value === 'join__field')?.arguments?.find((a) => a.name.value === 'graph');
        cooperativeFields.set(f.name.value, graph && graph.value.kind === Kind.ENUM ? graph.value.value.toLowerCase().replace(/_/g, '-') : 'every subgraph');
      }
    }
  }
  return { cooperativeFields, types };
}

/** Why `name` cannot be a new subgraph in `root`, or null when it can. */
export function checkSubgraphName(name: string | undefined, root: string): string | null {
  if (!name) return 'Name the subgraph: npm run new-subgraph -- <name>   (lower-case kebab case, e.g. "food-security").';
  if (!NAME.test(name)) {
    return `"${name}" is not a valid subgraph name: use lower-case letters and digits, words joined by single hyphens, starting with a letter (e.g. "food-security", "health").`;
  }
  if (name.length < 2 || name.length > 30) return `"${name}" must be 2 to 30 characters long.`;
  if (RESERVED.has(name) || RESERVED.has(camelName(name)))
    return `"${name}" is reserved (a platform folder, a GraphQL/federation name or a JavaScript keyword); choose another name.`;
  const registered = readRegistry(root);
  if (registered.some((e) => e.name === name)) return `A subgraph named "${name}" is already registered in scripts/subgraphs.json.`;
  if (existsSync(path.join(root, 'subgraphs', name))) return `subgraphs/${name} already exists; remove it or choose another name.`;
  const names = scaffoldNames(name);
  const { cooperativeFields, types } = supergraphNames(root);
  const owner = cooperativeFields.get(names.field);
  if (owner) return `Cooperative already has a field "${names.field}" (from ${owner}); the new subgraph's namespace field would collide. Choose another name.`;
  if (types.has(names.namespaceType)) return `The supergraph already has a type ${names.namespaceType}; choose another name.`;
  return null;
}

/** Next port after every registered one (the gateway keeps 4000). */
export function nextPort(entries: SubgraphEntry[]): number {
  return Math.max(4100, ...entries.map((e) => e.port)) + 1;
}

const SEED_AS_OF = '2025-11-28T00:00:00Z';

/** Every file of the new subgraph, by path relative to its folder. */
export function scaffoldFiles(name: string, owner: string): Map<string, string> {
  const n = scaffoldNames(name);
  const files = new Map<string, string>();
  const SOURCE = `${name.toUpperCase().replace(/-/g, '_')}_SOURCE`;

  files.set(
    'package.json',
    JSON.stringify(
      {
        name: n.packageName,
        version: '0.1.0',
        private: true,
        type: 'module',
        description: `${owner}: the ${name} subgraph`,
        exports: { '.': './src/subgraph.ts' },
        scripts: {
          generate: 'prisma generate',
          migration: 'tsx ../../scripts/migration.ts',
          typecheck: 'tsc -p .',
          start: 'tsx src/index.ts',
        },
        dependencies: { '@kopdes/kit': '*', 'type-graphql': '2.0.0-rc.4' },
      },
      null,
      2,
    ) + '\n',
  );

  files.set('tsconfig.json', '{ "extends": "../../tsconfig.json", "include": ["src", "test", "prisma.config.ts", "../kit/src"] }\n');

  files.set(
    'prisma.config.ts',
    `import { subgraphPrismaConfig } from '@kopdes/kit/prisma-config';

export default subgraphPrismaConfig('${name}', import.meta.dirname);
`,
  );

  files.set(
    'prisma/schema.prisma',
    `// ${owner} (${name} subgraph). Seeded data is SYNTHETIC.
// Change the model, then write the next migration into prisma/migrations/<NNNN_name>/migration.sql
// (never edit an applied one): docs/ministry-guide.md, "Add or change fields".
generator client {
  provider     = "prisma-client"
  output       = "../src/generated/prisma"
  engineType   = "client"
  moduleFormat = "esm"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

/// One record per cooperative. \`value\` is an example measure: replace it with the ministry's own fields.
model ${n.model} {
  cooperativeId String   @id
  villageCode   String
  value         Int
  updatedAt     DateTime @default(now())

  @@index([villageCode])
}
`,
  );

  // Written as `prisma migrate diff --from-empty --to-schema-datamodel` prints it (checked), so no database is needed here.
  files.set(
    'prisma/migrations/migration_lock.toml',
    '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
  );
  files.set(
    'prisma/migrations/0001_init/migration.sql',
    `-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "${n.model}" (
    "cooperativeId" TEXT NOT NULL,
    "villageCode" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "${n.model}_pkey" PRIMARY KEY ("cooperativeId")
);

-- CreateIndex
CREATE INDEX "${n.model}_villageCode_idx" ON "${n.model}"("villageCode");
`,
  );

  files.set(
    'src/db.ts',
    `import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type ${n.pascal}Db = PrismaClient;

export function create${n.pascal}Client(adapter: DriverAdapter): ${n.pascal}Db {
  return new PrismaClient({ adapter });
}
`,
  );

  files.set(
    'src/index.ts',
    `import { runSubgraph } from '@kopdes/kit';
import { ${n.field} } from './subgraph';

await runSubgraph(${n.field});
`,
  );

  files.set(
    'src/source.ts',
    `/** Shown on every ${name} slice; the kit adds "(synthetic development data)" when the database holds seeded rows. */
export const ${SOURCE} = '${owner.replace(/'/g, "\\'")} records';
`,
  );

  files.set(
    'src/subgraph.ts',
    `import path from 'node:path';
import type { SubgraphDefinition } from '@kopdes/kit';
import { create${n.pascal}Client, type ${n.pascal}Db } from './db';
import { create${n.pascal}Loaders, type ${n.pascal}Loaders } from './cooperative/cooperative-${name}.loaders';
import { Cooperative${n.pascal}Resolver } from './cooperative/cooperative-${name}.resolver';
import { Cooperative } from './cooperative/cooperative-${name}.type';
import { seed${n.pascal} } from './seed';

export const ${n.field}: SubgraphDefinition<${n.pascal}Db, ${n.pascal}Loaders> = {
  name: '${name}',
  owner: '${owner.replace(/'/g, "\\'")}',
  // Reads need a signed-in analyst (the kit's default); list public types or personal fields here.
  access: {},
  resolvers: [Cooperative${n.pascal}Resolver],
  // No query of its own yet: list the entity so the schema carries it.
  orphanedTypes: [Cooperative],
  references: {
    Cooperative: (ref) => ({ id: String(ref.id) }),
  },
  migrationsDir: path.join(import.meta.dirname, '../prisma/migrations'),
  createClient: create${n.pascal}Client,
  createLoaders: create${n.pascal}Loaders,
  seed: seed${n.pascal},
};
`,
  );

  files.set(
    `src/cooperative/cooperative-${name}.type.ts`,
    `import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

// Owned by the cooperatives subgraph; ${owner} adds its ${n.field} namespace. No description: the owner's wins in composition.
@ObjectType()
@Directive('@key(fields: "id")')
export class Cooperative {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: '${owner.replace(/'/g, "\\'")} data about a cooperative. Synthetic development data.' })
export class ${n.namespaceType} {
  cooperativeId!: string;
  @Field(() => Date, { description: 'When this data was last updated.' }) asOf!: Date;
  @Field(() => String, { description: 'Where this data comes from.' }) source!: string;
  @Field(() => Int, { description: 'Example measure: replace it with the ministry\\'s own fields.' }) value!: number;
}
`,
  );

  files.set(
    `src/cooperative/cooperative-${name}.loaders.ts`,
    `import { rowLoader } from '@kopdes/kit';
import type { ${n.pascal}Db } from '../db';

/** Per-request loaders: one SQL statement per batch of cooperatives. */
export function create${n.pascal}Loaders(db: ${n.pascal}Db) {
  return {
    record: rowLoader((ids: readonly string[]) => db.${n.modelAccessor}.findMany({ where: { cooperativeId: { in: [...ids] } } }), (r) => r.cooperativeId),
  };
}

export type ${n.pascal}Loaders = ReturnType<typeof create${n.pascal}Loaders>;
`,
  );

  files.set(
    `src/cooperative/cooperative-${name}.resolver.ts`,
    `import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '@kopdes/kit';
import type { ${n.pascal}Db } from '../db';
import { ${SOURCE} } from '../source';
import type { ${n.pascal}Loaders } from './cooperative-${name}.loaders';
import { Cooperative, ${n.namespaceType} } from './cooperative-${name}.type';

type Context = SubgraphContext<${n.pascal}Db, ${n.pascal}Loaders>;

@Resolver(() => Cooperative)
export class Cooperative${n.pascal}Resolver {
  @FieldResolver(() => ${n.namespaceType}, { nullable: true, description: '${owner.replace(/'/g, "\\'")}: this cooperative\\'s ${name} data; null when it has no record.' })
  async ${n.field}(@Root() cooperative: Cooperative, @Ctx() { loaders }: Context): Promise<${n.namespaceType} | null> {
    const row = await loaders.record.load(cooperative.id);
    return row && { cooperativeId: row.cooperativeId, asOf: row.updatedAt, source: ${SOURCE}, value: row.value };
  }
}
`,
  );

  files.set(
    'src/seed.ts',
    `import { insertRows, type SqlExecutor } from '@kopdes/kit';
import { loadRegions, randomFor, syntheticCooperative } from '@kopdes/kit/synthetic';

/** One SYNTHETIC record per cooperative in scope, derived from its id (deterministic). */
export async function seed${n.pascal}(sql: SqlExecutor, scope: string | undefined): Promise<void> {
  const rows = loadRegions(scope).villages.map(syntheticCooperative).map((c) => {
    const rnd = randomFor('${name}', c.id);
    return [c.id, c.villageCode, rnd.int(0, 100), '${SEED_AS_OF}'];
  });
  await insertRows(sql, '${n.model}', ['cooperativeId', 'villageCode', 'value', 'updatedAt'], rows);
}
`,
  );

  files.set(
    `test/${name}.int.test.ts`,
    `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFederatedSchema } from '@kopdes/kit';
import { PUBLIC, startTestSubgraph, type TestSubgraph } from '@kopdes/kit/testing';
import { ${n.field} } from '../src/subgraph';

interface Entity { id: string; ${n.field}: { asOf: string; source: string; value: number } | null }

let sg: TestSubgraph;
beforeAll(async () => { sg = await startTestSubgraph(${n.field}); });
afterAll(async () => { await sg?.stop(); });

describe('${name} subgraph', () => {
  it('publishes a Federation 2 SDL that extends Cooperative with ${n.field}', async () => {
    const sdl = await printFederatedSchema(${n.field});
    expect(sdl).toMatch(/type Cooperative\\s+@key\\(fields: "id"\\)\\s+\\{\\s+id: ID!/);
    expect(sdl).toContain('${n.field}: ${n.namespaceType}');
  });

  it('resolves 100 cooperatives through _entities with one SQL statement', async () => {
    const ids = (await sg.server.db.sql.query<{ id: string }>('SELECT "cooperativeId" AS id FROM "${n.model}" ORDER BY 1 LIMIT 100')).map((r) => r.id);
    expect(ids).toHaveLength(100);
    const representations = [...ids, 'KDMP-99.99.99.9999'].map((id) => ({ __typename: 'Cooperative', id }));
    const { body, statements } = await sg.query<{ _entities: Entity[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { id ${n.field} { asOf source value } } } }', { r: representations });
    expect(body.errors).toBeUndefined();
    expect(statements).toBe(1);
    const entities = body.data!._entities;
    expect(entities.map((e) => e.id)).toEqual([...ids, 'KDMP-99.99.99.9999']);
    expect(entities[0]!.${n.field}).toEqual({ asOf: '${SEED_AS_OF.replace('Z', '.000Z')}', source: expect.stringMatching(/synthetic/), value: expect.any(Number) });
    expect(entities.at(-1)!.${n.field}).toBeNull();
  });

  it("shows a cooperative's data only to signed-in callers", async () => {
    const { body } = await sg.query('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Cooperative { ${n.field} { value } } } }',
      { r: [{ __typename: 'Cooperative', id: 'KDMP-35.14.09.2019' }] }, { caller: PUBLIC });
    expect(body.data).toEqual({ _entities: [null] });
  });
});
`,
  );
  return files;
}

export interface ScaffoldResult {
  dir: string;
  entry: SubgraphEntry;
  files: string[];
}

/** Writes the new subgraph into `<root>/subgraphs/<name>` and registers it in `<root>/scripts/subgraphs.json`. */
export function scaffoldSubgraph(root: string, name: string, owner = `The ${name} ministry`): ScaffoldResult {
  const problem = checkSubgraphName(name, root);
  if (problem) throw new Error(problem);
  const dir = path.join(root, 'subgraphs', name);
  const files = scaffoldFiles(name, owner);
  for (const [file, text] of files) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  const entries = readRegistry(root);
  const entry: SubgraphEntry = { name, package: scaffoldNames(name).packageName, port: nextPort(entries) };
  writeFileSync(registryPathIn(root), JSON.stringify([...entries, entry], null, 2) + '\n');
  return { dir, entry, files: [...files.keys()] };
}

/** The repository whose node_modules hold the tools (the scaffold target may be a temporary copy). */
const toolsRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Generates the new package's Prisma client (offline: Prisma's JS engine). */
export async function generatePrismaClient(dir: string): Promise<void> {
  // The binary itself, not npx: npx would look for it in the new package and then download it.
  await promisify(execFile)(path.join(toolsRoot, 'node_modules/.bin/prisma'), ['generate'], { cwd: dir, encoding: 'utf8' });
}
