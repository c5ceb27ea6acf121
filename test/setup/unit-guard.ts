/**
 * The unit tier runs without servers, databases or child processes, so it stays fast and can run
 * anywhere. A unit test that opens a port or starts a process fails here with what to do instead.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const refuse = (what: string) => () => {
  throw new Error(`A unit test ${what}. Unit tests stay in memory: name the file *.int.test.ts (integration tier) or *.e2e.ts (end to end).`);
};

net.Server.prototype.listen = refuse('opened a listening port') as typeof net.Server.prototype.listen;
for (const name of ['spawn', 'exec', 'execFile', 'fork'] as const) {
  (childProcess as unknown as Record<string, unknown>)[name] = refuse(`started a child process (${name})`);
}
// Named imports (`import { spawn } from 'node:child_process'`) see the patched functions too.
syncBuiltinESMExports();
