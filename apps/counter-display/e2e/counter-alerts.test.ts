import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, openCounter, screenshot } from './browser.js';

/** A kiosk's trouble reaches the officer at the counter, not only the admin dashboard. */
let srv: TestServer;
let browser: Browser;
let page: Page;
beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer({ deviceOfflineAfterMs: 300 }), launchBrowser()]);
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' })).newPage();
  await openCounter(page, srv.url, 'canbo1', 1);
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

describe('device alerts on the counter desk', () => {
  it('shows "printer out of paper" while it lasts, then clears it', async () => {
    expect(await page.$('[data-testid=desk-alerts]')).toBeNull();
    await srv.api('POST', '/alerts', { token: srv.kioskToken, body: { code: 'printer_paper_end', message: 'Kiosk printer is out of paper', messageVi: 'Máy in của máy lấy số đã hết giấy', active: true } });
    await page.waitForSelector('[data-testid=desk-alerts] [data-code=printer_paper_end]');
    expect(await page.textContent('[data-testid=desk-alerts]')).toContain('Máy in của máy lấy số đã hết giấy');
    await screenshot(page, 'counter-alert');
    await srv.api('POST', '/alerts', { token: srv.kioskToken, body: { code: 'printer_paper_end', message: 'ok', messageVi: 'ok', active: false } });
    await page.waitForSelector('[data-testid=desk-alerts]', { state: 'detached' });
  });

  it('shows an alert raised before the page opened (read at connect)', async () => {
    await srv.api('POST', '/alerts', { token: srv.kioskToken, body: { code: 'printer_cover_open', message: 'Cover open', messageVi: 'Nắp máy in đang mở', active: true } });
    await page.reload();
    await page.waitForSelector('[data-testid=desk-alerts] [data-code=printer_cover_open]');
  });
});
