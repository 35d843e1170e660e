import type { DeviceAlert } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from './helpers/queue-client.js';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Citizen ratings from the tablet at the counter and from the phone page, through the real server:
 * the center's scale, once per ticket whoever asks first, the time windows, the one-tap reason
 * after Không hài lòng, the director's staff alert and list, and the dossier code an officer
 * attaches to the ticket.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;
let officer: string;
let officer2: string;
let staff: QueueClient;
const alerts: DeviceAlert[] = [];

beforeAll(async () => {
  s = await startTestServer({ clock });
  officer = await s.login('canbo1');
  officer2 = await s.login('canbo2');
  expect((await s.api('POST', '/counters/1/open', { token: officer })).status).toBe(200);
  staff = new QueueClient(s.url, s.adminToken);
  staff.socket.on('device:alert', (a) => alerts.push(a));
  await staff.connected();
});
afterAll(async () => {
  staff.close();
  await s.close();
});

const ok = async (method: string, path: string, token: string | undefined, body?: unknown) => {
  const r = await s.api(method, path, { token, body });
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
};
/** A citizen served at counter 1 from start to finish; returns the ticket. */
async function served(): Promise<{ id: string; number: string }> {
  const t = await ok('POST', '/tickets', s.kioskToken, { serviceId: 1 });
  await ok('POST', '/counters/1/call', officer, { ticketId: t.id });
  clock.advance(3 * 60_000);
  await ok('POST', '/counters/1/complete', officer);
  return t;
}
const answer = (token: string, ticketId: string, scale: number, level: string) => s.api('POST', '/ratings/answer', { token, body: { ticketId, scale, level } });
const fromPhone = (ticketId: string, scale: number, level: string) => s.api('POST', `/tickets/${ticketId}/rating`, { body: { scale, level } });
const lastAlert = () => alerts.filter((a) => a.code === 'rating_dissatisfied').at(-1);
const until = async (pred: () => boolean, ms = 3000) => {
  for (const end = Date.now() + ms; !pred(); ) {
    if (Date.now() > end) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the rating scale', () => {
  it('is three levels unless the center chooses four or five, changed by an admin and audited', async () => {
    const form = await ok('GET', '/ratings/form', s.displayToken);
    expect(form.scale).toBe(3);
    expect(form.levels.map((l: any) => `${l.level} ${l.vi} ${l.satisfied} ${l.asksReason}`)).toEqual([
      'very_satisfied Rất hài lòng true false',
      'satisfied Hài lòng true false',
      'dissatisfied Không hài lòng false true',
    ]);
    expect(form.reasons.map((r: any) => r.vi)).toEqual(['Thái độ phục vụ', 'Thời gian chờ', 'Hướng dẫn chưa rõ', 'Lý do khác']);

    expect((await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { ratingScale: 6 } })).status).toBe(400);
    expect((await s.api('PATCH', '/admin/settings', { token: s.displayToken, body: { ratingScale: 5 } })).status).toBe(403);
    expect((await ok('PATCH', '/admin/settings', s.adminToken, { ratingScale: 5 })).ratingScale).toBe(5);
    const five = await ok('GET', '/ratings/form', s.displayToken);
    expect(five.levels.map((l: any) => l.vi)).toEqual(['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng', 'Rất không hài lòng']);
    expect(five.levels.filter((l: any) => l.asksReason).map((l: any) => l.level)).toEqual(['dissatisfied', 'very_dissatisfied']);
    const audit = (await ok('GET', '/admin/audit?limit=5', s.adminToken))[0];
    expect(audit).toMatchObject({ action: 'center.update', summary: { vi: 'Sửa cài đặt trung tâm' }, details: [{ label: { vi: 'Thang đánh giá' }, value: { vi: '5 mức' } }] });
    await ok('PATCH', '/admin/settings', s.adminToken, { ratingScale: 3 });
    // The phone and the tablet only; not a kiosk, not anonymous.
    expect((await s.api('GET', '/ratings/form', { token: s.kioskToken })).status).toBe(403);
    expect((await s.api('GET', '/ratings/form')).status).toBe(401);
  });
});

describe('the tablet at the counter', () => {
  it('takes one answer per served ticket, on the scale it showed, within 15 minutes', async () => {
    const waiting = await ok('POST', '/tickets', s.kioskToken, { serviceId: 1 });
    const early = await answer(s.displayToken, waiting.id, 3, 'satisfied');
    expect(early.status).toBe(409);
    expect(early.body.error.messageVi).toBe('Chỉ đánh giá được số đã được phục vụ xong.');
    await ok('POST', '/counters/1/call', officer, { ticketId: waiting.id });
    await ok('POST', '/counters/1/complete', officer);

    expect((await answer(s.displayToken, waiting.id, 3, 'neutral')).status).toBe(400); // not on 3 levels
    expect((await answer(s.kioskToken, waiting.id, 3, 'satisfied')).status).toBe(403);
    const r = await answer(s.displayToken, waiting.id, 3, 'satisfied');
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ ticketId: waiting.id, scale: 3, level: 'satisfied', satisfied: true, asksReason: false, reason: null });
    const again = await answer(s.displayToken, waiting.id, 3, 'dissatisfied');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'INVALID_TRANSITION', messageVi: 'Số này đã được đánh giá. Mỗi số chỉ đánh giá một lần.' });
    // The phone cannot rate it a second time either.
    expect((await fromPhone(waiting.id, 3, 'dissatisfied')).status).toBe(409);
    expect(await ok('GET', `/tickets/${waiting.id}/rating`, undefined)).toMatchObject({ state: 'rated', rating: { level: 'satisfied', satisfied: true } });
    // Stored with its scale, its counter and officer, from the tablet.
    const row = s.db.prepare('SELECT scale, score, source, counter_id, officer_id, device_id FROM ratings WHERE ticket_id = ?').get(waiting.id);
    expect(row).toEqual({ scale: 3, score: 2, source: 'tablet', counter_id: 1, officer_id: s.server.ctx.repos.users.byUsername('canbo1')!.id, device_id: expect.any(Number) });

    const late = await served();
    clock.advance(15 * 60_000 + 1);
    const tooLate = await answer(s.displayToken, late.id, 3, 'very_satisfied');
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.messageVi).toBe('Đã hết thời gian đánh giá cho số này.');
  });

  it('asks a reason after Không hài lòng, alerts the director, and lists it until seen', async () => {
    const t = await served();
    await ok('PUT', `/tickets/${t.id}/dossier-code`, officer, { dossierCode: '000.00.31.H29-241123-0042' });
    const r = await answer(s.displayToken, t.id, 3, 'dissatisfied');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ satisfied: false, asksReason: true, reason: null });
    // Staff sockets get the alert at once: how many are unseen, and the latest.
    await until(() => !!lastAlert()?.active);
    expect(lastAlert()).toMatchObject({ deviceId: 0, active: true });
    // Counters get staff alerts too: the count only, the details are on the director's list.
    expect(lastAlert()!.messageVi).toBe('1 đánh giá không hài lòng chưa xem: xem ở trang Tổng quan của quản trị.');
    expect(lastAlert()!.messageVi).not.toContain(t.number);

    // The reason: one tap, from the tablet that took the answer.
    const other = await ok('POST', '/devices', s.adminToken, { kind: 'display', name: 'Máy đánh giá quầy 2' });
    const fromOther = await s.api('POST', '/ratings/reason', { token: other.token, body: { ticketId: t.id, reason: 'attitude' } });
    expect(fromOther.status).toBe(409);
    expect((await s.api('POST', `/tickets/${t.id}/rating/reason`, { body: { reason: 'attitude' } })).status).toBe(409); // not the phone's answer
    const why = await s.api('POST', '/ratings/reason', { token: s.displayToken, body: { ticketId: t.id, reason: 'waiting_time' } });
    expect(why.status).toBe(200);
    expect(why.body).toMatchObject({ asksReason: false, reason: 'waiting_time' });
    expect((await s.api('POST', '/ratings/reason', { token: s.displayToken, body: { ticketId: t.id, reason: 'other' } })).status).toBe(409);

    // The director's list carries the dossier code, counter, officer and reason.
    const unseen = await ok('GET', '/admin/ratings/unseen', s.adminToken);
    expect(unseen).toHaveLength(1);
    expect(unseen[0]).toMatchObject({
      ticketNumber: t.number,
      service: { vi: 'Đất đai' },
      counter: { number: 1 },
      officer: 'canbo1',
      scale: 3,
      level: 'dissatisfied',
      reason: 'waiting_time',
      dossierCode: '000.00.31.H29-241123-0042',
      source: 'tablet',
      at: expect.stringMatching(/^2026-11-23T09:21:00\.\d{3}\+07:00$/),
    });
    expect((await s.api('GET', '/admin/ratings/unseen', { token: officer })).status).toBe(403);
    expect((await s.api('GET', '/alerts', { token: s.adminToken })).body.map((a: DeviceAlert) => a.code)).toContain('rating_dissatisfied');

    // Seen: off the list, and the alert clears with the last one.
    await ok('POST', `/admin/ratings/${unseen[0].id}/seen`, s.adminToken);
    expect(await ok('GET', '/admin/ratings/unseen', s.adminToken)).toEqual([]);
    await until(() => lastAlert()?.active === false);
    expect((await s.api('GET', '/alerts', { token: s.adminToken })).body.map((a: DeviceAlert) => a.code)).not.toContain('rating_dissatisfied');
    expect((await s.api('POST', `/admin/ratings/${unseen[0].id}/seen`, { token: s.adminToken })).status).toBe(200); // seen twice: no harm
    expect((await s.api('POST', '/admin/ratings/999999/seen', { token: s.adminToken })).status).toBe(404);
  });

  it('asks no reason after a satisfied answer, and takes none after 10 minutes', async () => {
    const happy = await served();
    await ok('POST', '/ratings/answer', s.displayToken, { ticketId: happy.id, scale: 3, level: 'very_satisfied' });
    const none = await s.api('POST', '/ratings/reason', { token: s.displayToken, body: { ticketId: happy.id, reason: 'other' } });
    expect(none.status).toBe(409);
    expect(none.body.error.messageVi).toBe('Chỉ hỏi lý do khi quý công dân không hài lòng.');
    const unhappy = await served();
    await ok('POST', '/ratings/answer', s.displayToken, { ticketId: unhappy.id, scale: 3, level: 'dissatisfied' });
    clock.advance(10 * 60_000 + 1);
    expect((await s.api('POST', '/ratings/reason', { token: s.displayToken, body: { ticketId: unhappy.id, reason: 'other' } })).status).toBe(409);
    for (const r of await ok('GET', '/admin/ratings/unseen', s.adminToken)) await ok('POST', `/admin/ratings/${r.id}/seen`, s.adminToken);
  });

  it('still takes a score 1-4 from a tablet page of before issue 15, stored on the 4-level scale', async () => {
    const t = await served();
    const r = await s.api('POST', '/ratings', { token: s.displayToken, body: { ticketId: t.id, score: 2 } });
    expect(r.status).toBe(201);
    expect(s.db.prepare('SELECT scale, score FROM ratings WHERE ticket_id = ?').get(t.id)).toEqual({ scale: 4, score: 2 });
    expect(await ok('GET', `/tickets/${t.id}/rating`, undefined)).toMatchObject({ state: 'rated', rating: { scale: 4, level: 'neutral', satisfied: false, asksReason: false } });
  });
});

describe('the phone page', () => {
  it('offers the form once the ticket is done, takes one answer within 2 hours, by the ticket id alone', async () => {
    const t = await ok('POST', '/tickets', s.kioskToken, { serviceId: 1 });
    expect(await ok('GET', `/tickets/${t.id}/rating`, undefined)).toEqual({ ticketId: t.id, state: 'not_served' });
    expect((await fromPhone(t.id, 3, 'satisfied')).status).toBe(409);
    await ok('POST', '/counters/1/call', officer, { ticketId: t.id });
    await ok('POST', '/counters/1/complete', officer);
    const done = clock.now();
    const open = await ok('GET', `/tickets/${t.id}/rating`, undefined);
    expect(open).toMatchObject({ state: 'open', form: { scale: 3 } });
    expect(Date.parse(open.closesAt)).toBe(done + 2 * 3600_000);

    await ok('PATCH', '/admin/settings', s.adminToken, { ratingScale: 5 });
    clock.advance(90 * 60_000); // past the tablet's 15 minutes, within the phone's 2 hours
    expect((await fromPhone(t.id, 5, 'very_dissatisfied')).body).toMatchObject({ scale: 5, level: 'very_dissatisfied', satisfied: false, asksReason: true });
    expect((await fromPhone(t.id, 5, 'satisfied')).status).toBe(409);
    expect((await answer(s.displayToken, t.id, 5, 'satisfied')).status).toBe(409);
    // Its reason from the phone; the tablet cannot give it.
    expect((await s.api('POST', '/ratings/reason', { token: s.displayToken, body: { ticketId: t.id, reason: 'other' } })).status).toBe(409);
    expect((await ok('POST', `/tickets/${t.id}/rating/reason`, undefined, { reason: 'unclear_guidance' })).reason).toBe('unclear_guidance');
    expect(s.db.prepare('SELECT scale, score, reason, source, device_id FROM ratings WHERE ticket_id = ?').get(t.id)).toEqual({ scale: 5, score: 1, reason: 'unclear_guidance', source: 'phone', device_id: null });
    await until(() => lastAlert()?.active === true);
    expect(lastAlert()!.messageVi).toMatch(/^\d+ đánh giá không hài lòng chưa xem/);
    await ok('PATCH', '/admin/settings', s.adminToken, { ratingScale: 3 });
  });

  it('closes 2 hours after the service, and knows no ticket it was not given', async () => {
    const t = await served();
    clock.advance(2 * 3600_000 + 1);
    expect(await ok('GET', `/tickets/${t.id}/rating`, undefined)).toEqual({ ticketId: t.id, state: 'closed' });
    expect((await fromPhone(t.id, 3, 'satisfied')).status).toBe(409);
    const unknown = await s.api('GET', `/tickets/${'x'.repeat(22)}/rating`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('TICKET_NOT_FOUND');
    expect((await s.api('GET', '/tickets/short/rating')).status).toBe(400);
    expect((await s.api('POST', `/tickets/${t.id}/rating`, { body: { scale: 3, level: 'satisfied', extra: 1 } })).status).toBe(400);
  });
});

describe('the dossier code', () => {
  it('is attached by the officer serving the ticket (typed or scanned), and carried by exports', async () => {
    const t = await ok('POST', '/tickets', s.kioskToken, { serviceId: 1 });
    const waiting = await s.api('PUT', `/tickets/${t.id}/dossier-code`, { token: officer, body: { dossierCode: 'H29-1' } });
    expect(waiting.status).toBe(403); // nobody served it yet: not this officer's ticket
    await ok('POST', '/counters/1/call', officer, { ticketId: t.id });
    // Normalized: trimmed, capitals, so a scan and a typed code agree.
    expect(await ok('PUT', `/tickets/${t.id}/dossier-code`, officer, { dossierCode: '  h29.22.10-241123-0099 ' })).toEqual({ ticketId: t.id, number: t.number, dossierCode: 'H29.22.10-241123-0099' });
    expect((await s.api('PUT', `/tickets/${t.id}/dossier-code`, { token: officer, body: { dossierCode: 'H29 22' } })).status).toBe(400);
    expect((await s.api('PUT', `/tickets/${t.id}/dossier-code`, { token: officer, body: { dossierCode: '=cmd()' } })).status).toBe(400);
    expect((await s.api('PUT', `/tickets/${t.id}/dossier-code`, { token: officer2, body: { dossierCode: 'X1' } })).status).toBe(403);
    expect((await s.api('PUT', `/tickets/${t.id}/dossier-code`, { token: s.displayToken, body: { dossierCode: 'X1' } })).status).toBe(403);
    expect((await ok('GET', `/tickets/${t.id}/dossier-code`, officer)).dossierCode).toBe('H29.22.10-241123-0099');
    expect((await s.api('GET', `/tickets/${t.id}/dossier-code`, { token: officer2 })).status).toBe(403);
    // Never on a screen: the ticket as events and the public page show it is nowhere.
    expect(JSON.stringify(staff.state)).not.toContain('H29.22.10-241123-0099');
    expect(JSON.stringify(await ok('GET', `/tickets/${t.id}`, undefined))).not.toContain('H29');
    // After the service it can still be attached or corrected that day.
    await ok('POST', '/counters/1/complete', officer);
    await ok('PUT', `/tickets/${t.id}/dossier-code`, officer, { dossierCode: 'H29.22.10-241123-0100' });
    await ok('POST', '/ratings/answer', s.displayToken, { ticketId: t.id, scale: 3, level: 'very_satisfied' });
    const csv = await (await fetch(`${s.url}/api/v1/admin/reports.csv?from=2026-11-23&to=2026-11-23`, { headers: { authorization: `Bearer ${s.adminToken}` } })).text();
    const line = csv.split('\r\n').find((l) => l.includes(`;${t.number};`) && l.includes('Rất hài lòng'));
    expect(line?.split(';')[10]).toBe('H29.22.10-241123-0100');
    // Removed with null.
    expect((await ok('PUT', `/tickets/${t.id}/dossier-code`, officer, { dossierCode: null })).dossierCode).toBeNull();
  });

  it('of an earlier day is for an administrator to change', async () => {
    const t = await served();
    clock.advance(24 * 3600_000);
    // Sessions of the day before have ended: sign in again.
    const r = await s.api('PUT', `/tickets/${t.id}/dossier-code`, { token: await s.login('canbo1'), body: { dossierCode: 'H29-2' } });
    expect(r.status).toBe(409);
    expect((await ok('PUT', `/tickets/${t.id}/dossier-code`, await s.login('admin'), { dossierCode: 'H29-2' })).dossierCode).toBe('H29-2');
  });
});
