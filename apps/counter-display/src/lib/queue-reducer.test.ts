import type { Counter, Snapshot } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { missedCalls } from './queue-reducer.js';

const counter = (id: number): Counter => ({ id, number: id, name: `Quầy ${id}`, serviceIds: [1], state: 'open' });
const ref = (id: number) => ({ id, number: id, name: `Quầy ${id}` });

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return { seq: 10, businessDay: '2025-11-23', services: [], counters: [counter(1), counter(2)], waiting: [], recentCalls: [], ...over };
}

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
