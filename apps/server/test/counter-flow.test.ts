import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

const clock = manualClock(Date.parse('2026-11-23T08:00:00+07:00'));
let s: TestServer;
let canbo1: string;
let canbo2: string;
beforeAll(async () => {
  s = await startTestServer({ clock });
  canbo1 = await s.login('canbo1');
  canbo2 = await s.login('canbo2');
});
afterAll(() => s.close());

const LAND = 1;
const CIVIL = 2;
const CERT = 3;
const issue = async (serviceId: number, priority = false) => {
  const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId, priority } });
  expect(r.status).toBe(201);
  clock.advance(1000);
  return r.body as { id: string; number: string; ahead: number; estimatedWaitMinutes: number };
};
const act = (token: string, counter: number, action: string, body?: unknown) =>
  s.api('POST', `/counters/${counter}/${action}`, { token, body });

describe('a counter officer\'s day', () => {
  it('takes a counter; another officer cannot take it', async () => {
    const open = await act(canbo1, 1, 'open');
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ id: 1, state: 'open', officer: { username: 'canbo1' } });
    const taken = await act(canbo2, 1, 'open');
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('COUNTER_TAKEN');
    expect((await act(canbo2, 1, 'call-next')).body.error.code).toBe('COUNTER_TAKEN');
    expect((await act(canbo2, 2, 'open')).status).toBe(200);
  });

  it('calls, recalls, completes, with the TV told of each step', async () => {
    const tv = new QueueClient(s.url, s.displayToken);
    await tv.connected();
    const t1 = await issue(LAND);
    const t2 = await issue(LAND);
    expect(t2.ahead).toBe(1);
    expect(t2.estimatedWaitMinutes).toBeGreaterThan(0);
    expect((await s.api('GET', `/tickets/${t2.id}`)).body).toMatchObject({ number: t2.number, status: 'waiting', ahead: 1 });

    const called = await act(canbo1, 1, 'call-next');
    expect(called.body.ticket).toMatchObject({ id: t1.id, status: 'called', counterId: 1 });
    expect((await s.api('GET', `/tickets/${t1.id}`)).body).toMatchObject({ status: 'called', counterNumber: 1 });
    expect((await s.api('GET', `/tickets/${t2.id}`)).body.ahead).toBe(0);

    clock.advance(4 * 60_000);
    const recall = await act(canbo1, 1, 'recall');
    expect(recall.body.ticket.id).toBe(t1.id);
    const snap = await tv.until((st) => st.recentCalls.length >= 2);
    expect(snap.recentCalls.slice(0, 2).map((c) => [c.number, c.recall])).toEqual([
      [t1.number, true],
      [t1.number, false],
    ]);

    const done = await act(canbo1, 1, 'complete');
    expect(done.body.ticket).toMatchObject({ id: t1.id, status: 'done' });
    expect(done.body.ticket.completedAt).toBeDefined();
    expect((await act(canbo1, 1, 'complete')).body.error.code).toBe('NO_CURRENT_TICKET');
    // The 4-minute service now drives the estimate for the next citizen in land.
    const t3 = await issue(LAND);
    expect(t3.ahead).toBe(1);
    expect(t3.estimatedWaitMinutes).toBe(4); // 1 ahead x 4 min / 1 open counter serving land (counter 2 does not)
    tv.close();
  });

  it('marks a no-show and calls it back within the window, not after', async () => {
    await act(canbo1, 1, 'call-next'); // t2
    const current = (await s.api('GET', '/counters', { token: canbo1 })).body.find((c: any) => c.id === 1).currentTicket;
    const ns = await act(canbo1, 1, 'no-show');
    expect(ns.body.ticket).toMatchObject({ id: current.id, status: 'no_show' });
    clock.advance(10 * 60_000);
    const back = await act(canbo1, 1, 'call', { ticketId: current.id });
    expect(back.body.ticket).toMatchObject({ id: current.id, status: 'called' });
    await act(canbo1, 1, 'no-show');
    clock.advance(31 * 60_000);
    const late = await act(canbo1, 1, 'call', { ticketId: current.id });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('INVALID_TRANSITION');
  });

  it('transfers a ticket to another service keeping its number, to the back of that queue', async () => {
    const waitingCivil = await issue(CIVIL);
    const land = await issue(LAND);
    // Counter 1 serves land first, then civil status.
    let called = await act(canbo1, 1, 'call-next');
    while (called.body.ticket && called.body.ticket.id !== land.id) called = await act(canbo1, 1, 'call-next');
    expect(called.body.ticket.id).toBe(land.id);
    const moved = await act(canbo1, 1, 'transfer', { serviceId: CIVIL });
    expect(moved.body.ticket).toMatchObject({ id: land.id, number: land.number, serviceId: CIVIL, status: 'waiting', ahead: 1 });
    // Passed on, not served: neither the counter nor the officer keeps it (reports count it where it ends).
    expect(s.db.prepare('SELECT counter_id, officer_id FROM tickets WHERE id = ?').get(land.id)).toEqual({ counter_id: null, officer_id: null });
    // Counter 2 serves civil status: the one already waiting there comes first.
    expect((await act(canbo2, 2, 'call-next')).body.ticket.id).toBe(waitingCivil.id);
    expect((await act(canbo2, 2, 'call-next')).body.ticket).toMatchObject({ id: land.id, number: land.number });
    expect((await act(canbo2, 2, 'transfer', { serviceId: 99 })).body.error.code).toBe('SERVICE_NOT_FOUND');
    await act(canbo2, 2, 'complete');
  });

  it('calls a chosen waiting ticket, only of a service the counter serves', async () => {
    const a = await issue(CERT);
    const b = await issue(CERT);
    const landTicket = await issue(LAND);
    const chosen = await act(canbo2, 2, 'call', { ticketId: b.id });
    expect(chosen.body.ticket).toMatchObject({ id: b.id, status: 'called', counterId: 2 });
    expect((await act(canbo2, 2, 'call', { ticketId: landTicket.id })).body.error.code).toBe('SERVICE_NOT_SERVED');
    expect((await act(canbo2, 2, 'call', { ticketId: b.id })).body.error.code).toBe('INVALID_TRANSITION');
    // Calling another completes the one being served.
    await act(canbo2, 2, 'call', { ticketId: a.id });
    expect((await s.api('GET', `/tickets/${b.id}`)).body.status).toBe('done');
    await act(canbo2, 2, 'complete');
    await act(canbo1, 1, 'call', { ticketId: landTicket.id });
    await act(canbo1, 1, 'complete');
  });

  it('serves priority tickets first, at most two in a row while others wait', async () => {
    const normal = [await issue(CERT), await issue(CERT)];
    const prio = [await issue(CERT, true), await issue(CERT, true), await issue(CERT, true)];
    const order: string[] = [];
    for (;;) {
      const r = await act(canbo2, 2, 'call-next');
      if (!r.body.ticket) break;
      order.push(r.body.ticket.id);
    }
    expect(order).toEqual([prio[0]!.id, prio[1]!.id, normal[0]!.id, prio[2]!.id, normal[1]!.id]);
  });

  it('pauses (no calls while paused) and closes, freeing the counter for another officer', async () => {
    await issue(LAND);
    expect((await act(canbo1, 1, 'pause')).body.state).toBe('paused');
    expect((await act(canbo1, 1, 'call-next')).body.error).toMatchObject({ code: 'COUNTER_PAUSED', messageVi: expect.stringMatching(/Tiếp tục/) });
    expect((await act(canbo1, 1, 'open')).body.state).toBe('open');
    await act(canbo1, 1, 'call-next');
    const closed = await act(canbo1, 1, 'close');
    expect(closed.body).toMatchObject({ state: 'closed' });
    expect(closed.body.officer).toBeUndefined();
    expect(closed.body.currentTicket).toBeUndefined();
    expect((await act(canbo2, 1, 'open')).body.officer.username).toBe('canbo2');
    // An admin may act on any counter.
    expect((await act(s.adminToken, 1, 'close')).status).toBe(200);
  });

  it('an officer cancels only what is theirs: the ticket at their counter, or a waiting one their counter serves', async () => {
    const cancel = (token: string, id: string) => s.api('POST', `/tickets/${id}/cancel`, { token, body: {} });
    // canbo1 holds counter 1 (land, civil status); canbo2 holds counter 2 (civil status, certification).
    await act(canbo1, 1, 'open');
    const land = await issue(LAND);
    const civil = await issue(CIVIL);
    const cert = await issue(CERT);

    const notMine = await cancel(canbo1, cert.id);
    expect(notMine.status).toBe(403);
    expect(notMine.body.error).toMatchObject({ code: 'NOT_YOUR_COUNTER', messageVi: expect.stringMatching(/cán bộ đang làm việc tại quầy/) });
    expect((await s.api('GET', `/tickets/${cert.id}`)).body.status).toBe('waiting');
    const mine = await cancel(canbo1, land.id);
    expect(mine.status).toBe(200);
    expect(mine.body.ticket).toMatchObject({ id: land.id, status: 'cancelled' });

    // Being served at counter 2: only counter 2's officer (civil status is counter 1's too, but
    // the citizen is at counter 2's desk).
    await act(canbo2, 2, 'call', { ticketId: civil.id });
    expect((await cancel(canbo1, civil.id)).body.error.code).toBe('NOT_YOUR_COUNTER');
    const served = await cancel(canbo2, civil.id);
    expect(served.body.ticket).toMatchObject({ id: civil.id, status: 'cancelled' });
    const c2 = (await s.api('GET', '/counters', { token: canbo2 })).body.find((c: { id: number }) => c.id === 2);
    expect(c2.currentTicket).toBeUndefined();

    // No counter held: nothing to cancel.
    const canbo3 = await s.login('canbo3');
    expect((await cancel(canbo3, cert.id)).body.error.code).toBe('NOT_YOUR_COUNTER');
    // A paused counter is still the officer's; a closed one is not.
    const land2 = await issue(LAND);
    const land3 = await issue(LAND);
    await act(canbo1, 1, 'pause');
    expect((await cancel(canbo1, land2.id)).status).toBe(200);
    await act(canbo1, 1, 'close');
    expect((await cancel(canbo1, land3.id)).body.error.code).toBe('NOT_YOUR_COUNTER');
    // A ticket that cannot be cancelled says so, whoever asks.
    expect((await cancel(canbo1, land.id)).body.error.code).toBe('INVALID_TRANSITION');
    // An admin anywhere.
    expect((await cancel(s.adminToken, cert.id)).status).toBe(200);
    expect((await cancel(s.adminToken, land3.id)).status).toBe(200);
  });

  it('refuses tickets for a closed service and past the daily limit', async () => {
    s.db.prepare(`UPDATE services SET hours = ? WHERE id = ?`).run(JSON.stringify({ opensAt: '07:30', closesAt: '17:00', days: [1, 2, 3, 4, 5] }), LAND);
    s.db.prepare(`UPDATE services SET daily_limit = ? WHERE id = ?`).run(1, CIVIL);
    clock.set(Date.parse('2026-11-23T17:30:00+07:00'));
    const closed = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: LAND } });
    expect(closed.status).toBe(409);
    expect(closed.body.error).toMatchObject({ code: 'SERVICE_CLOSED', messageVi: expect.stringMatching(/không nhận/) });
    expect((await s.api('GET', '/services')).body.find((x: any) => x.id === LAND).open).toBe(false);
    const limit = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: CIVIL } });
    expect(limit.status).toBe(409);
    expect(limit.body.error.code).toBe('DAILY_LIMIT_REACHED');
  });
});
