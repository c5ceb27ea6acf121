/**
 * `npx tsx scripts/sizes.ts [dir …] [--top N]`: the largest files and functions (in lines) under
 * the given folders (default gateway/src), to see at a glance where code has grown too big.
 * Functions are declarations, methods, arrow functions and function expressions; a function's
 * lines include those of the functions nested in it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const argv = process.argv.slice(2);
const topIndex = argv.indexOf('--top');
const top = topIndex >= 0 ? Number(argv[topIndex + 1]) : 10;
const dirs = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--top');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'node_modules' || name === 'generated' ? [] : sourceFiles(file);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [file] : [];
  });
}

interface Sized {
  name: string;
  lines: number;
  inner?: number;
}

function functionsOf(file: string, text: string): Sized[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Sized[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const nameOf = (node: ts.Node): string => {
    const named = node as { name?: ts.Node };
    if (named.name && ts.isIdentifier(named.name)) return named.name.text;
    if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
    if (ts.isPropertyAssignment(node.parent)) return node.parent.name.getText(source);
    return '(anonymous)';
  };
  const visit = (node: ts.Node, depth: number) => {
    const isFunction =
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      ts.isConstructorDeclaration(node);
    if (isFunction) {
      const inner = { count: 0 };
      const countInner = (child: ts.Node) => {
        if (ts.isFunctionDeclaration(child) || ts.isMethodDeclaration(child) || ts.isArrowFunction(child) || ts.isFunctionExpression(child)) inner.count += 1;
        ts.forEachChild(child, countInner);
      };
      ts.forEachChild(node, countInner);
      found.push({
        name: `${path.relative(process.cwd(), file)}:${lineOf(node.getStart()) + 1} ${nameOf(node)}`,
        lines: lineOf(node.getEnd()) - lineOf(node.getStart()) + 1,
        inner: inner.count,
      });
    }
    ts.forEachChild(node, (child) => visit(child, depth + (isFunction ? 1 : 0)));
  };
  visit(source, 0);
  return found;
}

const files = (dirs.length ? dirs : ['gateway/src']).flatMap(sourceFiles);
const sizes = files.map((file) => {
  const text = readFileSync(file, 'utf8');
  return { file, text, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) };
});
const functions = sizes.flatMap(({ file, text }) => functionsOf(file, text)).sort((a, b) => b.lines - a.lines);

console.log(
  `${files.length} files, ${sizes.reduce((s, f) => s + f.lines, 0)} lines; ${sizes.filter((f) => f.lines > 300).length} over 300 lines, ${functions.filter((f) => f.lines > 80).length} functions over 80 lines`,
);
console.log(`\nLargest files (lines):`);
for (const f of [...sizes].sort((a, b) => b.lines - a.lines).slice(0, top))
  console.log(`${String(f.lines).padStart(6)}  ${path.relative(process.cwd(), f.file)}`);
console.log(`\nLargest functions (lines, nested functions):`);
for (const f of functions.slice(0, top)) console.log(`${String(f.lines).padStart(6)}  ${String(f.inner).padStart(3)}  ${f.name}`);
