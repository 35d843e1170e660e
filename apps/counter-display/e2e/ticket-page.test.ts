import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, screenshot, textOf, waitForText } from './browser.js';

/**
 * The citizen's ticket page (/t/<id>) on a small Android-sized screen against the real server:
 * live position, the call with vibration, a server restart, and an unknown id. navigator.vibrate
 * is stubbed by an init script that records the calls: a headless browser cannot buzz.
 */
let srv: TestServer;
let browser: Browser;
let ctx: BrowserContext;
let officer: string;
let port = 0;
let dataDir = '';
const pageErrors: string[] = [];

async function newPhone(): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return page;
}

async function issue(): Promise<{ id: string; number: string }> {
  const r = await srv.api('POST', '/tickets', { token: srv.kioskToken, body: { serviceId: 1 } });
  expect(r.status).toBe(201);
  return r.body;
}

async function counterAction(action: string): Promise<any> {
  const r = await srv.api('POST', `/counters/1/${action}`, { token: officer });
  expect(r.status).toBe(200);
  return r.body;
}

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  port = Number(new URL(srv.url).port);
  dataDir = srv.dataDir;
  ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  await ctx.addInitScript(() => {
    const calls: unknown[] = [];
    (window as any).__vibrations = calls;
    Object.defineProperty(Navigator.prototype, 'vibrate', {
      configurable: true,
      value: (pattern: unknown) => {
        calls.push(pattern);
        return true;
      },
    });
  });
  officer = await srv.login('canbo1');
  await counterAction('open');
});

afterAll(async () => {
  await browser?.close();
  await srv?.close({ keepData: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("the citizen's ticket page", () => {
  it('follows the ticket live, calls it to the counter with a buzz, and survives a server restart', async () => {
    const first = await issue();
    const second = await issue();
    const phone = await newPhone();
    await phone.goto(`${srv.url}/t/${second.id}`);
    await waitForText(phone, '[data-testid=number]', second.number);
    await phone.waitForSelector('[data-testid=headline][data-ahead="1"]');
    expect(await textOf(phone, '[data-testid=headline]')).toContain('Còn 1 người trước quý công dân');
    expect(await textOf(phone, '[data-testid=service]')).toContain('Đất đai');
    expect(await textOf(phone, '[data-testid=now-serving]')).toBe('—');
    // The light entry: no React app root, none of the staff screens.
    expect(await phone.$('#root')).toBeNull();

    // The bell is drawn (an inline SVG), not an emoji a phone without an emoji font shows as a box.
    expect(await phone.isVisible('[data-testid=enable-alerts] svg[data-testid=bell-icon]')).toBe(true);
    expect(await textOf(phone, '[data-testid=enable-alerts]')).not.toMatch(/\p{Extended_Pictographic}/u);
    await phone.tap('[data-testid=enable-alerts]');
    await phone.waitForSelector('[data-testid=enable-alerts]:disabled');

    // The first citizen is called: this phone moves up without a reload.
    await counterAction('call-next');
    await phone.waitForSelector('[data-testid=headline][data-ahead="0"]');
    await waitForText(phone, '[data-testid=now-serving]', first.number);
    expect(await textOf(phone, '[data-testid=headline]')).toContain('Quý công dân là người tiếp theo');
    await screenshot(phone, 'ticket-page-waiting');

    // Now this one: the whole screen says where to go, and the phone buzzes.
    await counterAction('call-next');
    await phone.waitForSelector('.tp-screen[data-tone=called]');
    expect(await textOf(phone, '[data-testid=headline]')).toContain('Mời quý công dân đến quầy số 1');
    expect(await textOf(phone, '[data-testid=headline]')).toContain('Please go to counter 1');
    const buzzes = (await phone.evaluate(() => (window as any).__vibrations)) as unknown[];
    expect(buzzes.some((p) => Array.isArray(p) && p.length > 1)).toBe(true);
    expect(await phone.title()).toContain('Quầy 1');
    await screenshot(phone, 'ticket-page-called');

    // The server goes away and comes back on the same port and data.
    await srv.close({ keepData: true });
    await phone.waitForSelector('[data-testid=connection-banner]:not([hidden])', { timeout: 10_000 });
    expect(await textOf(phone, '[data-testid=connection-banner]')).toContain('Đang kết nối lại…');
    await screenshot(phone, 'ticket-page-reconnecting');
    srv = await startTestServer({ dataDir, port });
    await phone.waitForSelector('[data-testid=connection-banner]', { state: 'hidden', timeout: 15_000 });
    // Live again: the counter finishes with this citizen and the page says so.
    await counterAction('complete');
    await phone.waitForSelector('.tp-screen[data-tone=done]');
    expect(await textOf(phone, '[data-testid=headline]')).toContain('Quý công dân đã được phục vụ tại quầy');
    await screenshot(phone, 'ticket-page-done');
    await phone.close();
  });

  it('says plainly when the ticket is unknown or the link is broken', async () => {
    const phone = await newPhone();
    await phone.goto(`${srv.url}/t/AAAAAAAAAAAAAAAAAAAAAA`);
    await phone.waitForSelector('[data-testid=message]');
    expect(await textOf(phone, '[data-testid=message]')).toContain('Không tìm thấy số thứ tự này');
    expect(await textOf(phone, '[data-testid=message]')).toContain('This ticket was not found');
    await screenshot(phone, 'ticket-page-unknown');

    await phone.goto(`${srv.url}/t/not-a-ticket`);
    await phone.waitForSelector('[data-testid=message]');
    expect(await textOf(phone, '[data-testid=message]')).toContain('Đường dẫn không đúng');
    await phone.close();
    expect(pageErrors).toEqual([]);
  });
});
