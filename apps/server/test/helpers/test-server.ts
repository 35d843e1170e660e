import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAdmin } from '../../src/bootstrap.js';
import { manualClock, systemClock, type Clock } from '../../src/clock.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { seedDemoIfEmpty } from '../../src/demo/seed-demo.js';
import { createServer, type LuotServer, type ServerOptions } from '../../src/server.js';

export const ADMIN_PASSWORD = 'admin-pass';

export interface TestServer {
  url: string;
  server: LuotServer;
  db: Db;
  dataDir: string;
  clock: Clock;
  adminToken: string;
  kioskToken: string;
  displayToken: string;
  /** Signs in and returns the bearer token. */
  login(username: string, password?: string): Promise<string>;
  /** fetch against /api/v1 with JSON in and out. */
  api(method: string, path: string, opts?: { token?: string; body?: unknown; rawBody?: string }): Promise<{ status: number; body: any }>;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'luot-test-'));
}

/**
 * A real server on 127.0.0.1, port 0, with a real SQLite file in a temp dir, seeded with the demo
 * center (services land, civil-status, certification; counters 1-4; officers canbo1-4 / "demo";
 * an admin "admin" / ADMIN_PASSWORD; one kiosk and one display token).
 */
export interface TestServerOptions {
  clock?: Clock;
  dataDir?: string;
  port?: number;
  maxSocketsPerAddress?: number;
  /** Off unless a test sets it: most tests issue hundreds of tickets from one kiosk. */
  kioskRateLimit?: ServerOptions['kioskRateLimit'];
  print?: ServerOptions['print'];
  deviceOfflineAfterMs?: number;
  /** socket.io's ping interval and timeout (the server's default unless set). */
  heartbeat?: ServerOptions['heartbeat'];
  /** The link to a province roll-up (off unless set). */
  province?: ServerOptions['province'];
  /** The center's own voice clips (the voice routes are registered only with one). */
  voiceDir?: string;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const clock = opts.clock ?? systemClock;
  const db = openDatabase(join(dataDir, 'luot.sqlite'));
  const server = await createServer({
    db,
    clock,
    maxSocketsPerAddress: opts.maxSocketsPerAddress ?? 1000,
    kioskRateLimit: opts.kioskRateLimit ?? null,
    ...(opts.print ? { print: opts.print } : {}),
    ...(opts.deviceOfflineAfterMs !== undefined ? { deviceOfflineAfterMs: opts.deviceOfflineAfterMs } : {}),
    ...(opts.heartbeat ? { heartbeat: opts.heartbeat } : {}),
    ...(opts.province ? { province: opts.province } : {}),
    ...(opts.voiceDir ? { voiceDir: opts.voiceDir } : {}),
  });
  await ensureAdmin(server.ctx.repos, ADMIN_PASSWORD, clock.now());
  const links = await seedDemoIfEmpty(server.ctx.repos, server.ctx.tokens, clock.now());
  const url = await server.listen(opts.port ?? 0, '127.0.0.1');

  const api: TestServer['api'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) {
      body = o.rawBody;
      headers['content-type'] = 'application/json';
    } else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${url}/api/v1${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed };
  };
  const login = async (username: string, password = username === 'admin' ? ADMIN_PASSWORD : 'demo') => {
    const r = await api('POST', '/auth/login', { body: { username, password } });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };

  return {
    url,
    server,
    db,
    dataDir,
    clock,
    adminToken: await login('admin'),
    kioskToken: links!.kioskToken,
    displayToken: links!.displayToken,
    login,
    api,
    async close({ keepData = false } = {}) {
      await server.close();
      db.close();
      if (!keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { manualClock };

const serverMain = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));

/**
 * The built server as a child process (needs `pnpm build`), for crash and restart tests:
 * LUOT_DEMO=1, admin password ADMIN_PASSWORD. Resolves once it answers /health.
 */
export async function spawnServer(dataDir: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [serverMain], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LUOT_DATA_DIR: dataDir, LUOT_DEMO: '1', LUOT_ADMIN_PASSWORD: ADMIN_PASSWORD, LUOT_KIOSK_RATE_LIMIT: 'off', LUOT_DISCOVERY_PORT: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const r = await fetch(`${url}/api/v1/health`);
      if (r.ok) return { child, url };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${stderr}`);
}

/** A free port on loopback (for child processes that must keep the same port across restarts). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
