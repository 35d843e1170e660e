import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * The counter's side of issue 16: the officer who calls a checked-in citizen's ticket reads the
 * name, year of birth and returning count over HTTP (GET /counters/:id/citizen), for their own
 * counter only; no socket of any kind (TV, kiosk, counter tablet, admin) ever carries a name or a
 * number. Real server, real sockets, real HTTP; every packet each socket receives is kept and
 * searched at the end.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;
const sockets: Socket[] = [];
const captured: Record<'tv' | 'kiosk' | 'counter' | 'admin', string[]> = { tv: [], kiosk: [], counter: [], admin: [] };
let canbo1: string;
let canbo2: string;

const THO = { idNumber: '001050012345', fullName: 'Nguyễn Văn Thọ', dateOfBirth: '1950-03-15', sex: 'male' } as const;
const NGOC = { idNumber: '079190004567', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-07-02', sex: 'female' } as const;
const SECRETS = [THO.fullName, THO.idNumber, NGOC.fullName, NGOC.idNumber, 'Thọ', 'Ngọc'];

function capture(token: string, into: string[]): Promise<Socket> {
  const socket = io(s.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  socket.onAny((event: string, ...args: unknown[]) => into.push(JSON.stringify({ event, args })));
  return new Promise((resolve) => socket.once('queue:snapshot', () => resolve(socket)));
}

const issue = async (serviceId: number, checkIn?: object) => {
  const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId, ...(checkIn ? { checkIn } : {}) } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  clock.advance(30_000);
  return r.body as { id: string; number: string; priority: boolean };
};
const citizen = (counter: number, token: string) => s.api('GET', `/counters/${counter}/citizen`, { token });
const callNext = async (counter: number, token: string) => {
  const r = await s.api('POST', `/counters/${counter}/call-next`, { token });
  expect(r.status).toBe(200);
  clock.advance(60_000);
  return r.body.ticket as { id: string; number: string };
};

beforeAll(async () => {
  s = await startTestServer({ clock });
  canbo1 = await s.login('canbo1');
  canbo2 = await s.login('canbo2');
  await capture(s.displayToken, captured.tv);
  await capture(s.kioskToken, captured.kiosk);
  await capture(canbo1, captured.counter);
  await capture(s.adminToken, captured.admin);
  for (const [n, token] of [[1, canbo1], [2, canbo2]] as const) expect((await s.api('POST', `/counters/${n}/open`, { token })).status).toBe(200);
});
afterAll(async () => {
  for (const so of sockets) so.close();
  await s.close();
});

describe('the counter sees the citizen it called', () => {
  it('name, year of birth and a first visit, for the officer of that counter and an admin only', async () => {
    const t = await issue(1, THO);
    expect((await citizen(1, canbo1)).body).toEqual({ citizen: null });
    const called = await callNext(1, canbo1);
    expect(called.id).toBe(t.id);
    const mine = await citizen(1, canbo1);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      citizen: { ticketId: t.id, number: t.number, fullName: 'Nguyễn Văn Thọ', yearOfBirth: 1950, sex: 'male', visits: 1, visitDays: 30 },
    });
    expect((await citizen(1, s.adminToken)).body.citizen.fullName).toBe('Nguyễn Văn Thọ');
    // Anyone else: another counter's officer, the kiosk, the TV, nobody.
    const other = await citizen(1, canbo2);
    expect([other.status, other.body.error.code]).toEqual([403, 'NOT_YOUR_COUNTER']);
    expect((await citizen(1, s.kioskToken)).status).toBe(403);
    expect((await citizen(1, s.displayToken)).status).toBe(403);
    expect((await s.api('GET', '/counters/1/citizen')).status).toBe(401);
    expect((await citizen(99, canbo1)).status).toBe(404);
    expect((await s.api('GET', '/counters/x/citizen', { token: canbo1 })).status).toBe(400);
    // Never cached anywhere on the way.
    const raw = await fetch(`${s.url}/api/v1/counters/1/citizen`, { headers: { authorization: `Bearer ${canbo1}` } });
    expect(raw.headers.get('cache-control')).toBe('no-store');
    // The phone page's view of the same ticket: numbers only.
    expect(JSON.stringify((await s.api('GET', `/tickets/${t.id}`)).body)).not.toMatch(/Thọ|001050012345|1950/);
  });

  it('a ticket without a card shows nobody; done, the card is gone from the counter', async () => {
    await issue(1);
    await callNext(1, canbo1);
    expect((await citizen(1, canbo1)).body).toEqual({ citizen: null });
    expect((await s.api('POST', '/counters/1/complete', { token: canbo1 })).status).toBe(200);
    expect((await citizen(1, canbo1)).body).toEqual({ citizen: null });
  });

  it('counts returning visits for the same service: the second visit says 2, another service starts at 1', async () => {
    const again = await issue(1, THO);
    await issue(2, THO);
    await issue(2, NGOC);
    const called = await callNext(1, canbo1);
    expect(called.id).toBe(again.id);
    expect((await citizen(1, canbo1)).body.citizen).toMatchObject({ fullName: 'Nguyễn Văn Thọ', visits: 2, visitDays: 30 });
    // Counter 2 serves civil status first: his first visit there.
    const second = await callNext(2, canbo2);
    expect((await citizen(2, canbo2)).body.citizen).toMatchObject({ ticketId: second.id, fullName: 'Nguyễn Văn Thọ', visits: 1 });
    await callNext(2, canbo2);
    expect((await citizen(2, canbo2)).body.citizen).toMatchObject({ fullName: 'Trần Thị Bích Ngọc', yearOfBirth: 1990, sex: 'female', visits: 1 });
  });

  it('switched off: the counter shows no name (nothing already kept is deleted by the switch)', async () => {
    await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { checkInEnabled: false } });
    expect((await citizen(2, canbo2)).body).toEqual({ citizen: null });
    await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { checkInEnabled: true } });
    expect((await citizen(2, canbo2)).body.citizen.fullName).toBe('Trần Thị Bích Ngọc');
  });

  it('screens learn the switch and the notice figures from the center info, live', async () => {
    const before = captured.kiosk.length;
    await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { returningVisitorDays: 45 } });
    await expect.poll(() => captured.kiosk.slice(before).some((p) => p.includes('center:updated') && p.includes('"visitorDays":45'))).toBe(true);
    const snap = JSON.parse(captured.tv[0]!) as { args: [{ center: { checkIn: unknown } }] };
    expect(snap.args[0].center.checkIn).toEqual({ enabled: true, priorityAge: 60, nameDays: 0, visitorDays: 30 });
    await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { returningVisitorDays: 30 } });
  });

  it('no socket, public or staff, ever received a name or an ID number (the search finds the ticket numbers)', async () => {
    // Resync answers too.
    for (const so of sockets) captured.admin.push(JSON.stringify(await so.emitWithAck('queue:sync')));
    for (const [who, packets] of Object.entries(captured)) {
      expect(packets.length, who).toBeGreaterThan(3);
      const all = packets.join('\n');
      for (const secret of SECRETS) expect(all.includes(secret), `${who} received ${secret}`).toBe(false);
      // The capture is real: the numbers of the checked-in tickets are there.
      expect(all, who).toContain('"number":"1001"');
    }
    // Nor the event log those sockets are fed from.
    const stored = (s.db.prepare('SELECT group_concat(payload) AS p FROM ticket_events').get() as { p: string }).p;
    for (const secret of SECRETS) expect(stored.includes(secret)).toBe(false);
  });
});
