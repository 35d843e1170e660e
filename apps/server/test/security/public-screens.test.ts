import { applyQueueEvent, QUEUE_EVENT_TYPES, type QueueEvent, type Snapshot } from '@luot/protocol';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * A screen facing the public (the waiting-room TV, the rating tablet, the kiosk) is told no
 * person's name (issue 12: a TV's snapshot carried officer usernames). Every packet such a
 * screen receives through a day of counter work, configuration changes, resyncs and the
 * midnight push is captured and searched for usernames; a counter tablet's capture, which must
 * name its officers, shows the search would find them. The public screen's state, built from its
 * own events, still equals a fresh snapshot of its own.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;
type Captured = { event: string; args: unknown[] }[];
const captures: Record<'tv' | 'kiosk' | 'staff', Captured> = { tv: [], kiosk: [], staff: [] };
const sockets: Socket[] = [];
let tvState: Snapshot | null = null;
let tvSocket: Socket;
const OFFICERS = ['canbo1', 'canbo2', 'canbo3', 'Trần_Thị_Đức'];

function capture(token: string, into: Captured): Promise<Socket> {
  const socket = io(s.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  socket.onAny((event: string, ...args: unknown[]) => into.push({ event, args }));
  return new Promise((resolve) => socket.once('queue:snapshot', () => resolve(socket)));
}

beforeAll(async () => {
  s = await startTestServer({ clock });
  const created = await s.api('POST', '/users', { token: s.adminToken, body: { username: 'Trần_Thị_Đức', password: 'mat-khau-1', role: 'officer' } });
  expect(created.status).toBe(201);
  tvSocket = await capture(s.displayToken, captures.tv);
  // The TV follows its events the way every screen does (the shared reducer).
  tvSocket.on('queue:snapshot', (snap: Snapshot) => (tvState = snap));
  tvState = captures.tv[0]!.args[0] as Snapshot;
  for (const type of QUEUE_EVENT_TYPES) {
    tvSocket.on(type, (payload: unknown) => {
      const r = applyQueueEvent(tvState!, { type, payload } as QueueEvent);
      if (r.ok) tvState = r.state;
      else if (r.reason === 'gap') throw new Error(`gap at ${type}`);
    });
  }
  await capture(s.kioskToken, captures.kiosk);
  await capture(await s.login('admin'), captures.staff);
});
afterAll(async () => {
  for (const so of sockets) so.close();
  await s.close();
});

const tvSync = async (): Promise<Snapshot> => {
  const r = (await tvSocket.emitWithAck('queue:sync')) as { ok: true; data: Snapshot };
  expect(r.ok).toBe(true);
  // Answers are searched as well as events.
  captures.tv.push({ event: 'ack:queue:sync', args: [r.data] });
  return r.data;
};
const settled = async () => {
  const seq = s.server.ctx.repos.events.lastSeq();
  for (const end = Date.now() + 5000; tvState?.seq !== seq; ) {
    if (Date.now() > end) throw new Error(`the TV is at ${tvState?.seq}, the server at ${seq}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('screens facing the public carry no person', () => {
  it('a day of work: the TV and the kiosk receive no username, the counter tablet does', async () => {
    const token: Record<string, string> = {};
    for (const u of OFFICERS) token[u] = await s.login(u, u === 'Trần_Thị_Đức' ? 'mat-khau-1' : 'demo');
    const post = async (who: string, path: string, body?: unknown) => {
      const r = await s.api('POST', path, { token: token[who] ?? s.adminToken, body });
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      return r.body;
    };
    const issue = (serviceId: number, priority = false) => s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId, priority } }).then((r) => r.body as { id: string });

    // Morning: counters open, citizens arrive.
    await post('canbo1', '/counters/1/open');
    await post('canbo2', '/counters/2/open');
    await post('canbo3', '/counters/3/open');
    await post('Trần_Thị_Đức', '/counters/4/open');
    const tickets = [];
    for (let i = 0; i < 12; i++) tickets.push(await issue((i % 3) + 1, i === 5));
    clock.advance(60_000);
    // Calls, recalls, completions, a no-show, a transfer, a chosen ticket, a cancel.
    await post('canbo1', '/counters/1/call-next');
    await post('canbo1', '/counters/1/recall');
    await post('canbo1', '/counters/1/complete');
    await post('canbo2', '/counters/2/call-next');
    await post('canbo2', '/counters/2/no-show');
    await post('canbo3', '/counters/3/call-next');
    await post('canbo3', '/counters/3/transfer', { serviceId: 1 });
    await post('Trần_Thị_Đức', '/counters/4/call', { ticketId: tickets[10]!.id });
    await post('Trần_Thị_Đức', '/tickets/' + tickets[10]!.id + '/cancel', {});
    await post('Trần_Thị_Đức', '/counters/4/call-next');
    await post('Trần_Thị_Đức', '/counters/4/complete');
    await post('canbo2', '/counters/2/pause');
    // The TV asks for a fresh snapshot now and then.
    await settled();
    expect(tvState).toEqual(await tvSync());
    // The admin changes things; an officer hands over a counter.
    expect((await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { tickerText: 'Chiều nay nghỉ lúc 16 giờ.' } })).status).toBe(200);
    expect((await s.api('PATCH', '/admin/services/2', { token: s.adminToken, body: { targetWaitMinutes: 25 } })).status).toBe(200);
    expect((await s.api('PATCH', '/admin/counters/2', { token: s.adminToken, body: { name: 'Quầy 2 (hộ tịch)' } })).status).toBe(200);
    await post('canbo2', '/counters/2/close');
    await post('canbo1', '/counters/1/close');
    await post('canbo2', '/counters/1/open');
    await post('canbo2', '/counters/1/call-next');
    clock.advance(3_600_000);
    await settled();
    expect(tvState).toEqual(await tvSync());
    // What a TV or kiosk reads over HTTP, too.
    const httpCounters = (await s.api('GET', '/counters', { token: s.displayToken })).body;
    const kioskCounters = (await s.api('GET', '/counters', { token: s.kioskToken })).body;
    expect(httpCounters).toHaveLength(4);
    // Midnight: the new day is pushed to every screen.
    clock.set(Date.parse('2026-11-24T00:00:30+07:00'));
    s.server.tick();
    for (const end = Date.now() + 5000; tvState?.businessDay !== '2026-11-24'; ) {
      if (Date.now() > end) throw new Error('no new day on the TV');
      await new Promise((r) => setTimeout(r, 10));
    }
    await post('canbo3', '/counters/3/open');
    await settled();
    expect(tvState).toEqual(await tvSync());

    const publicText = JSON.stringify({ tv: captures.tv, kiosk: captures.kiosk, httpCounters, kioskCounters });
    const staffText = JSON.stringify(captures.staff);
    expect(captures.tv.length).toBeGreaterThan(40);
    expect(new Set(captures.tv.map((c) => c.event))).toEqual(new Set(['ack:queue:sync', 'queue:snapshot', 'ticket:issued', 'ticket:called', 'ticket:updated', 'counter:updated', 'center:updated', 'service:updated']));
    for (const name of [...OFFICERS, 'admin']) {
      expect(publicText.includes(JSON.stringify(name)), `a public screen saw ${name}`).toBe(false);
    }
    expect(publicText).not.toMatch(/"(officer|username|userId)"/);
    // The counter tablets and the admin page do see who works where: the search would have found it.
    for (const name of ['canbo1', 'canbo2', 'canbo3', 'Trần_Thị_Đức']) expect(staffText).toContain(JSON.stringify(name));
    const staffCounters = (await s.api('GET', '/counters', { token: token.canbo3 })).body as { officer?: { username: string } }[];
    expect(staffCounters.map((c) => c.officer?.username)).toContain('canbo3');
  });
});
