import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite has no lock of its own: two processes opening the same data folder both succeed and
 * corrupt it. Each embedded database therefore holds a pid file while it is open; a second
 * process is refused with a message saying who holds it. A file left by a dead process is taken over.
 */
export class EmbeddedDatabaseBusyError extends Error {
  readonly code = 'EMBEDDED_DATABASE_BUSY';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly holder: string,
  ) {
    super(
      `The embedded database ${dataDir} is open in process ${pid} (${holder}). PGlite allows one process at a time: ` +
        'stop npm start first (or whichever process that is), or use a PostgreSQL server through <NAME>_DATABASE_URL.',
    );
    this.name = 'EmbeddedDatabaseBusyError';
  }
}

const LOCK_FILE = '.kopdes-lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data folder for this process; returns the release function. */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  const holder =
    process.argv
      .slice(1, 3)
      .map((a) => path.basename(a))
      .join(' ') || 'node';
  const mine = JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let other: { pid?: number; holder?: string } = {};
      try {
        other = JSON.parse(readFileSync(file, 'utf8')) as typeof other;
      } catch {
        // unreadable: treat as stale
      }
      if (other.pid && alive(other.pid)) throw new EmbeddedDatabaseBusyError(dataDir, other.pid, other.holder ?? 'unknown');
      try {
        unlinkSync(file);
      } catch {
        // another process may have taken it over first; the next attempt says so
      }
    }
  }
  throw new Error(`Could not lock the embedded database ${dataDir}; remove ${file} if no process uses it.`);
}
