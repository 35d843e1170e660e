import type { Snapshot } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

// 23:58 on 23 November in Vietnam is 16:58 UTC.
const clock = manualClock(Date.parse('2026-11-23T23:58:00+07:00'));
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ clock });
});
afterAll(() => s.close());

/** What a TV shows of the queue: how many wait, per service (its snapshot has no list, issue 14). */
const waitingOn = (st: Snapshot) => st.services.reduce((n, x) => n + x.waiting, 0);
const issue = (serviceId: number) => s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId } });

describe('the business day in Asia/Ho_Chi_Minh', () => {
  it('restarts numbering at local midnight and closes the day before\'s queue', async () => {
    const [land] = (await s.api('GET', '/services')).body as { id: number }[];
    const officer = await s.login('canbo1');
    await s.api('POST', '/counters/1/open', { token: officer });

    const a = await issue(land!.id);
    const b = await issue(land!.id);
    const c = await issue(land!.id);
    expect([a.body.number, b.body.number, c.body.number]).toEqual(['1001', '1002', '1003']);
    expect(a.body.issuedAt).toBe('2026-11-23T23:58:00.000+07:00');
    const called = await s.api('POST', '/counters/1/call-next', { token: officer });
    expect(called.body.ticket.id).toBe(a.body.id);

    const tv = new QueueClient(s.url, s.displayToken);
    await tv.connected();
    expect(tv.state!.businessDay).toBe('2026-11-23');

    clock.set(Date.parse('2026-11-23T23:59:59.999+07:00'));
    expect((await issue(land!.id)).body.number).toBe('1004');

    // Midnight in Vietnam (17:00 UTC): a new day, a new sequence.
    clock.set(Date.parse('2026-11-24T00:00:00.000+07:00'));
    const first = await issue(land!.id);
    expect(first.body.number).toBe('1001');
    expect(first.body.id).not.toBe(a.body.id);

    // Yesterday's waiting and called tickets are closed, not deleted, and not callable.
    for (const t of [a, b, c]) {
      const r = await s.api('GET', `/tickets/${t.body.id}`);
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('cancelled');
    }
    const counters = (await s.api('GET', '/counters', { token: officer })).body as { id: number; currentTicket?: unknown }[];
    expect(counters.find((x) => x.id === 1)?.currentTicket).toBeUndefined();
    const next = await s.api('POST', '/counters/1/call-next', { token: officer });
    expect(next.body.ticket.id).toBe(first.body.id);

    // The TV followed the rollover through events alone.
    const snap = await tv.until((st) => st.counters.find((x) => x.id === 1)?.currentTicket?.id === first.body.id);
    expect(waitingOn(snap)).toBe(0);
    tv.close();
    const fresh = new QueueClient(s.url, s.displayToken);
    await fresh.connected();
    expect(fresh.state!.businessDay).toBe('2026-11-24');
    expect(fresh.state!.recentCalls.map((x) => x.number)).toEqual(['1001']);
    fresh.close();
  });

  it('does not roll over at the UTC day change (07:00 in Vietnam)', async () => {
    const [land] = (await s.api('GET', '/services')).body as { id: number }[];
    clock.set(Date.parse('2026-11-24T06:59:00+07:00'));
    const before = await issue(land!.id);
    clock.set(Date.parse('2026-11-24T07:00:01+07:00'));
    const after = await issue(land!.id);
    expect(Number(after.body.number)).toBe(Number(before.body.number) + 1);
    expect((await s.api('GET', `/tickets/${before.body.id}`)).body.status).toBe('waiting');
  });

  it('clears the TV at midnight even if nobody presses anything', async () => {
    const [land] = (await s.api('GET', '/services')).body as { id: number }[];
    clock.set(Date.parse('2026-11-24T22:00:00+07:00'));
    const late = await issue(land!.id);
    const tv = new QueueClient(s.url, s.displayToken);
    await tv.until((st) => st.seq === s.server.ctx.repos.events.lastSeq() && waitingOn(st) > 0);
    clock.set(Date.parse('2026-11-25T00:00:30+07:00'));
    s.server.ctx.queue.rollOverIfNeeded(); // what the minute timer does
    const after = await tv.until((st) => waitingOn(st) === 0);
    expect(after.businessDay).toBe('2026-11-25');
    expect((await s.api('GET', `/tickets/${late.body.id}`)).body.status).toBe('cancelled');
    // A second check in the same day changes nothing and announces nothing.
    const seq = after.seq;
    s.server.ctx.queue.rollOverIfNeeded();
    expect(s.server.ctx.repos.events.lastSeq()).toBe(seq);
    tv.close();
  });
});
