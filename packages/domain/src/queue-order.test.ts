import { describe, expect, it } from 'vitest';
import { chooseFromQueue, chooseNextTicket } from './next-ticket.js';
import { aheadCounts, byArrival, isAhead, queueHeads, type PriorityMode } from './queue-order.js';
import { randomCounter, randomQueue, seededRandom } from './testing/random-queue.js';

const MODES: PriorityMode[] = ['normal', 'first', 'only'];
const SERVICES = [1, 2, 3, 4];

const RUNS = 3000;

describe('the queue order (property tests, seeded)', () => {
  it('a call never overtakes within a queue, keeps the counter\'s service order, and follows the priority mode', () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const r = seededRandom(seed);
      const waiting = randomQueue(r, r.int(25), SERVICES);
      const counter = randomCounter(r, SERVICES, MODES);
      const choice = chooseFromQueue(waiting, counter);
      const mine = waiting.filter((t) => counter.serviceOrder.includes(t.serviceId));
      const anyPriority = mine.some((t) => t.priority);
      const ctx = `seed ${seed}`;
      // Only the counter's services; nothing only when nothing it may call waits.
      if (counter.priorityMode === 'only') expect(choice === null, ctx).toBe(!anyPriority);
      else expect(choice === null, ctx).toBe(mine.length === 0);
      if (!choice) continue;
      const c = choice.head;
      expect(counter.serviceOrder, ctx).toContain(c.serviceId);
      // The modes.
      if (counter.priorityMode === 'only') expect(c.priority, ctx).toBe(true);
      if (counter.priorityMode === 'first') expect(c.priority, ctx).toBe(anyPriority);
      if (counter.priorityMode !== 'normal') expect(choice.priorityStreak, ctx).toBe(0);
      if (counter.priorityMode === 'normal') {
        const anyNormal = mine.some((t) => !t.priority);
        const priorityAllowed = !anyNormal || counter.priorityStreak < counter.maxPriorityInRow;
        expect(c.priority, ctx).toBe(anyPriority && priorityAllowed);
        expect(choice.priorityStreak, ctx).toBe(c.priority && anyNormal ? counter.priorityStreak + 1 : 0);
      }
      // Within the chosen class: the counter's first service that has one, then the first to arrive.
      const sameClass = mine.filter((t) => t.priority === c.priority);
      const firstService = counter.serviceOrder.find((id) => sameClass.some((t) => t.serviceId === id));
      expect(c.serviceId, ctx).toBe(firstService);
      const earliest = sameClass.filter((t) => t.serviceId === c.serviceId).sort(byArrival)[0];
      expect(c.ticketId, ctx).toBe(earliest?.ticketId);
    }
  });

  it('the heads alone decide as the whole queue does (what lets the database hand in only the heads)', () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const r = seededRandom(seed);
      const waiting = randomQueue(r, r.int(30), SERVICES);
      const counter = randomCounter(r, SERVICES, MODES);
      const heads = queueHeads(waiting);
      expect(heads.length).toBeLessThanOrEqual(SERVICES.length * 2);
      for (const h of heads) {
        // A head has nobody of its own service and class before it.
        expect(waiting.some((t) => t.serviceId === h.serviceId && t.priority === h.priority && t.queueSeq < h.queueSeq), `seed ${seed}`).toBe(false);
      }
      expect(chooseNextTicket({ ...counter, heads }), `seed ${seed}`).toEqual(chooseFromQueue(waiting, counter));
    }
  });

  it('ahead counts: priority first, then arrival, per service; 0..n-1 in each service', () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const r = seededRandom(seed);
      const waiting = randomQueue(r, r.int(30), SERVICES);
      const ahead = aheadCounts(waiting);
      for (const t of waiting) {
        const expected = waiting.filter((o) => o.serviceId === t.serviceId && (o.priority !== t.priority ? o.priority : o.queueSeq < t.queueSeq)).length;
        expect(ahead.get(t.ticketId), `seed ${seed} ${t.ticketId}`).toBe(expected);
        expect(waiting.filter((o) => isAhead(o, t)).length).toBe(expected);
      }
      for (const sid of SERVICES) {
        const counts = waiting.filter((t) => t.serviceId === sid).map((t) => ahead.get(t.ticketId));
        expect([...counts].sort((a, b) => a! - b!)).toEqual(counts.map((_, i) => i));
      }
    }
  });

  it('draining queues: the streak cap holds at a normal counter, a priority counter calls every priority ticket first, and a one-service counter without a cap calls in ahead order', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const r = seededRandom(seed);
      let waiting = randomQueue(r, 5 + r.int(30), SERVICES);
      const counter = randomCounter(r, SERVICES, MODES);
      const ctx = `seed ${seed} ${JSON.stringify(counter)}`;
      const single = counter.serviceOrder.length === 1 && counter.priorityMode !== 'only';
      const bigCap = { ...counter, maxPriorityInRow: 1000, priorityStreak: 0 };
      const aheadAtStart = aheadCounts(waiting.filter((t) => counter.serviceOrder.includes(t.serviceId)));
      let streak = counter.priorityStreak;
      let priorityInRow = 0;
      let calls = 0;
      let nextSeq = 1000;
      for (;;) {
        // Now and then someone arrives while the counter works.
        if (r.chance(0.2) && !single) waiting = [...waiting, { ticketId: `n${nextSeq}`, serviceId: r.pick(SERVICES), priority: r.chance(0.4), queueSeq: nextSeq++ }];
        const mine = waiting.filter((t) => counter.serviceOrder.includes(t.serviceId));
        const normalWaits = mine.some((t) => !t.priority);
        const c = chooseFromQueue(waiting, single ? { ...bigCap } : { ...counter, priorityStreak: streak });
        if (!c) break;
        if (single) expect(aheadAtStart.get(c.head.ticketId), ctx).toBe(calls);
        if (counter.priorityMode === 'normal' && !single) {
          priorityInRow = c.head.priority && normalWaits ? priorityInRow + 1 : 0;
          expect(priorityInRow, ctx).toBeLessThanOrEqual(Math.max(counter.maxPriorityInRow, counter.priorityStreak));
          if (counter.maxPriorityInRow === 0 && normalWaits) expect(c.head.priority, ctx).toBe(false);
        }
        if (counter.priorityMode !== 'normal' && mine.some((t) => t.priority)) expect(c.head.priority, ctx).toBe(true);
        streak = c.priorityStreak;
        waiting = waiting.filter((t) => t.ticketId !== c.head.ticketId);
        calls++;
      }
      // Whatever is left is what the counter may not call.
      const left = waiting.filter((t) => counter.serviceOrder.includes(t.serviceId));
      if (counter.priorityMode === 'only') expect(left.every((t) => !t.priority), ctx).toBe(true);
      else expect(left, ctx).toEqual([]);
    }
  });
});
