import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offContract, QueueClient } from './helpers/queue-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let s: TestServer;
let officer: string;
let seqBefore: number;
let ticketsBefore: number;
const big = 'x'.repeat(100_000);

const countTickets = () => (s.db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;
const lastSeq = () => s.server.ctx.repos.events.lastSeq();

beforeAll(async () => {
  s = await startTestServer();
  officer = await s.login('canbo1');
  // One ticket and an open counter so that there is state to protect.
  await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } });
  await s.api('POST', '/counters/1/open', { token: officer });
  seqBefore = lastSeq();
  ticketsBefore = countTickets();
});
afterAll(() => s.close());

type Case = [method: string, path: string, who: 'none' | 'admin' | 'officer' | 'kiosk' | 'display', body: unknown, status: number, code: string];
const RAW = Symbol('raw');
const raw = (text: string) => ({ [RAW]: text });

const cases: Case[] = [
  // malformed, wrong-typed, oversized, unknown keys
  ['POST', '/auth/login', 'none', undefined, 400, 'INVALID_INPUT'],
  ['POST', '/auth/login', 'none', {}, 400, 'INVALID_INPUT'],
  ['POST', '/auth/login', 'none', { username: 1, password: 'x' }, 400, 'INVALID_INPUT'],
  ['POST', '/auth/login', 'none', { username: 'a', password: big }, 400, 'INVALID_INPUT'],
  ['POST', '/auth/login', 'none', raw('{"username":'), 400, 'INVALID_INPUT'],
  ['POST', '/auth/login', 'none', [1, 2], 400, 'INVALID_INPUT'],
  ['POST', '/auth/login', 'none', { username: 'admin', password: 'x', role: 'admin' }, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', {}, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', null, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', { serviceId: 'abc' }, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', { serviceId: -1 }, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', { serviceId: 1.5 }, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', { serviceId: 1e300 }, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', { serviceId: 1, priority: 'yes' }, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', { serviceId: 1, note: 'hi' }, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', { serviceId: 1, pad: big }, 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', raw('not json'), 400, 'INVALID_INPUT'],
  ['POST', '/tickets', 'kiosk', { serviceId: 999 }, 404, 'SERVICE_NOT_FOUND'],
  ['GET', '/tickets/..%2F..%2Fetc%2Fpasswd', 'none', undefined, 400, 'INVALID_INPUT'],
  ['GET', '/tickets/short', 'none', undefined, 400, 'INVALID_INPUT'],
  ['GET', '/tickets/AAAAAAAAAAAAAAAAAAAAAA', 'none', undefined, 404, 'TICKET_NOT_FOUND'],
  ['POST', '/devices', 'admin', { kind: 'printer', name: 'x' }, 400, 'INVALID_INPUT'],
  ['POST', '/devices', 'admin', { kind: 'kiosk', name: '' }, 400, 'INVALID_INPUT'],
  ['POST', '/devices', 'admin', { kind: 'kiosk', name: 'n'.repeat(500) }, 400, 'INVALID_INPUT'],
  ['POST', '/users', 'admin', { username: 'x', password: 'secret', role: 'root' }, 400, 'INVALID_INPUT'],
  ['POST', '/users', 'admin', { username: 'has space', password: 'secret', role: 'officer' }, 400, 'INVALID_INPUT'],
  ['POST', '/users', 'admin', { username: 'canbo1', password: 'secret', role: 'officer' }, 409, 'USERNAME_TAKEN'],
  ['POST', '/counters/abc/open', 'officer', undefined, 400, 'INVALID_INPUT'],
  ['POST', '/counters/0/open', 'officer', undefined, 400, 'INVALID_INPUT'],
  ['POST', '/counters/999/call-next', 'admin', undefined, 404, 'COUNTER_NOT_FOUND'],
  ['POST', '/counters/1/transfer', 'officer', { serviceId: 'x' }, 400, 'INVALID_INPUT'],
  ['POST', '/counters/1/transfer', 'officer', undefined, 400, 'INVALID_INPUT'],
  ['POST', '/counters/1/call', 'officer', { ticketId: 123 }, 400, 'INVALID_INPUT'],
  ['POST', '/counters/1/recall', 'officer', undefined, 409, 'NO_CURRENT_TICKET'],
  ['POST', '/counters/2/call-next', 'officer', undefined, 409, 'COUNTER_NOT_OPEN'],
  // no token, wrong token, wrong role
  ['POST', '/tickets', 'none', { serviceId: 1 }, 401, 'UNAUTHORIZED'],
  ['GET', '/counters', 'none', undefined, 401, 'UNAUTHORIZED'],
  ['POST', '/counters/1/call-next', 'none', undefined, 401, 'UNAUTHORIZED'],
  ['POST', '/devices', 'none', { kind: 'kiosk', name: 'x' }, 401, 'UNAUTHORIZED'],
  ['POST', '/tickets', 'display', { serviceId: 1 }, 403, 'FORBIDDEN'],
  ['POST', '/tickets', 'officer', { serviceId: 1 }, 403, 'FORBIDDEN'],
  ['POST', '/devices', 'officer', { kind: 'kiosk', name: 'x' }, 403, 'FORBIDDEN'],
  ['POST', '/users', 'kiosk', { username: 'x', password: 'secret', role: 'admin' }, 403, 'FORBIDDEN'],
  ['POST', '/counters/1/call-next', 'kiosk', undefined, 403, 'FORBIDDEN'],
  ['POST', '/counters/1/open', 'display', undefined, 403, 'FORBIDDEN'],
];

describe('bad input over HTTP', () => {
  it.each(cases)('%s %s as %s -> %i %s', async (method, path, who, body, status, code) => {
    const token = { none: undefined, admin: s.adminToken, officer, kiosk: s.kioskToken, display: s.displayToken }[who];
    const opts: { token?: string; body?: unknown; rawBody?: string } = { token };
    if (body && typeof body === 'object' && RAW in body) opts.rawBody = (body as Record<symbol, string>)[RAW];
    else if (body !== undefined) opts.body = body;
    const r = await s.api(method, path, opts);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.messageVi).toMatch(/\S/);
    expect(r.body.error.message).toMatch(/\S/);
  });

  it('rejects a garbage or revoked token as 401, and a non-JSON content type as 400', async () => {
    expect((await s.api('GET', '/counters', { token: 'garbage' })).status).toBe(401);
    const res = await fetch(`${s.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.kioskToken}`, 'content-type': 'text/plain' },
      body: 'serviceId=1',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe('INVALID_INPUT');
  });
});

describe('bad input over the socket', () => {
  it('refuses a connection without a valid token before sending anything', async () => {
    for (const auth of [{}, { token: 'nope' }, { token: 42 }]) {
      const c = io(s.url, { auth, transports: ['websocket'], reconnection: false });
      let gotSnapshot = false;
      c.on('queue:snapshot', () => (gotSnapshot = true));
      const err = await new Promise<Error & { data?: { code: string } }>((resolve) => c.on('connect_error', resolve));
      expect(err.data?.code).toBe('UNAUTHORIZED');
      expect(gotSnapshot).toBe(false);
      c.close();
    }
  });

  it('answers malformed counter actions with INVALID_INPUT and survives missing acks and huge payloads', async () => {
    const c = new QueueClient(s.url, officer);
    await c.connected();
    for (const payload of [null, 'x', { counterId: 'one' }, { counterId: 1, extra: true }, { counterId: -5 }, [1]]) {
      const res = await offContract(c.socket).emitWithAck('counter:call-next', payload);
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    const t = await offContract(c.socket).emitWithAck('counter:transfer', { counterId: 1, serviceId: 'land' });
    expect(t).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // No ack function: ignored, no crash.
    offContract(c.socket).emit('counter:call-next', { counterId: 1 });
    offContract(c.socket).emit('no:such-event', { x: 1 });
    c.close();

    // A payload over the 16 KiB limit closes only that connection.
    const huge = new QueueClient(s.url, officer, { reconnection: false });
    await huge.connected();
    const closed = new Promise((r) => huge.socket.on('disconnect', r));
    offContract(huge.socket).emit('counter:call-next', { counterId: 1, pad: big }, () => {});
    await closed;
    expect((await s.api('GET', '/health')).status).toBe(200);
  });

  it('refuses counter actions from a display or kiosk socket', async () => {
    const c = new QueueClient(s.url, s.displayToken);
    await c.connected();
    const res = await c.socket.emitWithAck('counter:call-next', { counterId: 1 });
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    c.close();
  });
});

describe('after all that', () => {
  it('changed nothing', () => {
    expect(lastSeq()).toBe(seqBefore);
    expect(countTickets()).toBe(ticketsBefore);
  });
});
