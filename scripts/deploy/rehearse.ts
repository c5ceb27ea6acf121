/**
 * Production rehearsal on this machine (loopback only, bounded, cleans up after itself):
 *   npm run rehearse [-- --duration 90 --scope 35 --readers 4 --keep]
 * Starts the production topology from the images' start commands (two gateway replicas behind
 * HAProxy, every subgraph in its own process on its own PostgreSQL database, two replicas of
 * cooperatives and labour behind HAProxy, Redis), loads it with reads and idempotent writes, and
 * meanwhile SIGKILLs a gateway replica, SIGKILLs a subgraph replica, terminates a subgraph's
 * PostgreSQL connections, rolls a supergraph with a new field, and kills a subgraph that has no
 * second replica. Prints requests, failures by kind, p50/p99 around each event, and the writes read back.
 */
import '../../gateway/src/telemetry';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { generateSigningKeys } from '@kopdes/kit';
import { loadRegions } from '@kopdes/kit/synthetic';
import { subgraphEntries } from '../lib/registry';
import { Load } from './rehearsal/load';
import { supergraphs } from './rehearsal/supergraphs';
import { eventTable, eventWindows, figures, opsTable, unexpected, WINDOW_MS, type EventRecord } from './rehearsal/report';
import { databaseUrl, freePort, Topology, waitFor, type Replica } from './rehearsal/topology';

const { values } = parseArgs({ options: { duration: { type: 'string' }, scope: { type: 'string' }, readers: { type: 'string' }, keep: { type: 'boolean' } } });
const duration = Number(values.duration ?? 90) * 1000;
if (!(duration >= 60_000 && duration <= 120_000)) throw new Error('--duration is in seconds, from 60 to 120.');
const scope = values.scope ?? '35';
const readers = Number(values.readers ?? 4);
const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS = process.env.REHEARSAL_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REPLICATED = ['cooperatives', 'labour'];
const run = `${process.pid}_${Date.now().toString(36)}`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'kopdes-rehearsal-'));
const say = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function ensureHaproxy(): void {
  if (spawnSync('haproxy', ['-v']).status === 0) return;
  say("HAProxy is missing: installing Debian's package (apt-get install haproxy)…");
  const install = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy'], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error('Could not install HAProxy; install the Debian package haproxy and run again.');
}

/** Keys as production has them: the gateway's Ed25519 pair for caller tokens, and an identity provider's JWKS. */
async function keys() {
  const signing = await generateSigningKeys();
  mkdirSync(path.join(dir, 'secrets'), { mode: 0o700 });
  const file = (name: string, text: string) => {
    const p = path.join(dir, 'secrets', name);
    writeFileSync(p, text);
    chmodSync(p, 0o600);
    return p;
  };
  const idp = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(idp.publicKey)), kid: `rehearsal-${run}`, alg: 'ES256', use: 'sig' };
  const token = (subject: string, claims: Record<string, string>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
      .setSubject(subject)
      .setIssuer('kopdes-rehearsal')
      .setAudience('kopdes-graph')
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(idp.privateKey);
  return {
    privateKeyFile: file('gateway-signing.key.pem', signing.privateKeyPem),
    publicKeyFile: file('gateway-signing.pub.pem', signing.publicKeyPem),
    jwksFile: file('jwks.json', JSON.stringify({ keys: [jwk] })),
    tokens: {
      analyst: await token(`rehearsal-${run}-analyst`, { role: 'analyst' }),
      officer: await token(`rehearsal-${run}-labour`, { role: 'officer', ministry: 'labour' }),
    },
  };
}

async function query<R>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

const topology = new Topology({ run, dir, entries: subgraphEntries(), replicated: REPLICATED, postgresUrl: POSTGRES, scope });
process.once('SIGINT', () => {
  say('interrupted: stopping processes and dropping databases…');
  void topology.stop().finally(() => process.exit(130));
});

async function main(): Promise<number> {
  ensureHaproxy();
  if (spawnSync('redis-cli', ['-u', REDIS, 'ping'], { encoding: 'utf8' }).stdout.trim() !== 'PONG') throw new Error(`Redis does not answer at ${REDIS}.`);
  const loadBefore = os.loadavg();
  const secrets = await keys();
  say(`creating ${subgraphEntries().length} PostgreSQL databases kopdes_rehearsal_${run}_* and starting every subgraph (seeding region ${scope}, synthetic)…`);
  const t0 = Date.now();
  await topology.createDatabases();
  await topology.startSubgraphs(secrets.publicKeyFile);
  say(`subgraphs ready in ${seconds(Date.now() - t0)} (${topology.replicas.length} processes)`);
  const gatewayPorts = [await freePort(), await freePort()];
  await topology.startHaproxy(gatewayPorts);
  const { previous, current } = supergraphs(topology.subgraphUrls);
  const supergraphDir = path.join(dir, 'supergraph');
  mkdirSync(supergraphDir);
  const supergraphPath = path.join(supergraphDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, previous);
  const gateways = await topology.startGateways(gatewayPorts, {
    NODE_ENV: 'production',
    APOLLO_TELEMETRY_DISABLED: 'true',
    SUPERGRAPH_PATH: supergraphPath,
    REDIS_URL: REDIS,
    TRUST_PROXY: 'true',
    RATE_LIMIT_MAX: '1000000',
    AUTH_JWKS_FILE: secrets.jwksFile,
    AUTH_ISSUER: 'kopdes-rehearsal',
    AUTH_AUDIENCE: 'kopdes-graph',
    KOPDES_GATEWAY_PRIVATE_KEY_FILE: secrets.privateKeyFile,
  });
  await waitFor(`${topology.gatewayUrl}/health`, 30_000, 'HAProxy in front of the gateways');
  say(`gateways ready behind HAProxy at ${topology.gatewayUrl}; topology up in ${seconds(Date.now() - t0)}`);

  const dbUrl = (name: string) => databaseUrl(POSTGRES, topology.databases.get(name)!);
  const ids = (await query<{ id: string }>(dbUrl('cooperatives'), 'SELECT id FROM "Cooperative" ORDER BY md5(id) LIMIT 500')).map((r) => r.id);
  const targets = (await query<{ id: string }>(dbUrl('labour'), 'SELECT "cooperativeId" AS id FROM "Workforce" ORDER BY md5("cooperativeId") LIMIT 40')).map(
    (r) => r.id,
  );
  const workforce = async () =>
    (
      await query<{ employees: number; hires: number }>(
        dbUrl('labour'),
        `SELECT (SELECT coalesce(sum(employees), 0)::int FROM "Workforce" WHERE "cooperativeId" = ANY($1)) AS employees,
            (SELECT count(*)::int FROM "Hire" WHERE "cooperativeId" = ANY($1)) AS hires`,
        [targets],
      )
    )[0]!;
  const baseline = await workforce();
  const regions = loadRegions(scope);
  const load = new Load({
    gatewayUrl: topology.gatewayUrl,
    run,
    tokens: secrets.tokens,
    cooperativeIds: ids,
    writeTargets: targets,
    regencyCodes: regions.regencies.map((r) => r.code),
    provinceCode: regions.provinces[0]!.code,
  });

  const events: EventRecord[] = [];
  const replica = (name: string) => topology.replicas.find((r) => r.name === name)!;
  const killAndRestart = (r: Replica) => {
    topology.kill(r);
    topology.start(r);
  };
  const at = (fraction: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, fraction * duration - load.elapsed())));
  say(`load: ${readers} readers and one writer for ${seconds(duration)}`);
  const running = load.run(readers);
  const recovered: Promise<string>[] = [];
  const watchRecovery = (r: Replica, from: number) =>
    recovered.push(waitFor(topology.readyUrl(r), 120_000, r.name, () => topology.alive(r)).then(() => `${r.name} back in ${seconds(load.elapsed() - from)}`));

  await at(0.12);
  events.push({ name: 'SIGKILL gateway-1 (restarted at once)', at: load.elapsed(), expectation: 'no failed request' });
  killAndRestart(gateways[0]!);
  watchRecovery(gateways[0]!, events.at(-1)!.at);
  await at(0.28);
  events.push({ name: 'SIGKILL cooperatives-1 (restarted at once)', at: load.elapsed(), expectation: 'no failed request' });
  killAndRestart(replica('cooperatives-1'));
  watchRecovery(replica('cooperatives-1'), events.at(-1)!.at);
  await at(0.44);
  events.push({ name: 'pg_terminate_backend: every labour connection', at: load.elapsed(), expectation: 'no failed request' });
  const terminated = await query<{ n: number }>(POSTGRES, 'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1', [
    topology.databases.get('labour'),
  ]);
  events.at(-1)!.note = `${terminated[0]!.n} connections terminated`;
  await at(0.6);
  events.push({ name: 'supergraph roll: new field CooperativeLabour.hireRecords', at: load.elapsed(), expectation: 'no failed request' });
  writeFileSync(`${supergraphPath}.next`, current);
  renameSync(`${supergraphPath}.next`, supergraphPath);
  const rollStarted = load.elapsed();
  const hash = async (g: Replica) => ((await (await fetch(`http://127.0.0.1:${g.port}/ready`)).json()) as { supergraph?: { hash: string } }).supergraph?.hash;
  const before = await hash(gateways[1]!);
  for (const g of gateways) {
    const until = Date.now() + 60_000;
    while (Date.now() < until && (await hash(g).catch(() => before)) === before) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const hashes = await Promise.all(gateways.map((g) => hash(g).catch(() => undefined)));
  events.at(-1)!.note =
    `both replicas on the new supergraph ${hashes.every((h) => h && h !== before) ? `after ${seconds(load.elapsed() - rollStarted)}` : 'NOT confirmed'}`;
  load.newField = true;
  await at(0.76);
  events.push({ name: 'SIGKILL energy (its only replica; restarted at once)', at: load.elapsed(), expectation: 'partial answers only' });
  killAndRestart(replica('energy-1'));
  watchRecovery(replica('energy-1'), events.at(-1)!.at);
  await at(1);
  load.stop();
  await running;
  const recoveries = await Promise.allSettled(recovered);
  const loadAfter = os.loadavg();

  // Read the writes back from the labour database.
  const after = await workforce();
  const audited = await query<{ key: string; n: number }>(
    dbUrl('labour'),
    `SELECT idempotency_key AS key, count(*)::int AS n FROM "_kopdes_audit" WHERE operation = 'recordHires' AND idempotency_key LIKE $1 GROUP BY 1`,
    [`rehearsal-${run}-%`],
  );
  const auditedKeys = new Map(audited.map((a) => [a.key, a.n]));
  const lost = load.acknowledged.filter((k) => !auditedKeys.has(k));
  const duplicated = audited.filter((a) => a.n > 1).length;
  const hiresAdded = after.hires - baseline.hires;
  const employeesAdded = after.employees - baseline.employees;

  const shots = load.shots;
  const all = figures(shots);
  const writes = shots.filter((s) => s.op === 'write');
  const quiet = figures(shots.filter((s) => events.every((e) => s.at < e.at - WINDOW_MS || s.at >= e.at + 2 * WINDOW_MS)));
  const failedBeyondExpected = events.reduce((sum, e) => {
    const w = eventWindows(shots, e);
    return sum + unexpected(e, w.during) + unexpected(e, w.after);
  }, 0);
  console.log(
    `## Production rehearsal, ${new Date().toISOString().slice(0, 10)}

${topology.replicas.length} processes: ${gateways.length} gateway replicas behind HAProxy ${spawnSync('haproxy', ['-v'], { encoding: 'utf8' })
      .stdout.split('\n')[0]!
      .replace(/^HAProxy version (\S+).*/, '$1')}, ` +
      `${subgraphEntries().length} subgraphs each in its own process on its own PostgreSQL database (${REPLICATED.join(' and ')}: two replicas behind HAProxy), Redis; seeded region ${scope} (synthetic). ` +
      `Load: ${readers} closed-loop readers and one writer for ${seconds(duration)}. Load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after (${os.cpus().length} cores).

**${all.requests} requests, ${all.requests - Object.values(all.failures).reduce((a, b) => a + b, 0)} answered in full; failures: ${
        Object.entries(all.failures)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ') || 'none'
      }. ` +
      `Failures beyond what each event allows (within 10 s of it): ${failedBeyondExpected}; failures away from any event (the machine's own load): ${
        Object.entries(quiet.failures)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ') || '0'
      } of ${quiet.requests} requests.**

${eventTable(shots, events)}

${events
  .filter((e) => e.note)
  .map((e) => `- ${e.name}: ${e.note}.`)
  .join('\n')}
${recoveries.map((r) => `- ${r.status === 'fulfilled' ? r.value : `not back: ${(r.reason as Error).message}`}.`).join('\n')}

${opsTable(shots)}

Writes (labour \`recordHires\`, count 1, idempotency key per write, retried with the same key on any failure): ${load.acknowledged.length} acknowledged, ` +
      `${load.abandoned.length} abandoned after 30 attempts, ${writes.filter((w) => w.outcome !== 'ok').length} failed attempts retried. Read back: ` +
      `${auditedKeys.size} keys audited, ${lost.length} acknowledged writes lost, ${duplicated} keys applied twice; hires added ${hiresAdded}, employees added ${employeesAdded} (expected ${auditedKeys.size} each).`,
  );
  const writesOk = lost.length === 0 && duplicated === 0 && hiresAdded === auditedKeys.size && employeesAdded === auditedKeys.size;
  return writesOk && failedBeyondExpected === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`rehearsal failed: ${(error as Error).stack ?? String(error)}`);
  console.error(`logs: ${path.join(dir, 'logs')}`);
} finally {
  await topology.stop();
  // Rate-limit counters of this run's callers (the only Redis keys the gateways wrote).
  const keysLeft = spawnSync('redis-cli', ['-u', REDIS, '--scan', '--pattern', `kopdes:ratelimit:*rehearsal-${run}-*`], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);
  if (keysLeft.length) spawnSync('redis-cli', ['-u', REDIS, 'del', ...keysLeft]);
  // On failure the logs stay for diagnosis (keys and logs only: no process, database or Redis key).
  if (values.keep || code !== 0) say(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  say(`cleaned up: processes stopped, databases dropped, ${keysLeft.length} Redis keys deleted`);
}
process.exit(code);
