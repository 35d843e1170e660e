import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../src/http/error-handler.js';
import { bearerToken } from '../src/http/guard.js';
import { provinceRoutes } from '../src/http/province.routes.js';
import { createShipper, type Shipper } from '../src/province/shipper.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * The center's side of the link when the province misbehaves, against stand-ins for a broken
 * province on loopback (the real province service is tested in apps/province/test): one that
 * accepts connections and never answers, one that answers 503, one that refuses the key. The
 * center keeps issuing at full speed whatever the link does; the admin sees the link's state.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const quiet = pino({ level: 'silent' });
const issue = async () => {
  const t0 = performance.now();
  const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } });
  expect(r.status).toBe(201);
  return performance.now() - t0;
};
async function until(what: string, check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const listen = (srv: Server | ReturnType<typeof createTcpServer>) =>
  new Promise<string>((resolve) => srv.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(srv.address() as AddressInfo).port}`)));

describe('province link from the center', () => {
  it('a province that never answers: requests time out, the center never waits on it', async () => {
    const sockets: Socket[] = [];
    const hang = createTcpServer((sock) => void sockets.push(sock)); // accepts, reads nothing, says nothing
    const url = await listen(hang);
    const shipper = createShipper({ db: s.db, clock: s.clock, logger: quiet, url, key: 'k', timeoutMs: 300, backoff: { baseMs: 50, capMs: 200 } });
    shipper.start();
    let slowest = 0;
    for (let i = 0; i < 20; i++) slowest = Math.max(slowest, await issue());
    await until('a timeout', () => shipper.state().lastError?.code === 'TIMEOUT');
    for (let i = 0; i < 10; i++) slowest = Math.max(slowest, await issue());
    expect(slowest).toBeLessThan(250);
    expect(shipper.state()).toMatchObject({ configured: true, state: 'retrying', lastAckSeq: null, lastSuccessAt: null });
    expect(shipper.state().behindEvents).toBe(shipper.state().lastSeq);
    await shipper.stop();
    expect(shipper.state().state).toBe('off');
    for (const sock of sockets) sock.destroy();
    hang.close();
  });

  it('a province answering 503: retries back off exponentially with jitter', async () => {
    const at: number[] = [];
    const down = createHttpServer((req: IncomingMessage, res) => {
      at.push(performance.now());
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'DATABASE_UNAVAILABLE', message: 'down', messageVi: 'x' } }));
    });
    const url = await listen(down);
    const shipper = createShipper({ db: s.db, clock: s.clock, logger: quiet, url, key: 'k', backoff: { baseMs: 40, capMs: 320 } });
    shipper.start();
    await until('6 tries', () => at.length >= 6);
    await shipper.stop();
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // Try k waits between half and all of min(cap, base * 2^(k-1)).
    gaps.slice(0, 5).forEach((g, k) => {
      const ceiling = Math.min(320, 40 * 2 ** k);
      expect(g).toBeGreaterThanOrEqual(ceiling / 2 - 5);
    });
    expect(gaps[4]).toBeGreaterThanOrEqual(160 - 5);
    expect(shipper.state().lastError).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    down.close();
  });

  it('a refused key: the link says refused, with the province\'s reason', async () => {
    const refuse = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'Unknown or revoked key.', messageVi: 'Khóa không hợp lệ.' } }));
    });
    const url = await listen(refuse);
    const shipper = createShipper({ db: s.db, clock: s.clock, logger: quiet, url, key: 'revoked', backoff: { baseMs: 50, capMs: 100 } });
    shipper.start();
    await until('refused', () => shipper.state().state === 'refused');
    expect(shipper.state().lastError).toMatchObject({ code: 'UNAUTHORIZED', message: 'Unknown or revoked key.' });
    await shipper.stop();
    refuse.close();
  });

  it('GET /api/v1/admin/province: admin only; off when not configured, the shipper state when it is', async () => {
    // The route module on its own Fastify app with the center's token check (server.ts registers
    // it for real once LUOT_PROVINCE_URL is wired, see docs/province.md).
    const build = async (shipper: Shipper | null) => {
      const app = Fastify();
      installErrorHandler(app);
      app.decorateRequest('actor', null);
      app.addHook('onRequest', async (req) => {
        req.actor = s.server.ctx.tokens.resolve(bearerToken(req.headers.authorization), s.clock.now());
      });
      await app.register(async (api) => provinceRoutes(api, s.server.ctx, shipper), { prefix: '/api/v1' });
      return app;
    };
    const off = await build(null);
    const get = (app: Awaited<ReturnType<typeof build>>, token?: string) =>
      app.inject({ method: 'GET', url: '/api/v1/admin/province', headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get(off)).statusCode).toBe(401);
    expect((await get(off, await s.login('canbo1'))).statusCode).toBe(403);
    const r = await get(off, s.adminToken);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ configured: false, state: 'off', lastAckSeq: null, behindEvents: 0, lastSeq: s.server.ctx.repos.events.lastSeq() });
    await off.close();

    const shipper = createShipper({ db: s.db, clock: s.clock, logger: quiet, url: 'http://127.0.0.1:9', key: 'secret-key-value' });
    const on = await build(shipper);
    const body = (await get(on, s.adminToken)).json();
    expect(body).toMatchObject({ configured: true, url: 'http://127.0.0.1:9', lastSeq: s.server.ctx.repos.events.lastSeq() });
    expect(JSON.stringify(body)).not.toContain('secret-key-value');
    await on.close();
  });
});
