import type { PriorityMode, QueuedTicket } from '../queue-order.js';

/**
 * Seeded random queues for the queue-order property tests: the domain's own
 * (src/queue-order.test.ts) and the server's, which compares the database's calls with the
 * domain's (apps/server/test/queue-order.property.test.ts). One generator, so both draw their
 * cases the same way and a seed named in a failure replays exactly in either.
 *
 * Test code only: not exported from the package's index. The draws happen in a fixed order; a
 * change here changes every seeded case of both tests.
 */

/** A small seeded generator (mulberry32): every failure names its seed and replays exactly. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    shuffle: <T>(xs: readonly T[]): T[] => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j] as T, out[i] as T];
      }
      return out;
    },
  };
}
export type Rng = ReturnType<typeof seededRandom>;

/** Waiting tickets of `services` with unique arrival places, listed in no particular order. */
export function randomQueue(r: Rng, n: number, services: readonly number[]): QueuedTicket[] {
  const seqs = r.shuffle(Array.from({ length: n * 3 }, (_, i) => i + 1)).slice(0, n);
  return seqs.map((queueSeq, i) => ({ ticketId: `t${i}`, serviceId: r.pick(services), priority: r.chance(0.3), queueSeq }));
}

/** Some of `services` (at least one), in a random calling order: what a counter serves. */
export function randomServiceOrder(r: Rng, services: readonly number[]): number[] {
  return r.shuffle(services).slice(0, 1 + r.int(services.length));
}

/** A counter as chooseFromQueue sees it: its services in order, its streak, the cap, its mode. */
export function randomCounter(r: Rng, services: readonly number[], modes: readonly PriorityMode[]) {
  return {
    serviceOrder: randomServiceOrder(r, services),
    priorityStreak: r.int(4),
    maxPriorityInRow: r.int(4),
    priorityMode: r.pick(modes),
  };
}
