import { createQueueClient, type ConnectionStatus, type QueueClient } from '@luot/client';
import type { ClientToServerEvents, ServerToClientEvents } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { USER_TOKEN_TTL_MS } from '../../src/auth/tokens.js';
import { offContract } from '../helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * A live socket holds no rights of its own (issue 12): when a person's session ends — disabled,
 * demoted, a new password, signed out, signed out everywhere, or simply expired — their open
 * sockets are cut at once, a reconnect is refused, and the page learns 'unauthorized'. An action
 * sent on a socket whose session ended unannounced is refused too: each action re-reads the
 * actor. Through real HTTP, real socket.io clients and the page's own queue client.
 */
const clock = manualClock(Date.parse('2026-11-23T06:00:00+07:00'));
let s: TestServer;
const open: { close(): void }[] = [];
beforeAll(async () => {
  s = await startTestServer({ clock });
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(() => s.close());

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const until = async (pred: () => boolean, what: string, ms = 8000) => {
  for (const end = Date.now() + ms; !pred(); ) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

let n = 0;
/** A new user (officer or admin), signed in, with a raw socket and a page's queue client. */
async function person(role: 'officer' | 'admin' = 'officer') {
  const username = `nguoi${++n}`;
  const created = await s.api('POST', '/users', { token: s.adminToken, body: { username, password: 'mat-khau-1', role } });
  expect(created.status).toBe(201);
  const token = await s.login(username, 'mat-khau-1');
  const raw: RawSocket = io(s.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  const disconnects: string[] = [];
  raw.on('disconnect', (reason) => disconnects.push(reason));
  await new Promise<void>((resolve, reject) => {
    raw.once('connect', resolve);
    raw.once('connect_error', reject);
  });
  const statuses: ConnectionStatus[] = [];
  const page: QueueClient = createQueueClient({ url: s.url, token, onStatus: (st) => statuses.push(st) });
  open.push(raw, page);
  await until(() => page.status === 'live', 'the page is live');
  return { id: created.body.id as number, username, token, raw, page, statuses, disconnects };
}
type Person = Awaited<ReturnType<typeof person>>;

const act = <E extends 'counter:open' | 'counter:call-next'>(raw: RawSocket, event: E, counterId: number) =>
  new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => offContract(raw).emit(event, { counterId }, resolve));

/** A reconnect with the same token: the handshake is refused, so the page's retry is too. */
const reconnectRefusal = (p: Person) =>
  new Promise<string>((resolve) => {
    p.raw.once('connect', () => resolve('connected'));
    p.raw.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
    p.raw.connect();
  });

/**
 * The socket that acted is cut. `tick`: the session ended unannounced, so the page's own socket
 * (which did not act) is cut by the minute tick's check.
 */
async function expectCutOff(p: Person, opts: { tick?: boolean } = {}) {
  if (opts.tick) {
    expect(p.page.status).toBe('live');
    s.server.tick();
  }
  await until(() => p.disconnects.length > 0, 'the socket is cut');
  expect(p.disconnects).toEqual(['io server disconnect']);
  await until(() => p.page.status === 'unauthorized', `the page learns 'unauthorized' (now ${p.page.status})`);
  expect(await reconnectRefusal(p)).toBe('UNAUTHORIZED');
}

const counterState = (id: number) => s.server.ctx.queue.counters().find((c) => c.id === id)!;
const admin = (method: string, path: string, body?: unknown) => s.api(method, path, { token: s.adminToken, body });

describe('sockets are cut when a session ends', () => {
  it.each([
    ['the user is disabled', (p: Person) => admin('PATCH', `/admin/users/${p.id}`, { disabled: true })],
    ['the password is changed', (p: Person) => admin('PATCH', `/admin/users/${p.id}`, { password: 'mat-khau-moi' })],
    ['the user signs out (that token)', (p: Person) => s.api('POST', '/auth/logout', { token: p.token })],
    ['an admin signs the user out everywhere', (p: Person) => admin('POST', `/users/${p.id}/revoke-sessions`)],
  ])('when %s, an open officer socket is cut and cannot act again', async (_what, end) => {
    const p = await person();
    // The rights were there: the socket opens counter 3 and calls.
    expect((await act(p.raw, 'counter:open', 3)).ok).toBe(true);
    await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 3 } });
    expect((await act(p.raw, 'counter:call-next', 3)).ok).toBe(true);
    expect([200, 204]).toContain((await end(p)).status);
    await expectCutOff(p);
    // Nothing was done in their name since.
    const seq = s.server.ctx.repos.events.lastSeq();
    expect(counterState(3).officer?.username).toBe(p.username);
    expect(s.server.ctx.repos.events.lastSeq()).toBe(seq);
    // Free the counter for the next case.
    expect((await admin('POST', '/counters/3/close')).status).toBe(200);
  });

  it('when an admin is demoted, their socket is cut and they act again only by signing in anew', async () => {
    const p = await person('admin');
    expect((await act(p.raw, 'counter:open', 3)).ok).toBe(true);
    expect((await admin('PATCH', `/admin/users/${p.id}`, { role: 'officer' })).status).toBe(200);
    await expectCutOff(p);
    await admin('POST', '/counters/3/close');
  });

  it('sign-out cuts only the socket of the token signed out', async () => {
    const p = await person();
    const other = io(s.url, { auth: { token: await s.login(p.username, 'mat-khau-1') }, transports: ['websocket'], reconnection: false });
    open.push(other);
    await new Promise((r) => other.once('connect', r as () => void));
    await s.api('POST', '/auth/logout', { token: p.token });
    await expectCutOff(p);
    expect(other.connected).toBe(true);
    expect((await act(other, 'counter:open', 4)).ok).toBe(true);
    await admin('POST', '/counters/4/close');
  });
});

describe('every action re-reads the actor', () => {
  it.each([
    ['disabled', (id: number) => s.server.ctx.repos.users.setDisabled(id, clock.now())],
    ['given a new password', async (id: number) => s.server.ctx.repos.users.setPassword(id, await hashPassword('khac-hẳn'))],
  ])('a socket of a user %s behind the socket layer\'s back is refused at its next action', async (_what, change) => {
    const p = await person();
    await change(p.id);
    // Nobody told the socket layer: the socket is still open...
    expect(p.raw.connected).toBe(true);
    // ...but its next action is refused, and the socket cut.
    expect(await act(p.raw, 'counter:open', 2)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await expectCutOff(p, { tick: true });
    expect(counterState(2).officer).toBeUndefined();
  });

  it('an admin demoted behind its back acts no more as an admin', async () => {
    const p = await person('admin');
    s.server.ctx.repos.users.setRole(p.id, 'officer');
    expect(await act(p.raw, 'counter:call-next', 1)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await expectCutOff(p, { tick: true });
  });

  it('queue:sync, too, answers UNAUTHORIZED once the session is over', async () => {
    const p = await person();
    s.server.ctx.repos.users.setDisabled(p.id, clock.now());
    const r = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => p.raw.emit('queue:sync', resolve));
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await expectCutOff(p, { tick: true });
  });

  it('a token past its expiry: the next action is refused, and the minute tick cuts an idle socket', async () => {
    const busy = await person();
    const idle = await person();
    clock.advance(USER_TOKEN_TTL_MS);
    // Still connected: nothing ran since the clock moved (the expiry timers run on real time).
    expect(busy.raw.connected && idle.raw.connected).toBe(true);
    expect(await act(busy.raw, 'counter:open', 2)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await until(() => busy.disconnects.length > 0, 'the busy socket is cut');
    expect(counterState(2).officer).toBeUndefined();
    // The idle one is cut by the minute tick without having to act; both pages learn it.
    expect(idle.raw.connected).toBe(true);
    await expectCutOff(idle, { tick: true });
    await until(() => busy.page.status === 'unauthorized', "the busy one's page learns 'unauthorized'");
  });
});
