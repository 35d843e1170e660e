import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, tempDataDir, type TestServer } from './helpers/test-server.js';

/**
 * One kiosk tap, one ticket: the Idempotency-Key is stored with the ticket in SQLite, so a retry
 * after a lost answer, even after the server restarted on the same data file, gets the same ticket.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
const dataDir = tempDataDir();
const open: TestServer[] = [];
afterAll(async () => {
  for (const s of open) await s.close({ keepData: true }).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(opts: { kioskRateLimit?: { burst: number; perMinute: number } } = {}) {
  const s = await startTestServer({ clock, dataDir, ...opts });
  open.push(s);
  return s;
}
async function stop(s: TestServer) {
  await s.close({ keepData: true });
  open.splice(open.indexOf(s), 1);
}

function issuer(s: TestServer) {
  return (key: string | undefined, body: unknown = { serviceId: 1 }, token = s.kioskToken) =>
    fetch(`${s.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
}
const ticketCount = (s: TestServer) => (s.db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;

describe('Idempotency-Key on POST /tickets, stored in SQLite', () => {
  it('a retry gets the same ticket as it is now; parallel retries too; the key is written with the ticket', async () => {
    const s = await start();
    const issue = issuer(s);
    const a = await issue('tap-a-0001');
    const b = await issue('tap-b-0001');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.ahead).toBe(1);
    const again = await Promise.all([1, 2, 3, 4, 5].map(() => issue('tap-b-0001')));
    for (const r of again) expect(r).toMatchObject({ status: 201, body: { id: b.body.id, number: b.body.number } });
    expect(ticketCount(s)).toBe(2);

    // Fresh view: once A is called, B's retry shows B first in line, and A's shows it called.
    const officer = await s.login('canbo1');
    await s.api('POST', '/counters/1/open', { token: officer });
    expect((await s.api('POST', '/counters/1/call-next', { token: officer })).body.ticket.id).toBe(a.body.id);
    expect((await issue('tap-b-0001')).body).toMatchObject({ id: b.body.id, status: 'waiting', ahead: 0 });
    expect((await issue('tap-a-0001')).body).toMatchObject({ id: a.body.id, status: 'called', counterId: 1 });

    const rows = s.db.prepare('SELECT business_day, actor, key, ticket_id, request FROM issue_keys ORDER BY key').all();
    expect(rows).toEqual([
      { business_day: '2026-11-23', actor: expect.stringMatching(/^device:\d+$/), key: 'tap-a-0001', ticket_id: a.body.id, request: '1:0' },
      { business_day: '2026-11-23', actor: expect.stringMatching(/^device:\d+$/), key: 'tap-b-0001', ticket_id: b.body.id, request: '1:0' },
    ]);
    await stop(s);
  });

  it('after a restart on the same data file, a retry returns the same ticket and numbering is unchanged', async () => {
    let s = await start();
    let issue = issuer(s);
    const first = await issue('tap-restart-01', { serviceId: 2 });
    expect(first.status).toBe(201);
    const before = ticketCount(s);
    await stop(s);

    s = await start();
    issue = issuer(s);
    const retry = await issue('tap-restart-01', { serviceId: 2 });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: first.body.id, number: first.body.number, status: 'waiting' });
    expect(ticketCount(s)).toBe(before);
    // The next new tap takes the next number: the retry took none.
    const next = await issue('tap-restart-02', { serviceId: 2 });
    expect(Number(next.body.number)).toBe(Number(first.body.number) + 1);
    await stop(s);
  });

  it('the same key with another service or priority is refused with a clear error, and issues nothing', async () => {
    const s = await start();
    const issue = issuer(s);
    const a = await issue('tap-reuse-001', { serviceId: 1 });
    const n = ticketCount(s);
    for (const body of [{ serviceId: 2 }, { serviceId: 1, priority: true }]) {
      const r = await issue('tap-reuse-001', body);
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', messageVi: expect.stringMatching(/\S/), message: expect.stringContaining('Idempotency-Key') });
      expect(r.body.error.issues).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
    }
    expect(ticketCount(s)).toBe(n);
    // priority: false is the same request as no priority at all.
    expect((await issue('tap-reuse-001', { serviceId: 1, priority: false })).body.id).toBe(a.body.id);
    await stop(s);
  });

  it('keys belong to their kiosk: another kiosk with the same key gets its own ticket', async () => {
    const s = await start();
    const issue = issuer(s);
    const other = await s.api('POST', '/devices', { token: s.adminToken, body: { kind: 'kiosk', name: 'Kiosk tầng 2' } });
    const mine = await issue('tap-shared-01');
    const theirs = await issue('tap-shared-01', { serviceId: 1 }, other.body.token);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect((await issue('tap-shared-01', { serviceId: 1 }, other.body.token)).body.id).toBe(theirs.body.id);
    await stop(s);
  });

  it('a retry is not counted by the kiosk rate limit', async () => {
    clock.advance(10 * 60_000); // a full bucket
    const s = await start({ kioskRateLimit: { burst: 2, perMinute: 1 } });
    const issue = issuer(s);
    const a = await issue('tap-limit-001');
    expect((await issue('tap-limit-002')).status).toBe(201);
    for (let i = 0; i < 5; i++) expect(await issue('tap-limit-001')).toMatchObject({ status: 201, body: { id: a.body.id } });
    const refused = await issue('tap-limit-003');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('TOO_MANY_REQUESTS');
    await stop(s);
  });

  it('keys are removed with their business day: after midnight the table holds only the new day', async () => {
    const s = await start();
    const issue = issuer(s);
    clock.set(Date.parse('2026-11-23T23:59:00+07:00'));
    const late = await issue('tap-night-001');
    expect(late.status).toBe(201);
    expect((s.db.prepare(`SELECT count(*) AS n FROM issue_keys WHERE business_day = '2026-11-23'`).get() as { n: number }).n).toBeGreaterThan(0);
    clock.set(Date.parse('2026-11-24T07:30:00+07:00'));
    const today = await issue('tap-night-001');
    expect(today.status).toBe(201);
    expect(today.body.id).not.toBe(late.body.id);
    expect(s.db.prepare('SELECT DISTINCT business_day FROM issue_keys').all()).toEqual([{ business_day: '2026-11-24' }]);
    await stop(s);
  });
});
