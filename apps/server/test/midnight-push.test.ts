import type { Snapshot } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * After local midnight every connected screen gets the new day whole, pushed as a queue:snapshot
 * without reconnecting: no event removes yesterday's recent calls, and the day's date changed.
 */
const clock = manualClock(Date.parse('2026-11-23T23:50:00+07:00'));
let s: TestServer;
let tv: QueueClient;
let officer: string;
let disconnects = 0;
beforeAll(async () => {
  s = await startTestServer({ clock });
  officer = await s.login('canbo1');
  await s.api('POST', '/counters/1/open', { token: officer });
  tv = new QueueClient(s.url, s.displayToken);
  await tv.connected();
  tv.socket.on('disconnect', () => disconnects++);
});
afterAll(async () => {
  tv.close();
  await s.close();
});

/** What a TV shows of the queue: how many wait, per service (its snapshot has no list, issue 14). */
const waitingOn = (st: Snapshot) => st.services.reduce((n, x) => n + x.waiting, 0);
const issue = async () => (await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } })).body as { id: string; number: string };
async function fresh(): Promise<Snapshot> {
  const r = await tv.socket.emitWithAck('queue:sync');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data;
}

describe('midnight reaches every connected screen', () => {
  it('the minute timer rolls the day over and pushes the new day to a connected TV', async () => {
    const a = await issue();
    await issue();
    await s.api('POST', '/counters/1/call-next', { token: officer });
    clock.advance(30_000);
    await s.api('POST', '/counters/1/recall', { token: officer });
    const before = await tv.until((st) => st.recentCalls.length === 2 && waitingOn(st) === 1);
    expect(before.businessDay).toBe('2026-11-23');
    expect(before.recentCalls.map((c) => c.ticketId)).toEqual([a.id, a.id]);
    const snapshots = tv.snapshots;
    const socketId = tv.socket.id;

    clock.set(Date.parse('2026-11-24T00:00:20+07:00'));
    s.server.tick();
    const after = await tv.until((st) => st.businessDay === '2026-11-24');
    expect(tv.snapshots).toBe(snapshots + 1);
    expect(after.recentCalls).toEqual([]);
    expect(waitingOn(after)).toBe(0);
    expect(after.counters.find((c) => c.id === 1)?.currentTicket).toBeUndefined();
    expect(after).toEqual(await fresh());
    // Same connection: nothing reconnected.
    expect(tv.socket.id).toBe(socketId);
    expect(disconnects).toBe(0);

    // The next minute, same day: nothing more is pushed.
    clock.advance(60_000);
    s.server.tick();
    await issue(); // an event to wait for: the TV has seen everything sent before it
    await tv.until((st) => waitingOn(st) === 1);
    expect(tv.snapshots).toBe(snapshots + 1);
  });

  it('a request after midnight rolls the day over just as well, and the TV follows its event too', async () => {
    await s.api('POST', '/counters/1/call-next', { token: officer });
    await tv.until((st) => st.recentCalls.length === 1);
    const snapshots = tv.snapshots;

    // Nobody's timer ran: the kiosk's first tap of the day does the rollover.
    clock.set(Date.parse('2026-11-25T07:30:00+07:00'));
    const first = await issue();
    expect(first.number).toBe('1001');
    const st = await tv.until((x) => x.businessDay === '2026-11-25' && waitingOn(x) === 1);
    expect(tv.snapshots).toBe(snapshots + 1);
    expect(st.recentCalls).toEqual([]);
    expect(s.server.ctx.queue.snapshot().waiting.map((t) => t.id)).toEqual([first.id]);
    expect(st).toEqual(await fresh());
    expect(tv.gaps).toBe(0);
  });

  it('a quiet night (nothing open to close, no event at all) still brings the new date', async () => {
    officer = await s.login('canbo1'); // a new working day, a new sign-in
    expect((await s.api('POST', '/counters/1/call-next', { token: officer })).status).toBe(200); // serves the 07:30 ticket
    expect((await s.api('POST', '/counters/1/complete', { token: officer })).status).toBe(200);
    const seq = s.server.ctx.repos.events.lastSeq();
    await tv.until((x) => x.seq === seq && waitingOn(x) === 0);
    const snapshots = tv.snapshots;
    clock.set(Date.parse('2026-11-26T00:01:00+07:00'));
    s.server.tick();
    const st = await tv.until((x) => x.businessDay === '2026-11-26');
    expect(s.server.ctx.repos.events.lastSeq()).toBe(seq);
    expect(tv.snapshots).toBe(snapshots + 1);
    expect(st.recentCalls).toEqual([]);
    expect(st).toEqual(await fresh());
  });
});
