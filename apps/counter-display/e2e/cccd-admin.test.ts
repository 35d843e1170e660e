import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, screenshot } from './browser.js';

/**
 * The admin's switch for the ID-card check-in (tab "Quét CCCD / ID check-in") in Chromium against
 * the real server: the settings are saved, a bad value is refused in words, and an open kiosk
 * follows the switch live (its privacy notice goes and comes back).
 */
let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let kiosk: Page;

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(8000);
  return page;
}
const settings = async () => (await srv.api('GET', '/admin/settings', { token: srv.adminToken })).body;

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  [admin, kiosk] = await Promise.all([newPage({ width: 1280, height: 900 }), newPage({ width: 1080, height: 1920 })]);
  await kiosk.goto(`${srv.url}/kiosk#token=${srv.kioskToken}`);
  await admin.goto(`${srv.url}/admin#check-in`);
  await admin.fill('input[name=username]', 'admin');
  await admin.fill('input[name=password]', ADMIN_PASSWORD);
  await admin.click('button[type=submit]');
  await admin.waitForSelector('[data-testid=check-in-form]');
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await srv?.close();
});

describe('admin: ID-card check-in settings', () => {
  it('shows the demo center’s settings, switches the feature off and on; the kiosk follows live', async () => {
    await kiosk.getByTestId('check-in-notice').waitFor();
    expect(await admin.isChecked('input[name=checkInEnabled]')).toBe(true);
    expect(await admin.inputValue('input[name=priorityAge]')).toBe('60');
    expect(await admin.inputValue('input[name=checkInNameDays]')).toBe('0');
    expect(await admin.inputValue('input[name=returningVisitorDays]')).toBe('30');
    await screenshot(admin, 'admin-check-in');

    await admin.uncheck('input[name=checkInEnabled]');
    await admin.click('[data-testid=check-in-save]');
    await admin.waitForSelector('[data-testid=saved]');
    expect((await settings()).checkInEnabled).toBe(false);
    await kiosk.getByTestId('check-in-notice').waitFor({ state: 'detached' });

    await admin.check('input[name=checkInEnabled]');
    await admin.fill('input[name=priorityAge]', '65');
    await admin.fill('input[name=returningVisitorDays]', '45');
    await admin.click('[data-testid=check-in-save]');
    await admin.waitForSelector('[data-testid=saved]');
    expect(await settings()).toMatchObject({ checkInEnabled: true, priorityAge: 65, checkInNameDays: 0, returningVisitorDays: 45 });
    // The kiosk's notice states the new period, and its priority button the new age.
    await kiosk.waitForFunction(() => document.querySelector('[data-testid=check-in-notice]')?.textContent?.includes('45 ngày'));
    await kiosk.waitForFunction(() => document.querySelector('.priority-who .bi-main')?.textContent?.startsWith('Người từ 65 tuổi'));
    // The audit log names the settings, in the director's words.
    const audit = JSON.stringify((await srv.api('GET', '/admin/audit', { token: srv.adminToken })).body);
    expect(audit).toContain('Quét CCCD khi lấy số');
  });

  it('refuses an age outside 50–100 in words, and saves nothing', async () => {
    await admin.fill('input[name=priorityAge]', '30');
    await admin.click('[data-testid=check-in-save]');
    await admin.waitForSelector('[data-testid=error]');
    expect(await admin.textContent('[data-testid=error]')).toContain('priorityAge');
    expect((await settings()).priorityAge).toBe(65);
  });

  it('the center form leaves the check-in settings alone', async () => {
    await admin.click('a[data-tab=center]');
    await admin.waitForSelector('[data-testid=center-form]');
    await admin.fill('input[name=centerName]', 'UBND phường Thử');
    await admin.click('[data-testid=center-form] button[type=submit]');
    await admin.waitForSelector('[data-testid=saved]');
    expect(await settings()).toMatchObject({ centerName: 'UBND phường Thử', checkInEnabled: true, priorityAge: 65, returningVisitorDays: 45 });
  });
});
