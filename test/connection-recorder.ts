/**
 * Records every outgoing network attempt of this process: TCP and TLS connects, DNS lookups,
 * UDP sends. Import it before anything else so nothing can connect unseen.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';

export interface Attempt {
  kind: 'tcp' | 'tls' | 'dns' | 'udp' | 'ipc';
  target: string;
}

export const attempts: Attempt[] = [];

// The vitest config sets APOLLO_TELEMETRY_DISABLED for every test; removed here, before the
// gateway is imported, so a test using this recorder proves the gateway turns it off itself.
// An Apollo key in the environment must not make anything report to Apollo either.
delete process.env.APOLLO_TELEMETRY_DISABLED;
process.env.APOLLO_KEY = 'service:kopdes-test:not-a-real-key';
process.env.APOLLO_GRAPH_REF = 'kopdes-test@current';

type Fn = (...args: unknown[]) => unknown;

function connectTarget(args: unknown[]): Attempt {
  // net.connect normalises its arguments to [[options, callback]] before Socket#connect.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'string') return { kind: 'ipc', target: first };
  if (typeof first === 'number') return { kind: 'tcp', target: `${typeof args[1] === 'string' ? args[1] : 'localhost'}:${first}` };
  const options = (first ?? {}) as { host?: string; port?: number | string; path?: string };
  if (options.path) return { kind: 'ipc', target: options.path };
  return { kind: 'tcp', target: `${options.host ?? 'localhost'}:${options.port}` };
}

const socketConnect = net.Socket.prototype.connect as unknown as Fn;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  attempts.push(connectTarget(args));
  return socketConnect.apply(this, args);
} as never;

const tlsConnect = tls.connect as unknown as Fn;
(tls as { connect: Fn }).connect = (...args: unknown[]) => {
  const options = (typeof args[0] === 'object' ? args[0] : { host: args[1], port: args[0] }) as { host?: string; port?: number };
  attempts.push({ kind: 'tls', target: `${options.host ?? 'localhost'}:${options.port}` });
  return tlsConnect(...args);
};

for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny'] as const) {
  const original = dns[name] as unknown as Fn;
  (dns as unknown as Record<string, Fn>)[name] = (...args: unknown[]) => {
    attempts.push({ kind: 'dns', target: String(args[0]) });
    return original(...args);
  };
  const promised = dns.promises[name] as unknown as Fn;
  (dns.promises as unknown as Record<string, Fn>)[name] = (...args: unknown[]) => {
    attempts.push({ kind: 'dns', target: String(args[0]) });
    return promised(...args);
  };
}

const udpSend = dgram.Socket.prototype.send as unknown as Fn;
dgram.Socket.prototype.send = function (this: dgram.Socket, ...args: unknown[]) {
  const port = args.find((a) => typeof a === 'number' && a > 0);
  const host = args.find((a, i) => typeof a === 'string' && i > 0);
  attempts.push({ kind: 'udp', target: `${String(host ?? 'localhost')}:${String(port)}` });
  return udpSend.apply(this, args);
} as never;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|::ffff:127\.\d+\.\d+\.\d+|localhost)$/;

/** Attempts that left the machine (or might have): anything not to loopback or a local socket file. */
export function outside(): Attempt[] {
  return attempts.filter((a) => {
    if (a.kind === 'ipc') return false;
    if (a.kind === 'dns') return !LOOPBACK.test(a.target);
    const host = a.target.replace(/:[^:]*$/, '');
    return !LOOPBACK.test(host);
  });
}
