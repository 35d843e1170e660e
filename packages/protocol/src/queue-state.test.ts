import type { Counter, Snapshot, Ticket } from './schemas.js';
import { describe, expect, it } from 'vitest';
import { applyQueueEvent } from './queue-state.js';

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

describe('applyQueueEvent', () => {
  it('puts a called ticket on its counter and a done ticket off it', () => {
    const called = ticket('a', '1001', 'called', { calledAt: '2025-11-23T08:05:00+07:00', counterId: 1 });
    const r1 = applyQueueEvent(snapshot(), { type: 'ticket:called', payload: { seq: 11, ticket: called, counter: ref(1), recall: false } });
    if (!r1.ok) throw new Error('not applied');
    expect(r1.state.counters[0]?.currentTicket?.number).toBe('1001');
    const r2 = applyQueueEvent(r1.state, { type: 'ticket:updated', payload: { seq: 12, ticket: { ...called, status: 'done' } } });
    if (!r2.ok) throw new Error('not applied');
    expect(r2.state.counters[0]?.currentTicket).toBeUndefined();
    expect(r2.state.seq).toBe(12);
  });

  it('takes a transferred ticket off the counter and back into the waiting list', () => {
    const called = ticket('a', '1001', 'called', { counterId: 1 });
    const s = snapshot({ counters: [counter(1, called), counter(2)] });
    const r = applyQueueEvent(s, { type: 'ticket:updated', payload: { seq: 11, ticket: { ...called, status: 'waiting', serviceId: 2 } } });
    if (!r.ok) throw new Error('not applied');
    expect(r.state.counters[0]?.currentTicket).toBeUndefined();
    expect(r.state.waiting.map((t) => t.number)).toEqual(['1001']);
  });

  it('leaves other counters alone and keeps the seq rules of applyQueueEvent', () => {
    const other = ticket('b', '2001', 'called', { counterId: 2 });
    const s = snapshot({ counters: [counter(1), counter(2, other)] });
    const done = ticket('a', '1001', 'done');
    const r = applyQueueEvent(s, { type: 'ticket:updated', payload: { seq: 11, ticket: done } });
    expect(r.ok && r.state.counters[1]?.currentTicket?.number).toBe('2001');
    expect(applyQueueEvent(s, { type: 'ticket:updated', payload: { seq: 13, ticket: done } })).toEqual({ ok: false, reason: 'gap' });
    expect(applyQueueEvent(s, { type: 'ticket:updated', payload: { seq: 10, ticket: done } })).toEqual({ ok: false, reason: 'stale' });
  });
});

describe('applyQueueEvent: admin changes', () => {
  const svc = (id: number, name: string, active = true) => ({ id, code: `s${id}`, name: { vi: name, en: name }, prefix: String(id), open: true, waiting: 0, estimatedWaitMinutes: 0, active });
  it('renames, adds and removes a service, and updates the center line', () => {
    const s = snapshot({ services: [svc(1, 'Đất đai'), svc(2, 'Hộ tịch')] });
    const r1 = applyQueueEvent(s, { type: 'service:updated', payload: { seq: 11, service: svc(1, 'Đất đai - Nhà ở') } });
    if (!r1.ok) throw new Error('not applied');
    expect(r1.state.services.map((x) => x.name.vi)).toEqual(['Đất đai - Nhà ở', 'Hộ tịch']);
    const r2 = applyQueueEvent(r1.state, { type: 'service:updated', payload: { seq: 12, service: svc(3, 'Xây dựng') } });
    if (!r2.ok) throw new Error('not applied');
    expect(r2.state.services.map((x) => x.id)).toEqual([1, 2, 3]);
    const r3 = applyQueueEvent(r2.state, { type: 'service:updated', payload: { seq: 13, service: svc(2, 'Hộ tịch', false) } });
    if (!r3.ok) throw new Error('not applied');
    expect(r3.state.services.map((x) => x.id)).toEqual([1, 3]);
    const r4 = applyQueueEvent(r3.state, { type: 'center:updated', payload: { seq: 14, center: { name: 'UBND', tickerText: 'Xin chào' } } });
    expect(r4.ok && r4.state.center).toEqual({ name: 'UBND', tickerText: 'Xin chào' });
  });
});
