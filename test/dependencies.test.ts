import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every package a workspace imports is declared in that workspace's package.json: npm hoisting
 * lets an undeclared import work here and break in a ministry's own install (the kit imported
 * @graphql-tools/utils undeclared). Test files may also use the root's dev tools (vitest runs
 * from the root).
 */
const root = path.resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'generated', 'dist', 'build', '.turbo', 'data', 'screenshots']);
const BUILTIN = new Set(builtinModules);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (SKIP.has(name) || name.startsWith('.')) return [];
    if (statSync(file).isDirectory()) return sources(file);
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [file] : [];
  });
}

/** Package names of the bare specifiers a file imports (static, dynamic, re-export, side effect). */
export function importedPackages(text: string): string[] {
  const found = new Set<string>();
  const specifier =
    /(?:^|\n)\s*(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(specifier)) {
    const name = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (!name || name.startsWith('.') || name.startsWith('/') || name.startsWith('node:') || name.startsWith('virtual:')) continue;
    const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!;
    if (!BUILTIN.has(pkg)) found.add(pkg);
  }
  return [...found];
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  workspaces?: string[];
}
const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
const declared = (m: Manifest) => new Set([m.name, ...Object.keys({ ...m.dependencies, ...m.devDependencies, ...m.peerDependencies })]);

const rootManifest = manifest(root);
const workspaces = ['gateway', ...readdirSync(path.join(root, 'subgraphs')).map((d) => `subgraphs/${d}`)].filter((dir) => {
  try {
    return statSync(path.join(root, dir, 'package.json')).isFile();
  } catch {
    return false;
  }
});

function undeclared(dir: string, files: string[], own: Set<string>, forTests: Set<string>): string[] {
  return files.flatMap((file) => {
    const isTest = /[/\\]test[/\\]|\.(test|e2e)\.ts$/.test(file);
    return importedPackages(readFileSync(file, 'utf8'))
      .filter((pkg) => !own.has(pkg) && !(isTest && forTests.has(pkg)))
      .map(
        (pkg) => `${path.relative(root, file)} imports ${pkg}: add it to ${dir}/package.json (npm install ${pkg}@<version> -w ${dir === '.' ? '<root>' : dir})`,
      );
  });
}

describe('declared dependencies', () => {
  it('reads the package of every kind of import', () => {
    expect(
      importedPackages(
        `import a from 'lru-cache';\nimport type { B } from '@apollo/server/plugin';\nexport * from './local';\nimport 'reflect-metadata';\nconst c = await import('csv-parse/sync');\nimport fs from 'node:fs';\nimport path from 'path';`,
      ),
    ).toEqual(['lru-cache', '@apollo/server', 'reflect-metadata', 'csv-parse']);
  });

  it.each(workspaces)('%s declares every package its code imports', (dir) => {
    const files = sources(path.join(root, dir)).filter((f) => !f.endsWith('package.json'));
    expect(undeclared(dir, files, declared(manifest(path.join(root, dir))), declared(rootManifest))).toEqual([]);
  });

  it('the root declares every package its scripts, tests and configs import', () => {
    const files = [...sources(path.join(root, 'scripts')), ...sources(path.join(root, 'test')), path.join(root, 'vitest.config.ts')].filter(
      (f) => f !== import.meta.filename,
    );
    const workspaceNames = new Set(workspaces.map((dir) => manifest(path.join(root, dir)).name));
    expect(undeclared('.', files, new Set([...declared(rootManifest), ...workspaceNames]), new Set())).toEqual([]);
  });
});
