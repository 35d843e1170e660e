import type { Counter, Snapshot, Ticket } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { missedCalls, reduceQueue } from './queue-reducer.js';

const ticket = (id: string, number: string, status: Ticket['status'], extra: Partial<Ticket> = {}): Ticket => ({
  id: id.padEnd(16, 'x'),
  number,
  serviceId: 1,
  priority: false,
  status,
  issuedAt: '2025-11-23T08:00:00+07:00',
  ...extra,
});
const counter = (id: number, current?: Ticket): Counter => ({ id, number: id, name: `Quầy ${id}`, serviceIds: [1], state: 'open', ...(current ? { currentTicket: current } : {}) });
const ref = (id: number) => ({ id, number: id, name: `Quầy ${id}` });

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return { seq: 10, businessDay: '2025-11-23', services: [], counters: [counter(1), counter(2)], waiting: [], recentCalls: [], ...over };
}

describe('reduceQueue', () => {
  it('puts a called ticket on its counter and a done ticket off it', () => {
    const called = ticket('a', '1001', 'called', { calledAt: '2025-11-23T08:05:00+07:00', counterId: 1 });
    const r1 = reduceQueue(snapshot(), { type: 'ticket:called', payload: { seq: 11, ticket: called, counter: ref(1), recall: false } });
    if (!r1.ok) throw new Error('not applied');
    expect(r1.state.counters[0]?.currentTicket?.number).toBe('1001');
    const r2 = reduceQueue(r1.state, { type: 'ticket:updated', payload: { seq: 12, ticket: { ...called, status: 'done' } } });
    if (!r2.ok) throw new Error('not applied');
    expect(r2.state.counters[0]?.currentTicket).toBeUndefined();
    expect(r2.state.seq).toBe(12);
  });

  it('takes a transferred ticket off the counter and back into the waiting list', () => {
    const called = ticket('a', '1001', 'called', { counterId: 1 });
    const s = snapshot({ counters: [counter(1, called), counter(2)] });
    const r = reduceQueue(s, { type: 'ticket:updated', payload: { seq: 11, ticket: { ...called, status: 'waiting', serviceId: 2 } } });
    if (!r.ok) throw new Error('not applied');
    expect(r.state.counters[0]?.currentTicket).toBeUndefined();
    expect(r.state.waiting.map((t) => t.number)).toEqual(['1001']);
  });

  it('leaves other counters alone and keeps the seq rules of applyQueueEvent', () => {
    const other = ticket('b', '2001', 'called', { counterId: 2 });
    const s = snapshot({ counters: [counter(1), counter(2, other)] });
    const done = ticket('a', '1001', 'done');
    const r = reduceQueue(s, { type: 'ticket:updated', payload: { seq: 11, ticket: done } });
    expect(r.ok && r.state.counters[1]?.currentTicket?.number).toBe('2001');
    expect(reduceQueue(s, { type: 'ticket:updated', payload: { seq: 13, ticket: done } })).toEqual({ ok: false, reason: 'gap' });
    expect(reduceQueue(s, { type: 'ticket:updated', payload: { seq: 10, ticket: done } })).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('missedCalls', () => {
  const now = Date.parse('2025-11-23T08:10:00+07:00');
  const call = (n: string, at: string, recall = false) => ({ ticketId: n.padEnd(16, 'x'), number: n, serviceId: 1, counter: ref(1), calledAt: at, recall });

  it('returns calls the screen never saw, oldest first, and none on first load', () => {
    const seen = call('1001', '2025-11-23T08:09:00+07:00');
    const a = call('1002', '2025-11-23T08:09:30+07:00');
    const b = call('1003', '2025-11-23T08:09:50+07:00');
    const prev = snapshot({ recentCalls: [seen] });
    const next = snapshot({ recentCalls: [b, a, seen] });
    expect(missedCalls(prev, next, now).map((c) => c.number)).toEqual(['1002', '1003']);
    expect(missedCalls(null, next, now)).toEqual([]);
  });

  it('skips calls older than the window and counts a recall as a call of its own', () => {
    const old = call('1001', '2025-11-23T07:00:00+07:00');
    const first = call('1002', '2025-11-23T08:09:00+07:00');
    const recall = call('1002', '2025-11-23T08:09:40+07:00', true);
    const next = snapshot({ recentCalls: [recall, first, old] });
    expect(missedCalls(snapshot({ recentCalls: [first] }), next, now).map((c) => `${c.number}${c.recall ? 'r' : ''}`)).toEqual(['1002r']);
  });
});
