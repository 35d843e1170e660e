import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, createHttpClient, randomKey } from '@luot/client';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestServer, tempDataDir, type TestServer } from '../helpers/test-server.js';
import { ServerProcess, startLosingProxy } from './support.js';

/** @luot/client's HTTP client against the real server: its errors, and a retried issue request. */
describe('createHttpClient against the server', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it("carries the server's error (code, English, Vietnamese, fields) in one ApiError", async () => {
    const http = createHttpClient({ baseUrl: s.url, token: () => s.adminToken });
    const wrong = await http.request('POST', '/auth/login', { token: null, body: { username: 'admin', password: 'nope' } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ApiError);
    expect(wrong).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', messageVi: 'Sai tên đăng nhập hoặc mật khẩu.' });
    const bad = await http.request('POST', '/tickets', { body: { serviceId: 'land' } }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: 'INVALID_INPUT', messageVi: 'Yêu cầu không hợp lệ.' });
    expect((bad as ApiError).issues?.map((i) => i.path)).toContain('serviceId');
    const anonymous = createHttpClient({ baseUrl: s.url });
    await expect(anonymous.request('GET', '/admin/settings')).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await http.request<{ status: string }>('GET', '/health')).toMatchObject({ status: 'ok' });
  });

  it('says NETWORK, with no status, when nothing answers at the address', async () => {
    const port = await freePort();
    const http = createHttpClient({ baseUrl: `http://127.0.0.1:${port}` });
    await expect(http.request('GET', '/health')).rejects.toMatchObject({ status: 0, code: 'NETWORK', noAnswer: true, messageVi: 'Không kết nối được máy chủ.' });
  });
});

describe('an issue request whose answer is lost, retried with the same Idempotency-Key (child process)', () => {
  const server = new ServerProcess(tempDataDir(), 0);
  let kiosk = '';
  const tickets = (): { id: string; number: string }[] => {
    const db = new Database(join(server.dataDir, 'luot.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT id, number FROM tickets ORDER BY rowid').all() as { id: string; number: string }[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    Object.assign(server, { port: await freePort() });
    await server.start();
    const admin = await server.login('admin');
    kiosk = (await server.api('POST', '/devices', admin, { kind: 'kiosk', name: 'Kiosk retry test' })).token;
  }, 60_000);
  afterAll(async () => {
    await server.stop('SIGKILL');
    rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('one answer lost: the retry gets the same ticket, and only one exists', async () => {
    const proxy = await startLosingProxy(server.port);
    try {
      const http = createHttpClient({ baseUrl: proxy.url, token: () => kiosk, timeoutMs: 3000 });
      const before = tickets().length;
      proxy.loseNext(1);
      const t = await http.requestIdempotent<{ id: string; number: string }>('POST', '/tickets', { body: { serviceId: 1 }, idempotencyKey: randomKey() });
      expect(tickets().length - before).toBe(1);
      expect(tickets().at(-1)).toEqual({ id: t.id, number: t.number });
      expect(proxy.seen.map((r) => r.fate)).toEqual(['lost', 'answered']);
      expect(new Set(proxy.seen.map((r) => r.idempotencyKey)).size).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`the answer is lost and the server ${signal === 'SIGTERM' ? 'restarts' : 'crashes and starts again'} before the retry: still one ticket, returned to the client`, async () => {
      let restarted: Promise<unknown> = Promise.resolve();
      const proxy = await startLosingProxy(server.port, () => {
        restarted = server.stop(signal).then(() => server.start());
      });
      try {
        const http = createHttpClient({ baseUrl: proxy.url, token: () => kiosk, timeoutMs: 3000 });
        const before = tickets().length;
        proxy.loseNext(1);
        const t = await http.requestIdempotent<{ id: string; number: string }>('POST', '/tickets', { body: { serviceId: 2 }, idempotencyKey: randomKey() });
        await restarted;
        expect(tickets().length - before, JSON.stringify(proxy.seen)).toBe(1);
        expect(tickets().at(-1)).toEqual({ id: t.id, number: t.number });
        // The server was away for a while: some tries found nobody, then one was answered.
        expect(proxy.seen[0]?.fate).toBe('lost');
        expect(proxy.seen.at(-1)).toMatchObject({ fate: 'answered', status: 201 });
        expect(new Set(proxy.seen.map((r) => r.idempotencyKey)).size).toBe(1);
        // No number was used up: the next ticket is the very next number.
        const next = await server.api<{ number: string }>('POST', '/tickets', kiosk, { serviceId: 2 });
        expect(Number(next.number)).toBe(Number(t.number) + 1);
      } finally {
        await proxy.close();
      }
    }, 60_000);
  }

  it('gives up at the deadline with a clear message when the server stays away', async () => {
    await server.stop('SIGKILL');
    try {
      const http = createHttpClient({ baseUrl: server.url, token: () => kiosk });
      const started = Date.now();
      const e = await http.requestIdempotent('POST', '/tickets', { body: { serviceId: 1 }, idempotencyKey: randomKey(), deadlineMs: 3000 }).catch((x: unknown) => x);
      // The 3 s deadline, not the default 20 s: generous, for a loaded CI machine (not a timing test).
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(e).toMatchObject({ status: 0, code: 'NETWORK' });
      expect((e as ApiError).messageVi).toContain('Máy chủ không trả lời dù đã thử lại trong 3 giây');
    } finally {
      await server.start();
    }
  }, 30_000);
});
