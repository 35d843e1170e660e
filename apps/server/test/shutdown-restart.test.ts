import { rmSync } from 'node:fs';
import net from 'node:net';
import type { ClientToServerEvents, ServerToClientEvents, Snapshot } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, freePort, spawnServer, startTestServer, tempDataDir } from './helpers/test-server.js';

/**
 * A normal stop (SIGTERM: a service restart, an upgrade, a proper shutdown) must look to every
 * client like a lost connection, never like the server sending it away: socket.io-client does
 * not retry after "io server disconnect". Uses the built server (`pnpm exec tsc -b` first).
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function post(url: string, path: string, token: string | null, body: unknown) {
  const r = await fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as any };
}

async function waitFor(pred: () => boolean, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SIGTERM, then a start on the same port and data', () => {
  it('a plain socket.io-client (default options) reconnects by itself and gets the live state', async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const port = await freePort();
    let { child, url } = await spawnServer(dir, port);
    const admin = (await post(url, '/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).body.token as string;
    const display = (await post(url, '/devices', admin, { kind: 'display', name: 'TV' })).body.token as string;
    const kiosk = (await post(url, '/devices', admin, { kind: 'kiosk', name: 'Kiosk' })).body.token as string;

    // Exactly what a page gets from `io(url, { auth })`: polling first, then websocket, default
    // backoff; and a websocket-only one, as the screens connect.
    const screens = [{}, { transports: ['websocket'] }].map((opts) => {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { token: display }, ...opts });
      const screen = { socket, snapshots: [] as Snapshot[], reasons: [] as string[], called: [] as string[] };
      socket.on('queue:snapshot', (s) => screen.snapshots.push(s));
      socket.on('disconnect', (reason) => screen.reasons.push(reason));
      socket.on('ticket:called', (e) => screen.called.push(e.ticket.id));
      return screen;
    });
    const all = (pred: (x: (typeof screens)[number]) => boolean) => () => screens.every(pred);
    try {
      // Stopped in the steady state: upgraded to websocket, where a socket.io DISCONNECT packet
      // would arrive (over polling it may be lost with the connection).
      await waitFor(all((x) => x.snapshots.length === 1 && x.socket.io.engine.transport.name === 'websocket'), 5000, 'first snapshot, on websocket');
      const before = await post(url, '/tickets', kiosk, { serviceId: 1 });
      expect(before.status).toBe(201);

      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).toBe(0);
      await waitFor(all((x) => x.reasons.length === 1), 5000, 'the clients noticed the stop');
      for (const x of screens) {
        // A lost transport, which socket.io-client retries; not "io server disconnect".
        expect(x.reasons[0]).toBe('transport close');
        expect(x.socket.active).toBe(true);
      }

      ({ child, url } = await spawnServer(dir, port));
      const upAt = Date.now();
      await waitFor(all((x) => x.snapshots.length === 2 && x.socket.connected), 10_000, 'reconnected with a new snapshot');
      // Default backoff: first retry within 1.5 s of the stop, then 2 s, 4 s, capped at 5 s.
      expect(Date.now() - upAt).toBeLessThan(6000);
      // A TV's snapshot counts the waiting per service (no list, issue 14): the ticket of before.
      for (const x of screens) expect(x.snapshots[1]!.services.find((s) => s.id === 1)?.waiting).toBe(1);

      // Live again: a call made after the restart reaches the TV as an event.
      const officer = (await post(url, '/auth/login', null, { username: 'canbo1', password: 'demo' })).body.token as string;
      expect((await post(url, '/counters/1/open', officer, {})).status).toBe(200);
      const call = await post(url, '/counters/1/call-next', officer, {});
      expect(call.body.ticket.id).toBe(before.body.id);
      await waitFor(all((x) => x.called.includes(before.body.id)), 5000, 'the call after the restart on the TV');
    } finally {
      for (const x of screens) x.socket.close();
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  }, 30_000);
});

describe('requests arriving while the server stops', () => {
  it('the one in flight finishes; one more on the same connection gets 503 SERVER_RESTARTING in the API shape', async () => {
    const s = await startTestServer();
    const port = Number(new URL(s.url).port);
    const body = JSON.stringify({ serviceId: 1 });
    const sock = net.connect(port, '127.0.0.1');
    let received = '';
    sock.on('data', (d) => (received += String(d)));
    const ended = new Promise<void>((r) => sock.on('close', () => r()));
    await new Promise<void>((r) => sock.once('connect', () => r()));
    try {
      // A ticket request whose body is still on its way when the stop begins.
      const arrived = new Promise<void>((r) => s.server.app.server.once('request', () => r()));
      sock.write(
        `POST /api/v1/tickets HTTP/1.1\r\nHost: luot\r\nAuthorization: Bearer ${s.kioskToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 4)}`,
      );
      await arrived;
      // Its hooks run on promises: after one turn of the event loop it waits only for its body.
      await new Promise((r) => setImmediate(r));
      const closed = s.server.close();
      // The rest of it, and a second request pipelined on the same connection.
      sock.write(`${body.slice(4)}GET /api/v1/health HTTP/1.1\r\nHost: luot\r\n\r\n`);
      await closed;
      await ended;
      const responses = received.split(/(?=HTTP\/1\.1 )/);
      expect(responses).toHaveLength(2);
      expect(responses[0]).toMatch(/^HTTP\/1\.1 201/);
      expect(responses[1]).toMatch(/^HTTP\/1\.1 503/);
      expect(responses[1]!.toLowerCase()).toContain('connection: close');
      const json = JSON.parse(responses[1]!.slice(responses[1]!.indexOf('\r\n\r\n') + 4));
      expect(json).toEqual({ error: { code: 'SERVER_RESTARTING', message: expect.stringMatching(/restart/), messageVi: expect.stringMatching(/khởi động lại/) } });
      expect((s.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n).toBe(1);
    } finally {
      sock.destroy();
      s.db.close();
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  });
});
