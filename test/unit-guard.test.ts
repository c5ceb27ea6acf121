import { execFile } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';

describe('the unit tier', () => {
  it('refuses a listening port and a child process, saying which tier to move the test to', () => {
    expect(() => net.createServer().listen(0)).toThrow(/opened a listening port.*\*\.int\.test\.ts/);
    expect(() => execFile('true')).toThrow(/started a child process \(execFile\).*\*\.e2e\.ts/);
  });
});
