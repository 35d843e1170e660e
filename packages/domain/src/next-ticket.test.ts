import { describe, expect, it } from 'vitest';
import { chooseNextTicket, type QueueHead } from './next-ticket.js';

const h = (ticketId: string, serviceId: number, priority: boolean, queueSeq: number): QueueHead => ({ ticketId, serviceId, priority, queueSeq });

describe('chooseNextTicket', () => {
  it('returns null when nothing waits for the counter', () => {
    expect(chooseNextTicket({ serviceOrder: [1], heads: [h('x', 2, false, 1)], priorityStreak: 0, maxPriorityInRow: 2 })).toBeNull();
  });
  it('calls priority first, then the counter service order, then the oldest', () => {
    const heads = [h('n1', 1, false, 1), h('n2', 2, false, 0), h('p2', 2, true, 5)];
    expect(chooseNextTicket({ serviceOrder: [1, 2], heads, priorityStreak: 0, maxPriorityInRow: 2 })?.head.ticketId).toBe('p2');
    // Without priority: service 1 comes first for this counter even though service 2's is older.
    expect(chooseNextTicket({ serviceOrder: [1, 2], heads: heads.slice(0, 2), priorityStreak: 0, maxPriorityInRow: 2 })?.head.ticketId).toBe('n1');
    expect(chooseNextTicket({ serviceOrder: [2, 1], heads: heads.slice(0, 2), priorityStreak: 0, maxPriorityInRow: 2 })?.head.ticketId).toBe('n2');
  });
  it('never starves normal tickets: at most maxPriorityInRow priority calls in a row', () => {
    // Simulate a counter with 5 priority and 3 normal tickets waiting in one service.
    const queue = [
      ...[0, 1, 2, 3, 4].map((i) => h(`p${i}`, 1, true, i)),
      ...[0, 1, 2].map((i) => h(`n${i}`, 1, false, i)),
    ];
    let streak = 0;
    const calls: string[] = [];
    for (;;) {
      const heads = [queue.find((t) => t.priority), queue.find((t) => !t.priority)].filter((x): x is QueueHead => !!x);
      const c = chooseNextTicket({ serviceOrder: [1], heads, priorityStreak: streak, maxPriorityInRow: 2 });
      if (!c) break;
      streak = c.priorityStreak;
      calls.push(c.head.ticketId);
      queue.splice(queue.indexOf(c.head), 1);
    }
    expect(calls).toEqual(['p0', 'p1', 'n0', 'p2', 'p3', 'n1', 'p4', 'n2']);
  });
  it('keeps calling priority tickets when no normal ticket waits', () => {
    const c = chooseNextTicket({ serviceOrder: [1], heads: [h('p', 1, true, 0)], priorityStreak: 2, maxPriorityInRow: 2 });
    expect(c).toEqual({ head: h('p', 1, true, 0), priorityStreak: 0 });
  });
  it('treats maxPriorityInRow 0 as no priority at all while normal tickets wait', () => {
    const c = chooseNextTicket({ serviceOrder: [1], heads: [h('p', 1, true, 0), h('n', 1, false, 9)], priorityStreak: 0, maxPriorityInRow: 0 });
    expect(c?.head.ticketId).toBe('n');
  });
});
