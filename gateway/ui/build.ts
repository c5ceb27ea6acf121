import { build } from 'esbuild';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOperations } from '../src/operations';

const entry = (name: string) => fileURLToPath(new URL(`./${name}.tsx`, import.meta.url));
const outdir = fileURLToPath(new URL('../public/build/', import.meta.url));
const operationsDir = fileURLToPath(new URL('../../schema/operations/', import.meta.url));

// The dashboard runs only registered operations: their documents are compiled in, exactly as /operations.json serves them.
const dashboardOperations = Object.fromEntries(
  loadOperations(operationsDir)
    .filter((op) => op.name.startsWith('dashboard-'))
    .map((op) => [op.name, op.document]),
);

// GraphiQL opens on a domain question (domain.md's first), with its variables filled in.
const DEFAULT_QUESTION = 'question-1-disbursed-no-4g-no-solar';
const defaultQuestion = loadOperations(operationsDir).find((op) => op.name === DEFAULT_QUESTION);
if (!defaultQuestion)
  throw new Error(`GraphiQL's default question schema/operations/${DEFAULT_QUESTION}.graphql is missing: restore it or name another in gateway/ui/build.ts.`);

// The gateway serves public/build under /ui/, GraphiQL at / and the dashboard at /dashboard; nothing may come from another host.
const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Kopdes Graph — GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/ui/graphiql.css" />
    <style>html, body, #root { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="root"></div>
    <script src="/ui/graphiql.js"></script>
  </body>
</html>
`;

const dashboardHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Kopdes Merah Putih — Task Force dashboard</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/ui/dashboard.css" />
  </head>
  <body>
    <div id="root"><p class="boot">Loading the dashboard…</p></div>
    <noscript>The dashboard needs JavaScript. The same figures are in GraphiQL at /, under Saved questions (Dashboard ·).</noscript>
    <script src="/ui/dashboard.js"></script>
  </body>
</html>
`;

const EXTERNAL = String.raw`(?:https?:)?//[^'")\s]+`;
// An @import or url() of another host would be fetched at runtime; drop it so the page stays offline.
const externalImport = new RegExp(String.raw`@import\s+(?:url\(\s*)?['"]?${EXTERNAL}['"]?\s*\)?[^;]*;`, 'g');
const externalUrl = new RegExp(String.raw`url\(\s*['"]?${EXTERNAL}['"]?\s*\)`, 'g');

function stripExternal(css: string): { css: string; stripped: string[] } {
  const stripped: string[] = [];
  const drop = (replacement: string) => (match: string) => {
    stripped.push(match);
    return replacement;
  };
  // 'none' leaves an invalid declaration (e.g. a font src), which the browser ignores.
  const out = css.replace(externalImport, drop('')).replace(externalUrl, drop('none'));
  return { css: out, stripped };
}

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const result = await build({
  entryPoints: { graphiql: entry('graphiql'), dashboard: entry('dashboard') },
  outdir,
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  jsx: 'automatic',
  define: {
    'process.env.NODE_ENV': '"production"',
    __DASHBOARD_OPERATIONS__: JSON.stringify(dashboardOperations),
    __DEFAULT_QUESTION__: JSON.stringify(defaultQuestion),
  },
  // Only reached when a subscriptionUrl is configured, which this page never does; the package is absent.
  external: ['graphql-ws'],
  legalComments: 'eof',
  logLevel: 'warning',
  write: false,
});

for (const file of result.outputFiles) {
  if (file.path.endsWith('.css')) {
    const { css, stripped } = stripExternal(file.text);
    for (const s of stripped) console.warn(`stripped external reference from ${basename(file.path)}: ${s}`);
    await writeFile(file.path, css);
  } else {
    await writeFile(file.path, file.contents);
  }
}
await writeFile(join(outdir, 'index.html'), html);
await writeFile(join(outdir, 'dashboard.html'), dashboardHtml);

for (const name of ['index.html', 'graphiql.js', 'graphiql.css', 'dashboard.html', 'dashboard.js', 'dashboard.css']) {
  const { size } = await stat(join(outdir, name));
  console.log(`public/build/${name.padEnd(14)} ${(size / 1024).toFixed(1).padStart(8)} KiB`);
}
console.log(`dashboard: ${Object.keys(dashboardOperations).length} registered operations compiled in (${Object.keys(dashboardOperations).join(', ')})`);
