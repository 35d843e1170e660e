import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ClientToServerEvents, ServerToClientEvents, Snapshot } from '@luot/protocol';
import { io, type Socket as IoSocket } from 'socket.io-client';
import { ADMIN_PASSWORD, spawnServer } from '../helpers/test-server.js';

/**
 * Pieces for the tests of @luot/client against the real server: the built server as a child
 * process that can be stopped with a signal and started again on the same port and data, a
 * fresh snapshot from a connection of the test's own, waiting for a condition, and a loopback
 * proxy that loses answers.
 */

/** The built server (apps/server/dist: run `pnpm exec tsc -b` first) on a fixed port and data dir. */
export class ServerProcess {
  private child: ChildProcess | null = null;
  url = '';
  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  /** Starts it; resolves once it answers /health, with the time it did. */
  async start(): Promise<number> {
    const started = await spawnServer(this.dataDir, this.port);
    this.child = started.child;
    this.url = started.url;
    return Date.now();
  }

  /** Stops it with `signal` and waits for the process to end. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  }

  /** JSON against /api/v1; fails the test on an error answer. */
  async api<T = any>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  async login(username: string, password = username === 'admin' ? ADMIN_PASSWORD : 'demo'): Promise<string> {
    return (await this.api<{ token: string }>('POST', '/auth/login', undefined, { username, password })).token;
  }
}

/** What a screen connecting now would get: the snapshot the server pushes on connect. */
export async function freshSnapshot(url: string, token: string): Promise<Snapshot> {
  const socket: IoSocket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  try {
    return await new Promise<Snapshot>((resolve, reject) => {
      socket.once('queue:snapshot', resolve);
      socket.once('connect_error', reject);
    });
  } finally {
    socket.close();
  }
}

/** Polls `pred` until it holds (resolving with the time it first did) or `timeoutMs` passes. */
export async function waitUntil(pred: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now();
}

export interface ProxiedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** answered: passed on; lost: the server answered, the client got nothing; unreachable: the server was down. */
  fate: 'answered' | 'lost' | 'unreachable';
  status?: number;
  body?: string;
}

/**
 * A loopback HTTP proxy in front of the server that can lose answers: the request reaches the
 * server, which does the work and answers, and the client's connection is cut before a byte of
 * the answer reaches it (a Wi-Fi blip, a timeout after the server has acted).
 */
export async function startLosingProxy(targetPort: number, onLost?: (r: ProxiedRequest) => void) {
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let toLose = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      const record: ProxiedRequest = { method: req.method ?? '', path: req.url ?? '', idempotencyKey: typeof key === 'string' ? key : undefined, fate: 'answered' };
      seen.push(record);
      const { 'keep-alive': _keepAlive, ...rest } = req.headers;
      const headers = { ...rest, connection: 'close' };
      const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers }, (up) => {
        const body: Buffer[] = [];
        up.on('data', (c: Buffer) => body.push(c));
        up.on('end', () => {
          record.status = up.statusCode;
          record.body = Buffer.concat(body).toString('utf8');
          if (toLose > 0) {
            toLose--;
            record.fate = 'lost';
            req.socket.destroy();
            onLost?.(record);
            return;
          }
          res.writeHead(up.statusCode ?? 502, { ...up.headers, connection: 'close' });
          res.end(Buffer.concat(body));
        });
      });
      upstream.on('error', () => {
        record.fate = 'unreachable';
        req.socket.destroy();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    loseNext(n: number) {
      toLose = n;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
