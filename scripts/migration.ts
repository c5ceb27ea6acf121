/**
 * `npm run migration -- <what>` in subgraphs/<name>: writes the subgraph's next migration,
 * prisma/migrations/<NNNN>_<what>/migration.sql, from the difference between its migration history
 * and prisma/schema.prisma. Offline: Prisma replays the history on an in-memory PGlite (the shadow
 * database, kit/src/prisma-config.ts), with no server and no network. Without <what>, prints the SQL.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@kopdes/kit';

const dir = process.cwd();
const migrations = path.join(dir, 'prisma/migrations');
const what = process.argv[2];
if (!existsSync(path.join(dir, 'prisma/schema.prisma'))) {
  console.error('Run it in a subgraph: cd subgraphs/<name> && npm run migration -- <what>.');
  process.exit(2);
}
if (what !== undefined && !/^[a-z][a-z0-9_]*$/.test(what)) {
  console.error(`Name the migration in snake_case, e.g. add_employee_count; got "${what}".`);
  process.exit(2);
}

async function pendingSql(): Promise<string> {
  // Prisma's config opens the subgraph's database too, though the diff never reads it: give it a
  // throw-away one, never the embedded database `npm start` may hold, nor a server.
  const scratch = mkdtempSync(path.join(tmpdir(), 'kopdes-migration-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.endsWith('DATABASE_URL')));
  try {
    const { stdout } = await promisify(execFile)(
      path.join(repoRoot, 'node_modules/.bin/prisma'),
      ['migrate', 'diff', '--from-migrations', migrations, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
      { cwd: dir, encoding: 'utf8', env: { ...env, KOPDES_DATA_DIR: scratch } },
    );
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(e.stderr?.trim() || e.message, { cause: error });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const sql = await pendingSql().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
const statements = sql.split('\n').filter((line) => line.trim() && !line.startsWith('--'));
if (statements.length === 0) {
  console.log('prisma/schema.prisma matches the migration history: no migration to write.');
} else if (what === undefined) {
  process.stdout.write(sql);
} else {
  const last = Math.max(
    0,
    ...readdirSync(migrations)
      .map((name) => Number.parseInt(name, 10))
      .filter(Number.isFinite),
  );
  const folder = `${String(last + 1).padStart(4, '0')}_${what}`;
  mkdirSync(path.join(migrations, folder));
  writeFileSync(path.join(migrations, folder, 'migration.sql'), sql);
  console.log(
    `Wrote prisma/migrations/${folder}/migration.sql:\n\n${sql.trim()}\n\n` +
      'Review it, then `npm run generate`; the subgraph applies it when it starts. Never edit it once applied: add another.',
  );
}
