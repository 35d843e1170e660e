import type { Snapshot } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

// Issue 11: "Set back across midnight: the business day goes 23 -> 24 -> 23 -> 24, and a ticket
// issued at 23:58 is cancelled as day_ended two minutes later." The server keeps the last
// business day it reached (stored), so a clock set back never takes the day back.
const at = (iso: string) => Date.parse(`${iso}+07:00`);
const clock = manualClock(at('2026-11-23T23:50:00'));
const dataDir = tempDataDir();
let s: TestServer;
let tv: QueueClient;
beforeAll(async () => {
  s = await startTestServer({ clock, dataDir });
  tv = new QueueClient(s.url, s.displayToken);
  await tv.connected();
});
afterAll(async () => {
  tv.close();
  await s.close();
});

const LAND = 1;
const issue = async () => {
  const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: LAND } });
  expect(r.status).toBe(201);
  return r.body as { id: string; number: string };
};
const status = async (id: string) => (await s.api('GET', `/tickets/${id}`)).body.status as string;
const dayOf = (id: string) => (s.db.prepare('SELECT business_day AS d FROM tickets WHERE id = ?').get(id) as { d: string }).d;
const storedDay = () => s.server.ctx.repos.settings.get<string>('businessDay');
/** What a TV shows of the queue: how many wait, per service (its snapshot has no list, issue 14). */
const waitingOn = (st: Snapshot) => st.services.reduce((n, x) => n + x.waiting, 0);
/** The waiting list as staff screens have it. */
const staffWaiting = () => s.server.ctx.queue.snapshot().waiting;
const fresh = async () => {
  const r = await tv.socket.emitWithAck('queue:sync');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data;
};

describe('the business day never goes back', () => {
  it('a clock set back across midnight keeps the later day: no 24 -> 23 -> 24, nothing cancelled twice, numbers go on', async () => {
    const yesterday = await issue();
    expect(yesterday.number).toBe('1001');

    // Midnight passes (a clock running an hour fast, say): the 24th starts as usual.
    clock.set(at('2026-11-24T00:30:00'));
    s.server.tick();
    await tv.until((st) => st.businessDay === '2026-11-24');
    expect(await status(yesterday.id)).toBe('cancelled');
    const b = await issue();
    expect(b.number).toBe('1001');
    expect(dayOf(b.id)).toBe('2026-11-24');

    // Someone corrects the clock: an hour back, to 23:30 on the 23rd.
    clock.jump(-60 * 60_000);
    const snapshots = tv.snapshots;
    const seq = s.server.ctx.repos.events.lastSeq();
    s.server.tick();
    expect(s.server.ctx.repos.events.lastSeq()).toBe(seq);
    expect(storedDay()).toBe('2026-11-24');
    expect((await fresh()).businessDay).toBe('2026-11-24');
    // The 24th's numbers go on, on the 24th: the 23rd's are never handed out again.
    const c = await issue();
    expect(c.number).toBe('1002');
    expect(dayOf(c.id)).toBe('2026-11-24');
    expect(await status(b.id)).toBe('waiting');

    // 23:58 by the clock: issued on the 24th, and still waiting when the clock passes midnight.
    clock.set(at('2026-11-23T23:58:00'));
    const late = await issue();
    expect(late.number).toBe('1003');
    expect(dayOf(late.id)).toBe('2026-11-24');
    clock.set(at('2026-11-24T00:00:30'));
    s.server.tick();
    expect(await status(late.id)).toBe('waiting');
    expect(await status(b.id)).toBe('waiting');
    // Back and forth over midnight once more: still no rollover, no new-day push.
    clock.jump(-2 * 60_000);
    s.server.tick();
    clock.jump(2 * 60_000);
    s.server.tick();
    expect(storedDay()).toBe('2026-11-24');
    expect(tv.snapshots).toBe(snapshots);
    const now = await fresh();
    expect(now.businessDay).toBe('2026-11-24');
    expect(waitingOn(now)).toBe(3);
    expect(staffWaiting().map((t) => t.number)).toEqual(['1001', '1002', '1003']);

    // Officers call the day's tickets as usual, in the order they were issued.
    const officer = await s.login('canbo1');
    await s.api('POST', '/counters/1/open', { token: officer });
    const called = await s.api('POST', '/counters/1/call-next', { token: officer });
    expect(called.body.ticket.id).toBe(b.id);
  });

  it('a restart while the clock is behind keeps the later day', async () => {
    clock.set(at('2026-11-24T09:00:00'));
    const t = await issue();
    tv.close();
    await s.close({ keepData: true });
    clock.jump(-10 * 60 * 60_000); // 23:00 on the 23rd
    s = await startTestServer({ clock, dataDir });
    tv = new QueueClient(s.url, s.displayToken);
    await tv.connected();
    expect(tv.state!.businessDay).toBe('2026-11-24');
    expect(await status(t.id)).toBe('waiting');
    expect((await issue()).number).toBe('1005');
  });

  it('once the clock passes the next midnight, days follow the clock again', async () => {
    const open = staffWaiting().map((t) => t.id);
    expect(open.length).toBeGreaterThan(0);
    clock.set(at('2026-11-25T00:00:10'));
    s.server.tick();
    const after = await tv.until((st) => st.businessDay === '2026-11-25');
    expect(waitingOn(after)).toBe(0);
    expect(staffWaiting()).toEqual([]);
    for (const id of open) {
      const r = (await s.api('GET', `/tickets/${id}`)).body;
      expect(r.status).toBe('cancelled');
    }
    // The waiting ones and the one being served at counter 1.
    expect(s.db.prepare("SELECT COUNT(*) AS n FROM tickets WHERE cancel_reason = 'day_ended' AND business_day = '2026-11-24'").get()).toEqual({ n: open.length + 1 });
    const first = await issue();
    expect(first.number).toBe('1001');
    expect(dayOf(first.id)).toBe('2026-11-25');
  });
});
