import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparable, QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;
let kiosk: QueueClient;
beforeAll(async () => {
  s = await startTestServer({ clock });
  kiosk = new QueueClient(s.url, s.kioskToken);
  await kiosk.connected();
});
afterAll(async () => {
  kiosk.close();
  await s.close();
});

const admin = (method: string, path: string, body?: unknown) => s.api(method, `/admin${path}`, { token: s.adminToken, body });
// The kiosk is a public screen: its state carries the services' counts, not the waiting list.
const serverState = () => ({ ...comparable(s.server.ctx.queue.snapshot()), waiting: [] });
const settle = async () => {
  const seq = s.server.ctx.repos.events.lastSeq();
  return kiosk.until((st) => st.seq === seq);
};

describe('center configuration, live on every screen', () => {
  it('renames a service and changes the TV news line: screens follow through events', async () => {
    const r = await admin('PATCH', '/services/1', { name: { vi: 'Đất đai - Nhà ở', en: 'Land and housing' }, targetWaitMinutes: 20 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 1, name: { vi: 'Đất đai - Nhà ở' }, targetWaitMinutes: 20 });
    const t = await admin('PATCH', '/settings', { tickerText: 'Hôm nay làm việc đến 17 giờ.', centerName: 'UBND phường Bến Nghé' });
    expect(t.body.tickerText).toBe('Hôm nay làm việc đến 17 giờ.');
    const st = await settle();
    expect(st.services.find((x) => x.id === 1)).toMatchObject({ name: { vi: 'Đất đai - Nhà ở', en: 'Land and housing' }, targetWaitMinutes: 20 });
    expect(st.center).toMatchObject({ name: 'UBND phường Bến Nghé', tickerText: 'Hôm nay làm việc đến 17 giờ.', timeZone: 'Asia/Ho_Chi_Minh' });
    expect(kiosk.gaps).toBe(0);
    expect(comparable(st)).toEqual(serverState());
    expect((await s.api('GET', '/services')).body[0].name.vi).toBe('Đất đai - Nhà ở');
  });

  it('adds a service with its own prefix and hours, then turns it off', async () => {
    const created = await admin('POST', '/services', {
      code: 'construction',
      name: { vi: 'Xây dựng', en: 'Construction permits' },
      prefix: 'X',
      numberWidth: 3,
      hours: { opensAt: '07:30', closesAt: '11:30', days: [1, 2, 3, 4, 5] },
      dailyLimit: 40,
      defaultServiceMinutes: 15,
      targetWaitMinutes: 30,
      sortOrder: 5,
      active: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const ticket = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: id } });
    expect(ticket.body.number).toBe('X001');
    expect((await admin('POST', '/services', { ...created.body, id: undefined, code: 'construction' })).status).toBe(400);

    await admin('PATCH', `/services/${id}`, { active: false });
    const st = await settle();
    expect(st.services.some((x) => x.id === id)).toBe(false);
    expect((await s.api('GET', '/services')).body.some((x: any) => x.id === id)).toBe(false);
    expect((await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: id } })).body.error.code).toBe('SERVICE_NOT_FOUND');
    expect((await admin('GET', '/services')).body.find((x: any) => x.id === id).active).toBe(false);
  });

  it('refuses a service whose numbers could be another active service\'s (the TV would call two citizens), and changes nothing', async () => {
    const before = (await admin('GET', '/services')).body.length;
    // The demo's land service prints 1001, 1002…: "10" with 2 digits would print 1001 too.
    const clash = await admin('POST', '/services', {
      code: 'land-2',
      name: { vi: 'Đất đai 2', en: 'Land 2' },
      prefix: '10',
      numberWidth: 2,
      hours: null,
      dailyLimit: null,
      defaultServiceMinutes: 5,
      targetWaitMinutes: 30,
      sortOrder: 9,
      active: true,
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'NUMBERS_CLASH', messageVi: expect.stringContaining('trùng số'), message: expect.stringContaining('1001') });
    expect((await admin('GET', '/services')).body).toHaveLength(before);
    // Changing an existing service's prefix into another's numbers is refused the same way.
    const certification = (await admin('GET', '/services')).body.find((x: any) => x.code === 'certification');
    const renumbered = await admin('PATCH', `/services/${certification.id}`, { prefix: '1' });
    expect(renumbered.body.error.code).toBe('NUMBERS_CLASH');
    expect((await admin('GET', '/services')).body.find((x: any) => x.id === certification.id).prefix).toBe(certification.prefix);
    // A rule changed during the day must not print a number still in the queue today: the
    // certification service (3001…) becomes "30" with 2 digits while 3001 waits.
    const waiting = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: certification.id } });
    expect(waiting.status).toBe(201);
    const midDay = await admin('PATCH', `/services/${certification.id}`, { prefix: '30', numberWidth: 2 });
    expect(midDay.body.error).toMatchObject({ code: 'NUMBERS_CLASH', message: expect.stringContaining(waiting.body.number) });
    // Other changes to that service go through while its tickets wait.
    expect((await admin('PATCH', `/services/${certification.id}`, { targetWaitMinutes: 25 })).status).toBe(200);
    // Numbers of another length never meet: "10" with 3 digits (10001…) is fine.
    const fine = await admin('POST', '/services', { code: 'land-3', name: { vi: 'Đất đai 3', en: 'Land 3' }, prefix: '10', numberWidth: 3, hours: null, dailyLimit: null, defaultServiceMinutes: 5, targetWaitMinutes: 30, sortOrder: 9, active: false });
    expect(fine.status).toBe(201);
  });

  it('creates and reorders counters; retiring one closes it', async () => {
    const c = await admin('POST', '/counters', { number: 5, name: 'Quầy 5', serviceIds: [3, 1], active: true });
    expect(c.status).toBe(201);
    expect((await admin('POST', '/counters', { number: 5, name: 'again', serviceIds: [], active: true })).status).toBe(400);
    const officer = await s.login('canbo3');
    await s.api('POST', `/counters/${c.body.id}/open`, { token: officer });
    const moved = await admin('PATCH', `/counters/${c.body.id}`, { serviceIds: [1, 3] });
    expect(moved.body.serviceIds).toEqual([1, 3]);
    const retired = await admin('PATCH', `/counters/${c.body.id}`, { active: false });
    expect(retired.body.active).toBe(false);
    const st = await settle();
    expect(st.counters.find((x) => x.id === c.body.id)).toMatchObject({ state: 'closed', active: false, serviceIds: [1, 3] });
    expect(comparable(st)).toEqual(serverState());
  });
});

describe('users and devices', () => {
  it('changes a password and disables an officer; never demotes the last admin', async () => {
    const u = (await admin('GET', '/users')).body.find((x: any) => x.username === 'canbo4');
    const token = await s.login('canbo4');
    expect((await admin('PATCH', `/users/${u.id}`, { password: 'moi-mat-khau' })).status).toBe(200);
    expect((await s.api('POST', '/auth/login', { body: { username: 'canbo4', password: 'demo' } })).status).toBe(401);
    expect((await s.api('POST', '/auth/login', { body: { username: 'canbo4', password: 'moi-mat-khau' } })).status).toBe(200);
    await admin('PATCH', `/users/${u.id}`, { disabled: true });
    expect((await s.api('GET', '/counters', { token })).status).toBe(401);

    const me = (await admin('GET', '/users')).body.find((x: any) => x.username === 'admin');
    const r = await admin('PATCH', `/users/${me.id}`, { role: 'officer' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/last admin/);
  });

  it('lists devices with when they were last seen', async () => {
    const devices = (await admin('GET', '/devices')).body;
    const k = devices.find((d: any) => d.kind === 'kiosk');
    expect(k.lastSeenAt).toMatch(/^2026-11-23T09:00:00\.000\+07:00$/);
    expect(k.revoked).toBe(false);
  });

  it('audits every change with who and what, never a password', async () => {
    const audit = (await admin('GET', '/audit?limit=50')).body as { username: string; action: string; detail: unknown }[];
    const actions = audit.map((a) => a.action);
    for (const a of ['service.update', 'center.update', 'service.create', 'counter.create', 'counter.update', 'user.update']) expect(actions).toContain(a);
    expect(audit.every((a) => a.username === 'admin')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('moi-mat-khau');
  });
});

describe('satisfaction rating', () => {
  it('takes one tap per served ticket, tied to the counter and officer, and reports it', async () => {
    const officer = await s.login('canbo1');
    await s.api('POST', '/counters/1/open', { token: officer });
    const t = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } });
    const early = await s.api('POST', '/ratings', { token: s.displayToken, body: { ticketId: t.body.id, score: 4 } });
    expect(early.status).toBe(409);
    await s.api('POST', '/counters/1/call', { token: officer, body: { ticketId: t.body.id } });
    clock.advance(5 * 60_000);
    await s.api('POST', '/counters/1/complete', { token: officer });
    expect((await s.api('POST', '/ratings', { token: s.displayToken, body: { ticketId: t.body.id, score: 9 } })).status).toBe(400);
    expect((await s.api('POST', '/ratings', { token: s.kioskToken, body: { ticketId: t.body.id, score: 4 } })).status).toBe(403);
    const ok = await s.api('POST', '/ratings', { token: s.displayToken, body: { ticketId: t.body.id, score: 4 } });
    expect(ok.status).toBe(201);
    expect((await s.api('POST', '/ratings', { token: s.displayToken, body: { ticketId: t.body.id, score: 1 } })).status).toBe(409);
    const report = (await admin('GET', '/reports?from=2026-11-23&to=2026-11-23')).body;
    expect(report.satisfaction.counts['4']).toBe(1);
    expect(report.byOfficer.find((o: any) => o.username === 'canbo1').ratings).toEqual({ count: 1, average: 4 });
  });

  it('refuses a rating long after the service', async () => {
    const officer = await s.login('canbo1');
    const t = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } });
    await s.api('POST', '/counters/1/call', { token: officer, body: { ticketId: t.body.id } });
    await s.api('POST', '/counters/1/complete', { token: officer });
    clock.advance(16 * 60_000);
    expect((await s.api('POST', '/ratings', { token: s.displayToken, body: { ticketId: t.body.id, score: 3 } })).status).toBe(409);
  });
});
