import type { Snapshot } from '@luot/protocol';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient, type ClientSocket } from './helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * A screen's state, built from one snapshot and then only events applied with the shared reducer
 * (applyQueueEvent from @luot/protocol), must equal a fresh snapshot after every step of a
 * realistic day: otherwise a resync changes what the TV shows (and reads a recall out again).
 */
const clock = manualClock(Date.parse('2026-11-23T07:00:00+07:00'));
let s: TestServer;
let tv: QueueClient;
let probe: ClientSocket;
// A TV's snapshot has no waiting list (issue 14); a staff screen's does: both are followed.
let desk: QueueClient;
let deskProbe: ClientSocket;
let officer1: string;
let officer2: string;
beforeAll(async () => {
  s = await startTestServer({ clock });
  tv = new QueueClient(s.url, s.displayToken);
  probe = connect(s.url, { auth: { token: s.displayToken }, transports: ['websocket'] }) as ClientSocket;
  const probed = new Promise<void>((resolve) => probe.once('queue:snapshot', () => resolve()));
  desk = new QueueClient(s.url, s.adminToken);
  deskProbe = connect(s.url, { auth: { token: s.adminToken }, transports: ['websocket'] }) as ClientSocket;
  const deskProbed = new Promise<void>((resolve) => deskProbe.once('queue:snapshot', () => resolve()));
  await tv.connected();
  await desk.connected();
  await probed;
  await deskProbed;
  officer1 = await s.login('canbo1');
  officer2 = await s.login('canbo2');
});
afterAll(async () => {
  tv.close();
  probe.close();
  desk.close();
  deskProbe.close();
  await s.close();
});

const LAND = 1;
const CIVIL = 2;
const CERT = 3;
const issue = async (serviceId: number, priority = false) => (await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId, priority } })).body as { id: string; number: string };
const counter = async (token: string, id: number, action: string, body?: unknown) => {
  const r = await s.api('POST', `/counters/${id}/${action}`, { token, ...(body !== undefined ? { body } : {}) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const admin = async (method: string, path: string, body: unknown) => {
  const r = await s.api(method, `/admin${path}`, { token: s.adminToken, body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

/**
 * After a step: the TV and the staff screen have every event, and each one's state deep-equals a
 * fresh queue:sync snapshot of its own kind (the staff one with the waiting list).
 */
async function agrees(step: string): Promise<Snapshot> {
  const seq = s.server.ctx.repos.events.lastSeq();
  for (const [screen, fresher, kind] of [[desk, deskProbe, 'staff'], [tv, probe, 'TV']] as const) {
    const state = await screen.until((st) => st.seq === seq);
    const fresh = await fresher.emitWithAck('queue:sync');
    if (!fresh.ok) throw new Error(JSON.stringify(fresh.error));
    expect(state, `${step} (${kind})`).toEqual(fresh.data);
    expect(screen.gaps, `${step} (${kind})`).toBe(0);
    expect(screen.snapshots, `${step} (${kind})`).toBe(1);
  }
  expect(tv.state!.waiting, step).toEqual([]);
  return tv.state!;
}
const vietnamTime = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().replace('Z', '+07:00');
// Real calls are seconds apart; the clock moves so every step has its own time.
const later = (seconds = 7) => clock.advance(seconds * 1000);

describe('events applied with the shared reducer equal a fresh snapshot after every step', () => {
  it('through a realistic morning: issue, call, recall, complete, no-show, transfer, call back, admin changes', async () => {
    await agrees('connected');
    await counter(officer1, 1, 'open');
    await agrees('counter 1 opens');
    later();
    await counter(officer2, 2, 'open');
    await agrees('counter 2 opens');

    const t: { id: string; number: string }[] = [];
    for (const [svc, prio] of [[LAND, false], [LAND, false], [CIVIL, false], [CIVIL, true], [CERT, false], [LAND, true]] as const) {
      later(3);
      t.push(await issue(svc, prio));
      await agrees(`issue ${t.at(-1)!.number}`);
    }

    later();
    const first = (await counter(officer1, 1, 'call-next')).ticket;
    await agrees('call-next at 1');
    later(20);
    const recallAt = vietnamTime(clock.now());
    await counter(officer1, 1, 'recall', { expectTicketId: first.id });
    const afterRecall = await agrees('recall at 1');
    // The recall is shown with the recall's own time, the same a resync would show; the ticket
    // itself keeps its first call's time (the counter's timer counts from it).
    expect(afterRecall.recentCalls.map((c) => [c.ticketId, c.recall, c.calledAt])).toEqual([
      [first.id, true, recallAt],
      [first.id, false, first.calledAt],
    ]);
    expect(afterRecall.counters.find((c) => c.id === 1)?.currentTicket?.calledAt).toBe(first.calledAt);
    expect(tv.received.at(-1)).toMatchObject({ type: 'ticket:called', payload: { recall: true, calledAt: recallAt } });
    later(90);
    await counter(officer1, 1, 'complete', { expectTicketId: first.id });
    await agrees('complete at 1');

    later();
    const second = (await counter(officer1, 1, 'call-next', { expectTicketId: null })).ticket;
    await agrees('call-next at 1 again');
    later(60);
    await counter(officer1, 1, 'no-show', { expectTicketId: second.id });
    await agrees('no-show at 1');

    later();
    const third = (await counter(officer2, 2, 'call-next')).ticket;
    await agrees('call-next at 2');
    later(30);
    await counter(officer2, 2, 'transfer', { serviceId: CERT, expectTicketId: third.id });
    await agrees('transfer at 2');

    later();
    await counter(officer1, 1, 'call', { ticketId: second.id, expectTicketId: null });
    await agrees('call back the no-show at 1');
    later();
    await counter(officer1, 1, 'call-next', { expectTicketId: second.id });
    await agrees('next at 1 completes the called-back ticket');

    later();
    await admin('PATCH', '/services/1', { name: { vi: 'Đất đai - Nhà ở', en: 'Land and housing' } });
    await agrees('service renamed');
    await admin('PATCH', '/settings', { centerName: 'UBND phường Bến Nghé', tickerText: 'Làm việc đến 17 giờ.' });
    await agrees('center renamed');
    await admin('PATCH', '/counters/1', { name: 'Quầy Một' });
    await agrees('counter renamed (its earlier calls keep the name they were called with)');
    await admin('PATCH', '/counters/2', { serviceIds: [CIVIL] });
    await agrees('counter 2 serves fewer services');

    later();
    await counter(officer2, 2, 'pause');
    await agrees('counter 2 pauses');
    later();
    await counter(officer2, 2, 'open');
    await counter(officer2, 2, 'call-next');
    await agrees('counter 2 resumes and calls');
    later();
    const waiting = (await deskProbe.emitWithAck('queue:sync')) as { ok: true; data: Snapshot };
    await s.api('POST', `/tickets/${waiting.data.waiting[0]!.id}/cancel`, { token: s.adminToken, body: {} });
    await agrees('staff cancel a waiting ticket');
    later();
    await counter(officer1, 1, 'close');
    await agrees('counter 1 closes while serving');
    await admin('PATCH', '/services/3', { active: false });
    await agrees('a service is turned off');
  });

  it("a service's opening hours: screens learn it opened without any press (the minute timer)", async () => {
    clock.set(Date.parse('2026-11-23T07:29:00+07:00'));
    await admin('PATCH', '/services/2', { hours: { opensAt: '07:30', closesAt: '11:30', days: [1, 2, 3, 4, 5] } });
    const before = await agrees('civil status gets hours, still closed');
    expect(before.services.find((x) => x.id === CIVIL)?.open).toBe(false);
    clock.set(Date.parse('2026-11-23T07:30:10+07:00'));
    s.server.tick(); // what the minute timer does
    const after = await agrees('civil status opened at 07:30');
    expect(after.services.find((x) => x.id === CIVIL)?.open).toBe(true);
  });
});
