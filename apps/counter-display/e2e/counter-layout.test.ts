import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { centerContext, clickAction, launchBrowser, openCounter, screenshot, textOf } from './browser.js';

/**
 * The counter desk on a 1280x800 counter PC: the recent no-shows and every action button are on
 * screen without scrolling, also with three device alerts; each line reads Vietnamese then
 * English (the waiting list's service too); Recall and calling a no-show back have different
 * words; a refused sign-in reads as a sentence, its code apart.
 */
let srv: TestServer;
let browser: Browser;
let page: Page;
const services: Record<string, number> = {};

const issue = async (code: string) => (await srv.api('POST', '/tickets', { token: srv.kioskToken, body: { serviceId: services[code] } })).body as { id: string; number: string };

/** The element's box lies wholly inside the window (nothing to scroll to). */
async function onScreen(selector: string): Promise<boolean> {
  return page.$eval(selector, (e) => {
    const r = e.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
  });
}

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  for (const s of (await srv.api('GET', '/services')).body as { id: number; code: string }[]) services[s.code] = s.id;
  page = await (await centerContext(browser, { width: 1280, height: 800 })).newPage();
  page.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

describe('the counter desk at 1280x800', () => {
  it('a wrong password: the Vietnamese sentence, the English one, the code only on its own muted line', async () => {
    await page.goto(`${srv.url}/counter`);
    await page.fill('input[name=username]', 'canbo1');
    await page.fill('input[name=password]', 'wrong');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=error][data-code=INVALID_CREDENTIALS]');
    const vi = await textOf(page, '[data-testid=error] strong');
    const en = await textOf(page, '[data-testid=error] .en');
    expect(vi.length).toBeGreaterThan(0);
    expect(en.length).toBeGreaterThan(0);
    expect(vi).not.toContain('INVALID_CREDENTIALS');
    expect(en).not.toContain('INVALID_CREDENTIALS');
    expect(await textOf(page, '[data-testid=error-code]')).toBe('Mã lỗi / Error code: INVALID_CREDENTIALS');
  });

  it('no-shows and actions on screen; the waiting list names the service in both languages; distinct words', async () => {
    await openCounter(page, srv.url, 'canbo1', 1);
    const absent = await issue('land');
    await issue('land');
    await page.waitForSelector(`[data-testid=waiting-list] li[data-number="${absent.number}"]`);
    expect(await textOf(page, `[data-testid=waiting-list] li[data-number="${absent.number}"] .svc .vi`)).toBe('Đất đai');
    expect(await textOf(page, `[data-testid=waiting-list] li[data-number="${absent.number}"] .svc .en`)).toBe('Land records');

    await clickAction(page, 'call-next');
    await page.waitForSelector(`[data-testid=current-number]:text("${absent.number}")`);
    expect(await textOf(page, 'button[data-action=recall] .vi')).toBe('Gọi nhắc lại');
    expect(await textOf(page, 'button[data-action=recall] .en')).toBe('Recall');
    await clickAction(page, 'no-show');
    const callBack = `[data-testid=no-shows] li[data-number="${absent.number}"] button`;
    await page.waitForSelector(callBack);
    expect(await textOf(page, `${callBack} .vi`)).toBe('Gọi vào');
    expect(await textOf(page, `${callBack} .en`)).toBe('Call back');
    expect(await onScreen(callBack), 'the call-back button is above the fold').toBe(true);
    for (const a of await page.$$eval('button[data-action]', (bs) => bs.map((b) => b.getAttribute('data-action')!))) expect(await onScreen(`button[data-action=${a}]`), a).toBe(true);
    await screenshot(page, 'counter-1280-noshow');
  });

  it('three device alerts: a compact list; every action button and the no-shows stay on screen', async () => {
    for (const [code, vi, en] of [
      ['printer_paper_end', 'Máy in của máy lấy số đã hết giấy', 'Kiosk printer is out of paper'],
      ['printer_cover_open', 'Nắp máy in đang mở', 'Printer cover open'],
      ['printer_offline', 'Máy in không phản hồi', 'Printer not answering'],
    ]) {
      await srv.api('POST', '/alerts', { token: srv.kioskToken, body: { code, message: en, messageVi: vi, active: true } });
    }
    await page.waitForSelector('[data-testid=desk-alerts][data-count="3"]');
    for (const a of await page.$$eval('button[data-action]', (bs) => bs.map((b) => b.getAttribute('data-action')!))) expect(await onScreen(`button[data-action=${a}]`), a).toBe(true);
    expect(await onScreen('[data-testid=no-shows] li button'), 'the call-back button is above the fold').toBe(true);
    // Every alert can still be read: the list scrolls (and takes the keyboard's focus to do so).
    expect(await page.$$eval('[data-testid=desk-alerts] [data-testid=alert]', (els) => els.length)).toBe(3);
    expect(await page.getAttribute('[data-testid=desk-alerts]', 'tabindex')).toBe('0');
    await screenshot(page, 'counter-1280-alerts');
  });
});
