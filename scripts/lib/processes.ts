import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const tsxBin = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;

/** Starts a TypeScript script in its own Node process. */
export function startScript(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(tsxBin, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the first stdout line that parses as JSON; rejects if the process exits first. */
export function firstJsonLine<T>(child: ChildProcess, onOther: (line: string) => void = () => {}): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (settled) return onOther(line);
      try {
        const value = JSON.parse(line) as T;
        settled = true;
        resolve(value);
      } catch {
        onOther(line);
      }
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`process exited with code ${code} before it was ready`));
    });
  });
}

/** Runs tasks with at most `limit` at a time. */
export async function inParallel<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!);
      }
    }),
  );
  return results;
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
