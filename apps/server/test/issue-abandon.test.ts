import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * A tap the kiosk gave up on (docs/adr/0002-print-confirmation.md, "A tap the kiosk gave up on"):
 * POST /tickets/abandon with the tap's Idempotency-Key. A real server on a real SQLite file, a
 * real socket.io client for the screens' view; the database is the judge of what exists.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
const dataDir = tempDataDir();
const open: TestServer[] = [];
const sockets: QueueClient[] = [];
afterAll(async () => {
  for (const c of sockets) c.close();
  for (const s of open) await s.close({ keepData: true }).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start() {
  const s = await startTestServer({ clock, dataDir });
  open.push(s);
  return s;
}
async function stop(s: TestServer) {
  await s.close({ keepData: true });
  open.splice(open.indexOf(s), 1);
}
/** A counter's live view (a staff screen: it keeps the waiting list, which a public TV's snapshot omits). */
function screen(s: TestServer, token: string) {
  const c = new QueueClient(s.url, token);
  sockets.push(c);
  return c;
}

function issue(s: TestServer, key: string, serviceId = 1, token = s.kioskToken) {
  return fetch(`${s.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: JSON.stringify({ serviceId }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
}
const abandon = (s: TestServer, key: string, token = s.kioskToken) => s.api('POST', '/tickets/abandon', { token, body: { idempotencyKey: key } });
const row = (s: TestServer, id: string) => s.db.prepare('SELECT number, status, cancel_reason FROM tickets WHERE id = ?').get(id) as { number: string; status: string; cancel_reason: string | null };
const ticketCount = (s: TestServer) => (s.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
const lastEvent = (s: TestServer) => s.db.prepare('SELECT type, action, ticket_id, device_id FROM ticket_events ORDER BY seq DESC LIMIT 1').get() as Record<string, unknown>;

describe('POST /tickets/abandon: a tap the kiosk gave up on leaves no ghost', () => {
  it('issued, answer lost, then abandoned: the waiting ticket is cancelled (not_printed), every screen is told, and asking again answers the same', async () => {
    const s = await start();
    const tv = screen(s, await s.login('canbo1'));
    await tv.connected();
    const before = ticketCount(s);
    const issued = await issue(s, 'ghost-tap-0001');
    expect(issued.status).toBe(201);
    const id = issued.body.id as string;
    await tv.until((st) => st.waiting.some((t) => t.id === id));

    const first = await abandon(s, 'ghost-tap-0001');
    expect(first).toMatchObject({ status: 200, body: { outcome: 'cancelled', ticket: { id, number: issued.body.number, status: 'cancelled' } } });
    expect(row(s, id)).toEqual({ number: issued.body.number, status: 'cancelled', cancel_reason: 'not_printed' });
    // The screens learn it from a ticket:updated event and drop it from the queue.
    await tv.until((st) => !st.waiting.some((t) => t.id === id) && st.services.find((x) => x.id === 1)?.waiting === 0);
    expect(tv.received.filter((e) => e.type === 'ticket:updated').map((e) => (e.payload as { ticket: { id: string; status: string } }).ticket)).toEqual([
      expect.objectContaining({ id, status: 'cancelled' }),
    ]);
    // The event log says who and why, as for print-failed.
    expect(lastEvent(s)).toMatchObject({ type: 'ticket:updated', action: 'abandon', ticket_id: id, device_id: expect.any(Number) });

    const seqBefore = tv.state!.seq;
    const second = await abandon(s, 'ghost-tap-0001');
    expect(second).toEqual(first);
    // Nothing more happened: no second event.
    expect((s.db.prepare('SELECT max(seq) AS m FROM ticket_events').get() as { m: number }).m).toBe(seqBefore);
    // A late retry of the tap names the cancelled ticket; no new number.
    const late = await issue(s, 'ghost-tap-0001');
    expect(late.body).toMatchObject({ id, status: 'cancelled' });
    expect(ticketCount(s)).toBe(before + 1);
    await stop(s);
  });

  it('abandoned before the request arrived: the late request is refused (ISSUE_ABANDONED), takes no number, also after a restart', async () => {
    let s = await start();
    const before = ticketCount(s);
    const a = await abandon(s, 'lost-tap-0002');
    expect(a).toEqual({ status: 200, body: { outcome: 'not_issued' } });
    expect(await abandon(s, 'lost-tap-0002')).toEqual(a);

    const late = await issue(s, 'lost-tap-0002', 2);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'ISSUE_ABANDONED', message: expect.stringMatching(/gave up/), messageVi: expect.stringMatching(/hủy yêu cầu/) });
    expect(ticketCount(s)).toBe(before);

    // The tombstone is in SQLite: a restart between the abandon and the late request changes nothing.
    await stop(s);
    s = await start();
    const afterRestart = await issue(s, 'lost-tap-0002', 2);
    expect(afterRestart.status).toBe(409);
    expect(afterRestart.body.error.code).toBe('ISSUE_ABANDONED');
    expect(ticketCount(s)).toBe(before);
    // No number was consumed: the next tap of that service gets the next number in line.
    const lastNumber = (s.db.prepare('SELECT max(seq) AS m FROM tickets WHERE service_id = 2').get() as { m: number | null }).m ?? 0;
    const next = await issue(s, 'next-tap-0003', 2);
    expect(next.status).toBe(201);
    expect((s.db.prepare('SELECT seq FROM tickets WHERE id = ?').get(next.body.id) as { seq: number }).seq).toBe(lastNumber + 1);
    // Another kiosk's key of the same text is its own: not abandoned.
    const other = await s.api('POST', '/devices', { token: s.adminToken, body: { kind: 'kiosk', name: 'Kiosk 2' } });
    expect((await issue(s, 'lost-tap-0002', 2, other.body.token)).status).toBe(201);
    await stop(s);
  });

  it('already called: the ticket is left alone and the answer says so; another kiosk cannot abandon it', async () => {
    const s = await start();
    const issued = await issue(s, 'called-tap-0004', 3);
    const id = issued.body.id as string;
    const officer = await s.login('canbo3');
    // Counter 3 serves the service of this ticket in the demo center.
    const counters = (await s.api('GET', '/counters', { token: officer })).body as { id: number; serviceIds: number[] }[];
    const counter = counters.find((c) => c.serviceIds.includes(3))!;
    expect((await s.api('POST', `/counters/${counter.id}/open`, { token: officer })).status).toBe(200);
    const called = await s.api('POST', `/counters/${counter.id}/call`, { token: officer, body: { ticketId: id } });
    expect(called.body.ticket).toMatchObject({ id, status: 'called' });

    const other = await s.api('POST', '/devices', { token: s.adminToken, body: { kind: 'kiosk', name: 'Kiosk 3' } });
    expect(await abandon(s, 'called-tap-0004', other.body.token)).toEqual({ status: 200, body: { outcome: 'not_issued' } });

    const r = await abandon(s, 'called-tap-0004');
    expect(r).toMatchObject({ status: 200, body: { outcome: 'called', ticket: { id, status: 'called' } } });
    expect(row(s, id)).toMatchObject({ status: 'called', cancel_reason: null });
    expect(await abandon(s, 'called-tap-0004')).toEqual(r);
    await stop(s);
  });

  it('a waiting ticket of another kiosk with the same key is not touched; bad input and other roles are refused', async () => {
    const s = await start();
    const issued = await issue(s, 'shared-key-0005');
    const other = await s.api('POST', '/devices', { token: s.adminToken, body: { kind: 'kiosk', name: 'Kiosk 4' } });
    await abandon(s, 'shared-key-0005', other.body.token);
    expect(row(s, issued.body.id).status).toBe('waiting');
    expect((await abandon(s, 'bad key!')).body.error.code).toBe('INVALID_INPUT');
    expect((await s.api('POST', '/tickets/abandon', { token: s.adminToken, body: { idempotencyKey: 'shared-key-0005' } })).status).toBe(403);
    expect(row(s, issued.body.id).status).toBe('waiting');
    await stop(s);
  });

  it('abandoned keys live for their business day: the rollover deletes them with the issue keys', async () => {
    const s = await start();
    await abandon(s, 'day-key-0006');
    expect((await issue(s, 'day-key-0006')).status).toBe(409);
    clock.set(Date.parse('2026-11-24T08:00:00+07:00'));
    // The first action of the new day rolls it over; the same key is a new tap of a new day.
    expect((await issue(s, 'day-key-0006')).status).toBe(201);
    expect(s.db.prepare('SELECT DISTINCT business_day FROM abandoned_issue_keys').all()).toEqual([]);
    await stop(s);
  });
});
