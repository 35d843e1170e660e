import type { Call, QueueEvent, Snapshot, Ticket } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { HeardCalls, ServerClock } from './heard-calls.js';
import { newCalls, queueSettings } from './new-calls.js';

const T0 = Date.parse('2026-11-30T08:00:00.000Z');
const iso = (sec: number) => new Date(T0 + sec * 1000).toISOString();

function call(ticket: string, counter: number, sec: number, recall = false): Call {
  return { ticketId: `id-${ticket}`, number: ticket, serviceId: 1, counter: { id: counter, number: counter, name: `Quầy ${counter}` }, calledAt: iso(sec), recall };
}

/** recentCalls as the server lists them: newest first. */
const listed = (...calls: Call[]) => [...calls].reverse();

const names = (calls: readonly Call[]) => calls.map((c) => `${c.number}@${c.counter.number}${c.recall ? 'r' : ''}`);

function snapshot(recentCalls: Call[], center?: Snapshot['center']): Snapshot {
  return { seq: 1, businessDay: '2026-11-30', services: [], counters: [], waiting: [], recentCalls, ...(center ? { center } : {}) };
}

/**
 * A ticket:called event. This server sends the call's own time (`calledAt`) and the ticket's
 * first call time on the ticket; older servers sent no `calledAt` (`older`).
 */
function calledEvent(c: Call, opts: { ticketCalledAt?: string; older?: boolean } = {}): QueueEvent {
  const ticket: Ticket = { id: c.ticketId, number: c.number, serviceId: c.serviceId, priority: false, status: 'called', issuedAt: iso(-600), calledAt: opts.ticketCalledAt ?? c.calledAt, counterId: c.counter.id };
  return { type: 'ticket:called', payload: { seq: 2, ticket, counter: c.counter, recall: c.recall, ...(opts.older ? {} : { calledAt: c.calledAt }) } };
}

describe('HeardCalls', () => {
  it('the first snapshot after the page loads is the past: nothing is announced from it', () => {
    const h = new HeardCalls();
    expect(h.takeSnapshot(listed(call('1001', 1, 0), call('1002', 1, 30)))).toEqual([]);
    expect(h.isPrimed).toBe(true);
    // ...but its calls count as heard: the same snapshot again brings nothing either.
    expect(h.takeSnapshot(listed(call('1001', 1, 0), call('1002', 1, 30)))).toEqual([]);
  });

  it('a replayed snapshot announces only calls made while the TV was not listening, oldest first', () => {
    const h = new HeardCalls();
    h.takeSnapshot([]);
    h.add(call('1001', 1, 0));
    h.add(call('2001', 2, 5));
    const fresh = h.takeSnapshot(listed(call('1001', 1, 0), call('2001', 2, 5), call('1002', 1, 20), call('3001', 3, 21)));
    expect(names(fresh)).toEqual(['1002@1', '3001@3']);
    expect(h.takeSnapshot(listed(call('1001', 1, 0), call('2001', 2, 5), call('1002', 1, 20), call('3001', 3, 21)))).toEqual([]);
  });

  it('a recall is a new call; the same recall listed again is not', () => {
    const h = new HeardCalls();
    h.takeSnapshot([]);
    h.add(call('1001', 1, 0));
    const fresh = h.takeSnapshot(listed(call('1001', 1, 0), call('1001', 1, 40, true)));
    expect(names(fresh)).toEqual(['1001@1r']);
    expect(h.takeSnapshot(listed(call('1001', 1, 0), call('1001', 1, 40, true)))).toEqual([]);
    // A second recall is new again.
    expect(names(h.takeSnapshot(listed(call('1001', 1, 0), call('1001', 1, 40, true), call('1001', 1, 90, true))))).toEqual(['1001@1r']);
  });

  it('a recall heard live with the first call’s time (older servers) is not read again after a resync', () => {
    const h = new HeardCalls();
    h.takeSnapshot([]);
    h.add(call('1001', 1, 0));
    h.add(call('1001', 1, 0, true)); // the live event said 0 s; the server recorded 40 s
    h.add(call('1001', 1, 0, true)); // and a second recall at 70 s, also sent with 0 s
    expect(h.takeSnapshot(listed(call('1001', 1, 0), call('1001', 1, 40, true), call('1001', 1, 70, true)))).toEqual([]);
    // One more recall made while disconnected: only that one.
    const fresh = h.takeSnapshot(listed(call('1001', 1, 0), call('1001', 1, 40, true), call('1001', 1, 70, true), call('1001', 1, 95, true)));
    expect(fresh.map((c) => c.calledAt)).toEqual([iso(95)]);
  });

  it('forgets what fell out of the server’s recent calls without announcing anything', () => {
    const h = new HeardCalls();
    h.takeSnapshot([]);
    for (let i = 0; i < 12; i++) h.add(call(`10${String(i).padStart(2, '0')}`, 1, i));
    const window = listed(...Array.from({ length: 10 }, (_, i) => call(`10${String(i + 2).padStart(2, '0')}`, 1, i + 2)));
    expect(h.takeSnapshot(window)).toEqual([]);
  });
});

describe('ServerClock', () => {
  it('learns the TV-minus-server offset from the quickest live call', () => {
    const c = new ServerClock();
    expect(c.toTv(T0)).toBe(T0); // nothing seen: clocks taken to agree
    c.observe(T0, T0 + 90_000 + 40); // the TV runs 90 s ahead; 40 ms delivery
    c.observe(T0 + 10_000, T0 + 100_000 + 15);
    c.observe(T0 + 20_000, T0 + 110_000 + 900); // a slow one does not count
    expect(c.offsetMs).toBe(90_015);
    expect(c.toTv(T0 + 30_000)).toBe(T0 + 120_015);
  });

  it('ignores a call without a time', () => {
    const c = new ServerClock();
    c.observe(Number.NaN, T0);
    expect(c.offsetMs).toBe(0);
  });
});

describe('newCalls', () => {
  it('a live call is heard now and teaches the clock; other events bring nothing', () => {
    const heard = new HeardCalls();
    const clock = new ServerClock();
    newCalls(snapshot([]), { kind: 'snapshot' }, heard, clock, T0);
    const c = call('1001', 1, 0);
    const tvNow = T0 + 30_000 + 25; // this TV's clock is 30 s ahead
    const got = newCalls(snapshot([c]), { kind: 'event', event: calledEvent(c) }, heard, clock, tvNow);
    expect(got).toEqual([{ call: c, heardAt: tvNow }]);
    expect(clock.offsetMs).toBe(30_025);
    const issued: QueueEvent = { type: 'ticket:issued', payload: { seq: 3, ticket: { id: 'x', number: '1002', serviceId: 1, priority: false, status: 'waiting', issuedAt: iso(1) } } };
    expect(newCalls(snapshot([c]), { kind: 'event', event: issued }, heard, clock, tvNow)).toEqual([]);
  });

  it('a call found in a snapshot is placed on the TV clock by its server time, never in the future', () => {
    const heard = new HeardCalls();
    const clock = new ServerClock();
    newCalls(snapshot([]), { kind: 'snapshot' }, heard, clock, T0);
    const first = call('1001', 1, 0);
    newCalls(snapshot([first]), { kind: 'event', event: calledEvent(first) }, heard, clock, T0 + 60_000); // TV 60 s ahead
    // Reconnect 5 minutes later (TV clock); two calls were made meanwhile, at 280 s and 299 s server time.
    const tvNow = T0 + 60_000 + 300_000;
    const got = newCalls(snapshot(listed(first, call('2001', 2, 280), call('3001', 3, 299))), { kind: 'snapshot' }, heard, clock, tvNow);
    expect(got.map((g) => [g.call.number, tvNow - g.heardAt])).toEqual([
      ['2001', 20_000],
      ['3001', 1_000],
    ]);
    // A server clock ahead of what the TV learnt still gives "now", not a time to come.
    const ahead = call('4001', 4, 400);
    const got2 = newCalls(snapshot(listed(first, call('2001', 2, 280), call('3001', 3, 299), ahead)), { kind: 'snapshot' }, heard, clock, tvNow + 1_000);
    expect(got2).toEqual([{ call: ahead, heardAt: tvNow + 1_000 }]);
  });

  it('a live call already in the log is not announced again by the next snapshot', () => {
    const heard = new HeardCalls();
    const clock = new ServerClock();
    newCalls(snapshot([]), { kind: 'snapshot' }, heard, clock, T0);
    const c = call('1001', 1, 0);
    newCalls(snapshot([c]), { kind: 'event', event: calledEvent(c) }, heard, clock, T0);
    const r = call('1001', 1, 40, true);
    // The recall event carries the first call's time (older servers): still one announcement, once.
    expect(newCalls(snapshot(listed(c, r)), { kind: 'event', event: calledEvent(r, { ticketCalledAt: c.calledAt, older: true }) }, heard, clock, T0 + 40_000)).toHaveLength(1);
    expect(newCalls(snapshot(listed(c, r)), { kind: 'snapshot' }, heard, clock, T0 + 45_000)).toEqual([]);
  });

  it('takes a recall’s own time from the event (this server), the key the snapshot lists it under', () => {
    const heard = new HeardCalls();
    const clock = new ServerClock();
    newCalls(snapshot([]), { kind: 'snapshot' }, heard, clock, T0);
    const c = call('1001', 1, 0);
    const r = call('1001', 1, 40, true);
    newCalls(snapshot([c]), { kind: 'event', event: calledEvent(c) }, heard, clock, T0);
    const got = newCalls(snapshot(listed(c, r)), { kind: 'event', event: calledEvent(r, { ticketCalledAt: c.calledAt }) }, heard, clock, T0 + 40_000);
    expect(got[0]?.call.calledAt).toBe(r.calledAt);
    expect(newCalls(snapshot(listed(c, r)), { kind: 'snapshot' }, heard, clock, T0 + 45_000)).toEqual([]);
    // An older server's recall: the ticket's time is all there is.
    const older = newCalls(snapshot(listed(c, r)), { kind: 'event', event: calledEvent(r, { ticketCalledAt: c.calledAt, older: true }) }, new HeardCalls(), clock, T0 + 40_000);
    expect(older[0]?.call.calledAt).toBe(c.calledAt);
  });
});

describe('queueSettings', () => {
  it('takes the center’s lag and repeat, with 10 s and no repeat when absent', () => {
    expect(queueSettings(undefined)).toEqual({ maxLagMs: 10_000, repeat: false });
    expect(queueSettings({ name: 'x', tickerText: '' })).toEqual({ maxLagMs: 10_000, repeat: false });
    expect(queueSettings({ name: 'x', tickerText: '', announceMaxLagSeconds: 4, announceRepeat: true })).toEqual({ maxLagMs: 4_000, repeat: true });
  });
});
