/**
 * The production topology on this machine, from the images' own start commands: every subgraph in
 * its own process on its own PostgreSQL database, two replicas of some behind HAProxy, two gateway
 * replicas behind HAProxy, Redis shared. Loopback only; everything started here is tracked so that
 * `stop()` leaves no process, database or file behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, openSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from '@kopdes/kit';
import type { SubgraphEntry } from '../../lib/registry';
import { productionCommand } from '../dockerfile';

export interface Replica {
  name: string;
  port: number;
  child?: ChildProcess;
  env: Record<string, string>;
  kind: 'gateway' | 'subgraph';
  subgraph?: string;
}

export interface TopologyOptions {
  run: string;
  dir: string;
  entries: SubgraphEntry[];
  /** Subgraphs that get two replicas behind HAProxy. */
  replicated: string[];
  postgresUrl: string;
  scope: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Polls a URL until it answers 200 (a script's readiness wait, bounded by `deadlineMs`). */
export async function waitFor(url: string, deadlineMs: number, what: string, alive: () => boolean = () => true): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (!alive()) throw new Error(`${what} exited before it was ready (see its log).`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} was not ready at ${url} within ${deadlineMs / 1000} s.`);
}

export class Topology {
  readonly replicas: Replica[] = [];
  readonly databases = new Map<string, string>();
  /** Where the gateway reaches each subgraph: HAProxy for the replicated ones, the process otherwise. */
  readonly subgraphUrls = new Map<string, string>();
  gatewayUrl = '';
  private haproxy?: ChildProcess;
  private readonly admin: pg.Client;

  constructor(readonly options: TopologyOptions) {
    this.admin = new pg.Client({ connectionString: options.postgresUrl });
    mkdirSync(path.join(options.dir, 'logs'), { recursive: true });
  }

  async createDatabases(): Promise<void> {
    await this.admin.connect();
    for (const entry of this.options.entries) {
      const name = `kopdes_rehearsal_${this.options.run}_${entry.name.replace(/-/g, '_')}`;
      await this.admin.query(`CREATE DATABASE "${name}"`);
      this.databases.set(entry.name, name);
    }
  }

  /** Starts (or restarts) a replica with its production start command; output goes to its log file. */
  start(replica: Replica): void {
    const { argv, workdir } = productionCommand(replica.kind, replica.subgraph);
    const [command, ...args] = argv;
    const log = createWriteStream(path.join(this.options.dir, 'logs', `${replica.name}.log`), { flags: 'a' });
    const child = spawn(command === 'node' ? process.execPath : command!, args, {
      cwd: path.join(repoRoot, workdir),
      env: { PATH: process.env.PATH ?? '', HOME: this.options.dir, TMPDIR: path.join(this.options.dir, 'tmp'), ...replica.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    replica.child = child;
  }

  kill(replica: Replica): void {
    replica.child?.kill('SIGKILL');
  }

  alive(replica: Replica): boolean {
    return replica.child !== undefined && replica.child.exitCode === null && replica.child.signalCode === null;
  }

  readyUrl(replica: Replica): string {
    return `http://127.0.0.1:${replica.port}/${replica.kind === 'gateway' ? 'health' : 'ready'}`;
  }

  async startSubgraphs(keyFile: string): Promise<void> {
    mkdirSync(path.join(this.options.dir, 'tmp'), { recursive: true });
    for (const entry of this.options.entries) {
      const copies = this.options.replicated.includes(entry.name) ? 2 : 1;
      for (let i = 1; i <= copies; i += 1) {
        const port = await freePort();
        this.replicas.push({
          name: `${entry.name}-${i}`,
          port,
          kind: 'subgraph',
          subgraph: entry.name,
          env: {
            NODE_ENV: 'production',
            HOST: '127.0.0.1',
            PORT: String(port),
            APOLLO_TELEMETRY_DISABLED: 'true',
            DATABASE_URL: databaseUrl(this.options.postgresUrl, this.databases.get(entry.name)!),
            DATABASE_POOL_SIZE: '8',
            KOPDES_GATEWAY_PUBLIC_KEY_FILE: keyFile,
            // The rehearsal's own databases hold invented data, and say so.
            KOPDES_SEED_SYNTHETIC: 'true',
            KOPDES_SEED_SCOPE: this.options.scope,
          },
        });
      }
    }
    // Replicas of one subgraph start together: the kit's migration lock makes one migrate and seed.
    for (const replica of this.replicas) this.start(replica);
    await Promise.all(this.replicas.map((r) => waitFor(this.readyUrl(r), 600_000, r.name, () => this.alive(r))));
  }

  /** HAProxy in front of the gateways and of each replicated subgraph: health checks, retries, redispatch. */
  async startHaproxy(gatewayPorts: number[]): Promise<void> {
    if (spawnSync('haproxy', ['-v']).status !== 0) {
      throw new Error('HAProxy is not installed: apt-get install haproxy (Debian package), then run again.');
    }
    const frontends: string[] = [];
    const gatewayPort = await freePort();
    frontends.push(block('gateway', gatewayPort, '/health', gatewayPorts));
    this.gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    for (const name of this.options.replicated) {
      const port = await freePort();
      frontends.push(
        block(
          name,
          port,
          '/ready',
          this.replicas.filter((r) => r.subgraph === name).map((r) => r.port),
        ),
      );
      this.subgraphUrls.set(name, `http://127.0.0.1:${port}/graphql`);
    }
    for (const replica of this.replicas) {
      if (replica.subgraph && !this.subgraphUrls.has(replica.subgraph)) this.subgraphUrls.set(replica.subgraph, `http://127.0.0.1:${replica.port}/graphql`);
    }
    const config = path.join(this.options.dir, 'haproxy.cfg');
    writeFileSync(config, `${HAPROXY_DEFAULTS}\n${frontends.join('\n')}`);
    const check = spawnSync('haproxy', ['-c', '-q', '-f', config], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy.cfg is invalid:\n${check.stderr}`);
    this.haproxy = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', openSync(path.join(this.options.dir, 'logs', 'haproxy.log'), 'a')] });
  }

  /** Two gateway replicas on the given ports, each with its production start command. */
  async startGateways(ports: number[], env: Record<string, string>): Promise<Replica[]> {
    const gateways = ports.map((port, i): Replica => ({
      name: `gateway-${i + 1}`,
      port,
      kind: 'gateway',
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    }));
    this.replicas.push(...gateways);
    for (const gateway of gateways) this.start(gateway);
    await Promise.all(gateways.map((g) => waitFor(this.readyUrl(g), 300_000, g.name, () => this.alive(g))));
    return gateways;
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas) this.kill(replica);
    this.haproxy?.kill('SIGKILL');
    await Promise.all(
      [...this.replicas.map((r) => r.child), this.haproxy]
        .filter((c): c is ChildProcess => c !== undefined && c.exitCode === null && c.signalCode === null)
        .map((c) => new Promise((resolve) => c.once('exit', resolve))),
    );
    for (const name of this.databases.values()) await this.admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await this.admin.end().catch(() => undefined);
  }
}

/**
 * Checks every second; a dead server refuses the check's connection at once (down after 3), while a
 * slow one (a busy event loop) has 5 s to answer, so load alone never takes both replicas out. A
 * request whose connection fails, or whose server dies before answering, is sent again to the other
 * server. Retrying a POST is safe here: reads have no
 * effect and every mutation carries an idempotency key, so a retried write applies once.
 */
const HAPROXY_DEFAULTS = `global
  maxconn 4096
  tune.bufsize 65536
defaults
  mode http
  timeout connect 1s
  timeout client 75s
  timeout server 60s
  timeout http-keep-alive 75s
  option http-buffer-request
  option forwardfor
  option redispatch 1
  retries 3
  retry-on conn-failure empty-response junk-response response-timeout 502 503 504
  timeout check 5s
  default-server inter 1s fastinter 500ms downinter 500ms fall 3 rise 2 maxconn 256
`;

function block(name: string, port: number, check: string, servers: number[]): string {
  return [
    `frontend fe_${name}`,
    `  bind 127.0.0.1:${port}`,
    `  default_backend be_${name}`,
    `backend be_${name}`,
    '  balance leastconn',
    `  option httpchk GET ${check}`,
    '  http-check expect status 200',
    '  http-response set-header x-served-by %s',
    ...servers.map((p, i) => `  server ${name}${i + 1} 127.0.0.1:${p} check`),
    '',
  ].join('\n');
}
