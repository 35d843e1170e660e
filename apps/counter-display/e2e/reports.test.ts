import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, screenshot, textOf, waitForText } from './browser.js';

/**
 * The director's reports and audit log in Chromium against the real server, over a small history
 * written into SQLite (as scripts/seed-history does) with figures computed by hand:
 *
 * Services: land (target 20 min), civil status (no target), certification (target 15 min).
 *  2026-10-15  L1 land  P  08:00 issued, called 08:10 c1, done 08:30   wait 10; 3 levels: Rất hài lòng
 *  2026-11-20  L2 land     08:00 issued, called 08:30 c1, done 08:40   wait 30; 3 levels: Không hài lòng (thời gian chờ)
 *              L3 land->civil 09:00 issued, called c2 09:20, done 09:30 wait 20 (transferred); 5 levels: Hài lòng
 *              C1 civil    09:05 issued, cancelled
 *              K1 cert  P  10:00 issued, called c2 10:15, done 10:20  wait 15; 5 levels: Bình thường
 *
 * Quarter 4/2026: 5 issued, 2 priority, 4 served, 1 cancelled. Waits 10 30 20 15: within target
 * (land 20: 10 yes, 30 no; cert 15: 15 yes; civil excluded) 2 of 3 = 66,7 %. Answers 4, satisfied
 * 2 (Rất hài lòng, Hài lòng): 50 %. Land: 3 tickets, 1 transferred out; civil: 1 + 1 in.
 */
let srv: TestServer;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];
const t = (local: string) => Date.parse(`${local}+07:00`);

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  for (const [sid, targetWaitMinutes] of [
    [1, 20],
    [2, null],
    [3, 15],
  ] as const) {
    expect((await srv.api('PATCH', `/admin/services/${sid}`, { token: srv.adminToken, body: { targetWaitMinutes } })).status).toBe(200);
  }
  const users = srv.server.ctx.repos.users;
  const c1 = users.byUsername('canbo1')!.id;
  const c2 = users.byUsername('canbo2')!.id;
  const ins = srv.db.prepare(
    `INSERT INTO tickets (id, business_day, service_id, issue_service_id, seq, number, priority, status, issued_at, queued_at, called_at, completed_at, cancelled_at, cancel_reason, counter_id, officer_id, dossier_code)
     VALUES (@id, @day, @svc, @issueSvc, @seq, @number, @priority, @status, @issued, @issued, @called, @done, @cancelled, @reason, @counter, @officer, @dossier)`,
  );
  const rate = srv.db.prepare("INSERT INTO ratings (ticket_id, counter_id, officer_id, scale, score, reason, source, at, seen_at) VALUES (?, ?, ?, ?, ?, ?, 'tablet', ?, ?)");
  const row = { priority: 0, called: null, done: null, cancelled: null, reason: null, counter: null, officer: null, dossier: null };
  ins.run({ ...row, id: 'L'.repeat(21) + '1', day: '2026-10-15', svc: 1, issueSvc: 1, seq: 1, number: '1001', priority: 1, status: 'done', issued: t('2026-10-15T08:00'), called: t('2026-10-15T08:10'), done: t('2026-10-15T08:30'), counter: 1, officer: c1, dossier: 'H29.22.10-261015-0001' });
  ins.run({ ...row, id: 'L'.repeat(21) + '2', day: '2026-11-20', svc: 1, issueSvc: 1, seq: 1, number: '1001', status: 'done', issued: t('2026-11-20T08:00'), called: t('2026-11-20T08:30'), done: t('2026-11-20T08:40'), counter: 1, officer: c1 });
  ins.run({ ...row, id: 'L'.repeat(21) + '3', day: '2026-11-20', svc: 2, issueSvc: 1, seq: 2, number: '1002', status: 'done', issued: t('2026-11-20T09:00'), called: t('2026-11-20T09:20'), done: t('2026-11-20T09:30'), counter: 2, officer: c2 });
  ins.run({ ...row, id: 'C'.repeat(21) + '1', day: '2026-11-20', svc: 2, issueSvc: 2, seq: 1, number: '2001', status: 'cancelled', issued: t('2026-11-20T09:05'), cancelled: t('2026-11-20T09:06'), reason: 'not_printed' });
  ins.run({ ...row, id: 'K'.repeat(21) + '1', day: '2026-11-20', svc: 3, issueSvc: 3, seq: 1, number: '3001', priority: 1, status: 'done', issued: t('2026-11-20T10:00'), called: t('2026-11-20T10:15'), done: t('2026-11-20T10:20'), counter: 2, officer: c2 });
  rate.run('L'.repeat(21) + '1', 1, c1, 3, 3, null, t('2026-10-15T08:31'), t('2026-10-15T08:31'));
  rate.run('L'.repeat(21) + '2', 1, c1, 3, 1, 'waiting_time', t('2026-11-20T08:41'), t('2026-11-20T08:50'));
  rate.run('L'.repeat(21) + '3', 2, c2, 5, 4, null, t('2026-11-20T09:31'), null);
  rate.run('K'.repeat(21) + '1', 2, c2, 5, 3, null, t('2026-11-20T10:21'), null);

  ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.setDefaultTimeout(10_000);
  await page.goto(`${srv.url}/admin#reports`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=reports]');
});

afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await srv?.close();
});

const stat = (id: string) => textOf(page, `[data-testid=report-totals] [data-stat=${id}] .value`);
const cell = (table: string, row: string, col: string) => textOf(page, `[data-testid=${table}] tr[data-row="${row}"] [data-col=${col}]`);

describe('reports in the admin pages', () => {
  it('reports a quarter: within-target share, priority, % hài lòng, and the trend per month', async () => {
    await page.fill('input[name=anchor]', '2026-11-20');
    await page.click('button[data-kind=quarter]');
    await page.waitForSelector('[data-testid=reports][data-from="2026-10-01"][data-to="2026-12-31"][data-loading=false]');
    expect(await textOf(page, '[data-testid=report-period]')).toBe('Quý 4/2026');
    expect(await stat('issued')).toBe('5');
    expect(await stat('priority')).toBe('2');
    expect(await stat('served')).toBe('4');
    expect(await stat('cancelled')).toBe('1');
    expect(await stat('withinTarget')).toBe('66,7 %');
    expect(await stat('satisfied')).toBe('50 %');
    expect(await textOf(page, '[data-testid=within-target-excluded] .vi')).toContain('không tính Hộ tịch');
    await page.waitForSelector('canvas[data-testid=chart-trend]');
    expect(await textOf(page, '.reports h2:has(+ .chart-box canvas[data-testid=chart-trend]) .vi')).toBe('Xu hướng theo tháng');
    await screenshot(page, 'admin-reports-quarter');
  });

  it('balances each service with its transfers, and shows within-target per service', async () => {
    expect(await cell('report-by-service', 'land', 'issued')).toBe('3');
    expect(await cell('report-by-service', 'land', 'priority')).toBe('1');
    expect(await cell('report-by-service', 'land', 'transferredOut')).toBe('1');
    expect(await cell('report-by-service', 'land', 'served')).toBe('2');
    expect(await cell('report-by-service', 'civil-status', 'transferredIn')).toBe('1');
    expect(await cell('report-by-service', 'civil-status', 'withinTarget')).toBe('chưa đặt / none');
    expect(await cell('report-by-service', 'land', 'withinTarget')).toBe('50 %');
    expect(await cell('report-by-service', 'certification', 'withinTarget')).toBe('100 %');
    expect(await cell('report-by-service', 'land', 'waitAvg')).toBe('20');
    expect(await page.getAttribute('[data-testid=balance]', 'data-balanced')).toBe('true');
    expect(await cell('report-by-officer', 'canbo2', 'satisfied')).toBe('50 %');
    await page.$eval('[data-testid=report-by-service]', (e) => {
      // Below the sticky tab bar.
      e.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -90);
    });
    await screenshot(page, 'admin-reports-services');
  });

  it('draws the trend per day inside a month', async () => {
    await page.click('button[data-kind=month]');
    await page.waitForSelector('[data-testid=reports][data-from="2026-11-01"][data-to="2026-11-30"][data-loading=false]');
    expect(await textOf(page, '[data-testid=report-period]')).toBe('Tháng 11/2026');
    await waitForText(page, '[data-testid=report-totals] [data-stat=issued] .value', '4');
    expect(await textOf(page, '.reports h2:has(+ .chart-box canvas[data-testid=chart-trend]) .vi')).toBe('Xu hướng theo ngày');
  });

  it('reads the audit log as sentences, changes apart from sign-ins', async () => {
    // A few more changes of a director's day, for the log to read.
    const admin = (method: string, path: string, body: unknown) => srv.api(method, path, { token: srv.adminToken, body });
    await admin('PATCH', '/admin/settings', { ratingScale: 5, announceRepeat: true });
    await admin('PATCH', '/admin/counters/2', { serviceIds: [3, 2] });
    await admin('POST', '/devices', { kind: 'display', name: 'Máy đánh giá quầy 2' });
    await admin('PATCH', `/admin/users/${srv.server.ctx.repos.users.byUsername('canbo3')!.id}`, { password: 'mat-khau-moi' });
    await admin('PATCH', '/admin/services/2', { active: false });
    await page.goto(`${srv.url}/admin#audit`);
    await page.waitForSelector('[data-testid=audit][data-kind=changes] tr[data-action="service.update"]');
    const summaries = await page.$$eval('[data-testid=audit-summary] .vi', (els) => els.map((e) => e.textContent));
    expect(summaries).toContain('Sửa lĩnh vực «Đất đai»');
    expect(summaries).toContain('Tắt lĩnh vực «Hộ tịch»');
    expect(summaries).toContain('Đặt lại mật khẩu của canbo3');
    expect(summaries).toContain('Sửa quầy 2');
    expect(await page.$$eval('tr[data-action="center.update"] [data-testid=audit-detail]', (els) => els.map((e) => e.textContent))).toEqual(['Đọc mỗi lời gọi hai lầnCó', 'Thang đánh giá5 mức']);
    expect(JSON.stringify(summaries)).not.toContain('mat-khau-moi');
    expect(await page.$('tr[data-action^="auth."]')).toBeNull();
    await screenshot(page, 'admin-audit-log');
    await page.click('[data-testid=audit] button[data-kind=sign-ins]');
    await page.waitForSelector('[data-testid=audit][data-kind=sign-ins] tr[data-action="auth.sign-in"]');
    expect(await textOf(page, 'tr[data-action="auth.sign-in"] [data-testid=audit-summary] .vi')).toBe('admin đăng nhập');
    expect(await page.$('tr[data-action="service.update"]')).toBeNull();
    expect(errors).toEqual([]);
  });
});
