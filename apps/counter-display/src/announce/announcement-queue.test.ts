import { describe, expect, it } from 'vitest';
import { AnnouncementQueue } from './announcement-queue.js';

/** A fake player whose items finish only when the test says so, to observe overlap. */
function controlledPlayer() {
  const log: string[] = [];
  const finishers = new Map<string, () => void>();
  let playing = 0;
  let maxConcurrent = 0;
  const play = (item: string) =>
    new Promise<void>((resolve, reject) => {
      playing++;
      maxConcurrent = Math.max(maxConcurrent, playing);
      log.push(`start ${item}`);
      finishers.set(item, () => {
        playing--;
        log.push(`end ${item}`);
        if (item.startsWith('bad')) reject(new Error(item));
        else resolve();
      });
    });
  const finish = async (item: string) => {
    const f = finishers.get(item);
    if (!f) throw new Error(`${item} is not playing`);
    f();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { log, play, finish, maxConcurrent: () => maxConcurrent };
}

describe('AnnouncementQueue', () => {
  it('plays items in arrival order, each to its end before the next starts', async () => {
    const p = controlledPlayer();
    const q = new AnnouncementQueue(p.play);
    q.enqueue('1001');
    q.enqueue('1002');
    q.enqueue('1003');
    expect(p.log).toEqual(['start 1001']);
    expect(q.pending).toBe(2);
    await p.finish('1001');
    expect(p.log).toEqual(['start 1001', 'end 1001', 'start 1002']);
    q.enqueue('1004'); // arrives mid-way: goes to the back
    await p.finish('1002');
    await p.finish('1003');
    await p.finish('1004');
    expect(p.log.filter((l) => l.startsWith('start'))).toEqual(['start 1001', 'start 1002', 'start 1003', 'start 1004']);
    expect(p.maxConcurrent()).toBe(1);
    await q.idle();
    expect(q.busy).toBe(false);
  });

  it('plays the same item again when it is enqueued again (a recall)', async () => {
    const played: string[] = [];
    const q = new AnnouncementQueue(async (x: string) => {
      played.push(x);
    });
    q.enqueue('1005');
    q.enqueue('1005');
    await q.idle();
    expect(played).toEqual(['1005', '1005']);
  });

  it('skips a failing item and carries on', async () => {
    const p = controlledPlayer();
    const errors: unknown[] = [];
    const q = new AnnouncementQueue(p.play, { onError: (e) => errors.push(e) });
    q.enqueue('bad-1');
    q.enqueue('1002');
    await p.finish('bad-1');
    expect(p.log).toContain('start 1002');
    expect(errors).toHaveLength(1);
    await p.finish('1002');
    await q.idle();
  });

  it('drops the oldest waiting items beyond maxPending, never the one playing', async () => {
    const p = controlledPlayer();
    const dropped: string[] = [];
    const q = new AnnouncementQueue(p.play, { maxPending: 2, onDrop: (x) => dropped.push(x) });
    for (const n of ['1', '2', '3', '4']) q.enqueue(n);
    expect(dropped).toEqual(['2']);
    await p.finish('1');
    await p.finish('3');
    await p.finish('4');
    expect(p.log.filter((l) => l.startsWith('start'))).toEqual(['start 1', 'start 3', 'start 4']);
  });

  it('starts again after going idle', async () => {
    const played: string[] = [];
    const q = new AnnouncementQueue(async (x: string) => {
      played.push(x);
    });
    q.enqueue('a');
    await q.idle();
    q.enqueue('b');
    await q.idle();
    expect(played).toEqual(['a', 'b']);
  });
});
