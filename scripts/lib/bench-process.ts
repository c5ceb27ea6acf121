/**
 * Child processes for the benchmark: each gateway and the subgraph host run as one plain Node
 * process (`node --import tsx`, no wrapper process), so /proc/<pid> describes exactly it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { repoRoot } from '@kopdes/kit';

/** Variables that could make a child report to a vendor or open other databases: never passed on. */
const DROPPED =
  /^(APOLLO_KEY|APOLLO_GRAPH_REF|APOLLO_SCHEMA_CONFIG_DELIVERY_ENDPOINT|HIVE_.*|OPENTELEMETRY.*|OTEL_.*|DATABASE_URL|.*_DATABASE_URL|KOPDES_SEED_SCOPE|SUBGRAPH_.*_URL|REDIS_URL)$/;

export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!DROPPED.test(key)) env[key] = value;
  return { ...env, APOLLO_TELEMETRY_DISABLED: 'true', ...extra };
}

/**
 * The environment of this gateway's production entry point as the benchmarks run it: on loopback,
 * signing callers with `callerPrivateKeyPem`, and without the per-client rate limit (600 operations a
 * minute would refuse a load test from one analyst); `extra` adds or overrides settings.
 */
export function benchGatewayEnv(
  port: number,
  supergraphPath: string,
  callerPrivateKeyPem: string,
  authEnv: Record<string, string>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    SUPERGRAPH_PATH: supergraphPath,
    KOPDES_GATEWAY_PRIVATE_KEY: callerPrivateKeyPem,
    ...authEnv,
    RATE_LIMIT_MAX: '0',
    ...extra,
  };
}

/** Starts a TypeScript entry point (with Node's `flags`, e.g. the production image's heap size); its stderr (and stdout after the ready line) goes to `logFile`. */
export function startNode(script: string, env: Record<string, string>, logFile: string, flags: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', script], { cwd: repoRoot, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stderr!.pipe(log);
  return child;
}

export async function stopProcess(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export interface ProcSample {
  rssMb: number;
  /** High-water mark of the resident set over the process's life. */
  hwmMb: number;
  /** User + system CPU time, in ms. */
  cpuMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function procSample(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, ms) of PostgreSQL's server processes on this machine: the live ones', plus
 * what the postmaster has collected from backends that exited (their connections closed), so the sum
 * never drops when a backend goes.
 */
export function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * TICK_MS;
    } catch {
      continue; // gone meanwhile
    }
  }
  return total;
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak seen, in MB. */
export function sampleRss(pid: number, everyMs = 100): () => number {
  let peak = procSample(pid)?.rssMb ?? 0;
  const timer = setInterval(() => {
    const sample = procSample(pid);
    if (sample && sample.rssMb > peak) peak = sample.rssMb;
  }, everyMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, procSample(pid)?.rssMb ?? 0);
  };
}
