import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

// Issue 11: "Clock set back an hour: tickets issued after the jump are called before earlier ones
// (the queue was ordered by wall-clock queued_at) and told '0 ahead'." Arrival order is now a
// stored sequence; the wall clock only stamps the times shown.
const clock = manualClock(Date.parse('2026-11-23T10:00:00+07:00'));
let s: TestServer;
let canbo3: string;
let canbo1: string;
beforeAll(async () => {
  s = await startTestServer({ clock });
  canbo1 = await s.login('canbo1');
  canbo3 = await s.login('canbo3');
});
afterAll(() => s.close());

const LAND = 1;
const CERT = 3;
const issue = async (serviceId: number, priority = false) => {
  const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId, priority } });
  expect(r.status).toBe(201);
  clock.advance(1000);
  return r.body as { id: string; number: string; ahead: number; issuedAt: string };
};
const act = async (token: string, counter: number, action: string, body?: unknown) => {
  const r = await s.api('POST', `/counters/${counter}/${action}`, { token, body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

describe('the clock set back an hour', () => {
  it('keeps the order of issue: positions, the counter tablet\'s list, the phone page and the calls', async () => {
    // The waiting list is on staff screens (a TV shows counts only, issue 14).
    const tv = new QueueClient(s.url, canbo1);
    await tv.connected();
    const a = await issue(LAND);
    const b = await issue(LAND);
    clock.jump(-60 * 60_000);
    const c = await issue(LAND);
    const d = await issue(LAND);
    // Stamped with the clock as it reads, earlier than a and b...
    expect(Date.parse(c.issuedAt)).toBeLessThan(Date.parse(a.issuedAt));
    // ...and still behind them in line.
    expect([a.ahead, b.ahead, c.ahead, d.ahead]).toEqual([0, 1, 2, 3]);
    expect((await s.api('GET', `/tickets/${c.id}`)).body.ahead).toBe(2);
    expect((await s.api('GET', `/tickets/${d.id}`)).body.ahead).toBe(3);

    const numbers = [a, b, c, d].map((t) => t.number);
    const onTv = await tv.until((st) => st.waiting.length === 4);
    expect(onTv.waiting.map((t) => [t.number, t.ahead])).toEqual(numbers.map((n, i) => [n, i]));
    const fresh = new QueueClient(s.url, canbo1);
    await fresh.connected();
    expect(fresh.state!.waiting).toEqual(onTv.waiting);
    fresh.close();

    await act(canbo1, 1, 'open');
    const called: string[] = [];
    for (let i = 0; i < 4; i++) called.push((await act(canbo1, 1, 'call-next')).ticket.number);
    expect(called).toEqual(numbers);
    await act(canbo1, 1, 'complete');
    tv.close();
  });

  it('a ticket is never called before its issue, and never served for less than nothing', async () => {
    const t = await issue(LAND);
    clock.jump(-30 * 60_000);
    const called = (await act(canbo1, 1, 'call-next')).ticket;
    expect(called.id).toBe(t.id);
    // The wall clock says 30 minutes before the issue: the call is stored at the issue time (a
    // wait of 0, not -30 minutes).
    expect(Date.parse(called.calledAt)).toBe(Date.parse(t.issuedAt));
    clock.jump(-10 * 60_000);
    const done = (await act(canbo1, 1, 'complete')).ticket;
    expect(Date.parse(done.completedAt)).toBe(Date.parse(called.calledAt));
  });

  it('the TV\'s recent calls stay in the order they were made', async () => {
    const tv = new QueueClient(s.url, s.displayToken);
    await tv.connected();
    const x = await issue(LAND);
    const y = await issue(LAND);
    await act(canbo1, 1, 'call-next');
    clock.jump(-20 * 60_000);
    await act(canbo1, 1, 'call-next');
    const live = await tv.until((st) => st.recentCalls[0]?.ticketId === y.id);
    expect(live.recentCalls.slice(0, 2).map((k) => k.ticketId)).toEqual([y.id, x.id]);
    const fresh = new QueueClient(s.url, s.displayToken);
    await fresh.connected();
    expect(fresh.state!.recentCalls).toEqual(live.recentCalls);
    // The phone page's "now serving" is the last call made, too.
    const z = await issue(LAND);
    expect((await s.api('GET', `/tickets/${z.id}`)).body.nowServing).toBe(y.number);
    fresh.close();
    tv.close();
    await act(canbo1, 1, 'complete');
    await act(canbo1, 1, 'call-next');
    await act(canbo1, 1, 'complete');
  });

  it('a transfer joins the end of its new queue, also while the clock is behind', async () => {
    // Counter 3 serves certification, then land.
    await act(canbo3, 3, 'open');
    const c1 = await issue(CERT);
    const c2 = await issue(CERT);
    const land = await issue(LAND);
    expect((await act(canbo3, 3, 'call-next')).ticket.id).toBe(c1.id);
    // The clock goes back an hour before the transfer: the transferred ticket still comes after
    // c2, which was issued before it was transferred (today's rule: the transfer is its arrival
    // in the new queue).
    clock.jump(-60 * 60_000);
    const moved = (await act(canbo3, 3, 'transfer', { serviceId: LAND })).ticket;
    expect(moved).toMatchObject({ id: c1.id, serviceId: LAND, status: 'waiting', ahead: 1 });
    const later = await issue(LAND);
    expect(later.ahead).toBe(2);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await act(canbo3, 3, 'call-next')).ticket.id);
    expect(order).toEqual([c2.id, land.id, c1.id, later.id]);
    await act(canbo3, 3, 'complete');
  });

  it('priority still goes first, and among priority tickets the order of issue', async () => {
    const n1 = await issue(LAND);
    const p1 = await issue(LAND, true);
    clock.jump(-60 * 60_000);
    const p2 = await issue(LAND, true);
    const n2 = await issue(LAND);
    const ahead = async (t: { id: string }) => (await s.api('GET', `/tickets/${t.id}`)).body.ahead as number;
    expect([await ahead(p1), await ahead(p2), await ahead(n1), await ahead(n2)]).toEqual([0, 1, 2, 3]);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await act(canbo1, 1, 'call-next')).ticket.id);
    expect(order).toEqual([p1.id, p2.id, n1.id, n2.id]);
    await act(canbo1, 1, 'complete');
  });

  it('after all these jumps, no ticket of the day has a negative wait or service time', () => {
    const bad = s.db
      .prepare('SELECT COUNT(*) AS n FROM tickets WHERE called_at < issued_at OR called_at < queued_at OR completed_at < called_at OR no_show_at < called_at')
      .get() as { n: number };
    const served = s.db.prepare('SELECT COUNT(*) AS n FROM tickets WHERE completed_at IS NOT NULL').get() as { n: number };
    expect(served.n).toBeGreaterThan(5);
    expect(bad.n).toBe(0);
  });
});
