import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with the next requests. */
export type FaultMode =
  | { kind: 'pass' }
  /** Holds each request this long before forwarding it. */
  | { kind: 'delay'; ms: number }
  /** Never answers (until the caller gives up). */
  | { kind: 'hang' }
  /** Answers 500 with a non-GraphQL body. */
  | { kind: 'error' }
  /** Accepts the request, then cuts the connection. */
  | { kind: 'drop' }
  /** Holds requests until `release()`. */
  | { kind: 'hold' };

/**
 * A TCP-level stand-in for a subgraph, forwarding to the real one: tests make it slow, hang,
 * fail, cut connections, or die outright (`kill`: the port refuses connections) and come back.
 */
export class FaultProxy {
  mode: FaultMode = { kind: 'pass' };
  /** Requests received (including refused ones), for assertions. */
  received = 0;
  /** Requests forwarded to the subgraph (a delayed or held one counts once it is let through). */
  forwarded = 0;
  /** Headers of the last request received: what the gateway forwards. */
  lastHeaders: http.IncomingHttpHeaders = {};
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private held: (() => void)[] = [];
  private port = 0;
  private readonly target: URL;

  constructor(target: string) {
    this.target = new URL(target);
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** The subgraph URL to put in the supergraph. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${this.target.pathname}`;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
    return this.url;
  }

  /** The subgraph dies: open connections are cut and the port refuses new ones. */
  async kill(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** The subgraph is back on the same port. */
  async revive(): Promise<void> {
    this.mode = { kind: 'pass' };
    await this.listen();
  }

  /** Forwards every held request and passes the next ones through. */
  release(): void {
    this.mode = { kind: 'pass' };
    for (const forward of this.held.splice(0)) forward();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.received += 1;
    this.lastHeaders = req.headers;
    const mode = this.mode;
    switch (mode.kind) {
      case 'hang':
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'error':
        req.resume();
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('upstream exploded');
        return;
      case 'hold': {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => this.held.push(() => this.forward(req, res, Buffer.concat(chunks))));
        return;
      }
      case 'delay': {
        // Buffer the body now; forward it when the delay is over (unless killed meanwhile).
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => setTimeout(() => this.forward(req, res, Buffer.concat(chunks)), mode.ms));
        return;
      }
      case 'pass': {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => this.forward(req, res, Buffer.concat(chunks)));
      }
    }
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    if (res.destroyed) return;
    this.forwarded += 1;
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host, 'content-length': String(body.length) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  }
}
