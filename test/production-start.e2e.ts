/**
 * The gateway image's start command (CMD and WORKDIR of scripts/deploy/gateway.Dockerfile), run as
 * production runs it: NODE_ENV=production, keys and JWKS from files, the committed supergraph.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSigningKeys, repoRoot } from '@kopdes/kit';
import { productionCommand } from '../scripts/deploy/dockerfile';

const dir = mkdtempSync(path.join(tmpdir(), 'kopdes-production-start-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe("the gateway image's start command", () => {
  it("starts in production mode from the image's working directory and answers its probes", async () => {
    const signing = await generateSigningKeys();
    const idp = await generateKeyPair('ES256');
    writeFileSync(path.join(dir, 'private.pem'), signing.privateKeyPem);
    writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(idp.publicKey)), kid: 'k1', alg: 'ES256' }] }));
    const {
      argv: [command, ...args],
      workdir,
    } = productionCommand('gateway');
    expect(command).toBe('node');
    child = spawn(process.execPath, args, {
      cwd: path.join(repoRoot, workdir),
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        APOLLO_TELEMETRY_DISABLED: 'true',
        RESPONSE_CACHE_WARM: 'false',
        SUPERGRAPH_PATH: path.join(repoRoot, 'schema/supergraph.graphql'),
        AUTH_JWKS_FILE: path.join(dir, 'jwks.json'),
        AUTH_ISSUER: 'kopdes-test',
        AUTH_AUDIENCE: 'kopdes-graph',
        KOPDES_GATEWAY_PRIVATE_KEY_FILE: path.join(dir, 'private.pem'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let log = '';
      child!.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const listening = /"msg":"gateway listening".*?"url":"([^"]+)"/.exec(log);
        if (listening) resolve(listening[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`the gateway exited with ${code}:\n${log}`)));
    });
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    // No subgraph runs here: the gateway is up and says which ones it cannot reach.
    const ready = (await (await fetch(`${url}/ready`)).json()) as { status: string; subgraphs: Record<string, { status: string }> };
    expect(ready.status).toBe('degraded');
    expect(Object.values(ready.subgraphs).every((s) => s.status === 'down')).toBe(true);
    // Production: introspection is off.
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    expect(JSON.stringify(await res.json())).toMatch(/introspection/i);
  });
});
