import { decodeEscPosJob, rasterOf, startFakePrinter, type FakePrinter } from '@luot/ticket-printer/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKioskPrinters } from '../../server/src/printing/kiosk-printers.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, screenshot, textOf } from './browser.js';

/**
 * /admin#printers in Chromium against the real server (built UI, real SQLite) and a fake network
 * printer on loopback: an address the page refuses and says why, a 58 mm printer added and given
 * the kiosk, a test page printed and confirmed (its bytes read back: 384 dots wide), the kiosk's
 * own ticket then printed there, and a printer out of paper shown as such.
 */
let srv: TestServer;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let fake: FakePrinter;
let kiosk: { id: number; name: string };

beforeAll(async () => {
  fake = await startFakePrinter();
  // No LUOT_KIOSK_PRINTER: a kiosk prints only once the admin gives it a printer.
  [srv, browser] = await Promise.all([startTestServer({ print: { printers: parseKioskPrinters(''), timeoutMs: 1500 } }), launchBrowser()]);
  const devices = (await srv.api('GET', '/admin/devices', { token: srv.adminToken })).body as { id: number; kind: string; name: string }[];
  kiosk = devices.find((d) => d.kind === 'kiosk')!;
  ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await srv?.close();
  await fake?.close();
});

async function issueAndPrint(): Promise<{ printed: boolean; code?: string }> {
  const services = (await srv.api('GET', '/services')).body as { id: number; code: string }[];
  const t = await srv.api('POST', '/tickets', { token: srv.kioskToken, body: { serviceId: services.find((s) => s.code === 'land')!.id } });
  expect(t.status).toBe(201);
  return (await srv.api('POST', `/tickets/${t.body.id}/print`, { token: srv.kioskToken, body: {} })).body;
}

describe('/admin printers', () => {
  it('adds a 58 mm printer for the kiosk, refusing a name for an address first', async () => {
    // Before: the kiosk has no printer at all.
    expect(await issueAndPrint()).toMatchObject({ printed: false, code: 'not_configured' });

    await page.goto(`${srv.url}/admin#printers`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=admin][data-tab=printers]');
    await page.waitForSelector('[data-testid=printer-list]');
    expect(await textOf(page, '[data-testid=printer-list] tbody')).toContain('Chưa có máy in nào');

    await page.click('[data-testid=printer-new]');
    await page.waitForSelector('[data-testid=printer-form]');
    await page.fill('input[name=printerName]', 'Máy in sảnh 58');
    await page.fill('input[name=address]', 'mayin-sanh.local');
    await page.selectOption('select[name=widthMm]', '58');
    await page.check(`[data-testid=printer-kiosks] input[name=kiosk-${kiosk.id}]`);
    await page.click('[data-testid=printer-save]');
    await page.waitForSelector('[data-testid=printer-form] [data-testid=error][data-code=INVALID_INPUT]');
    const refusal = await textOf(page, '[data-testid=printer-form] [data-testid=error]');
    expect(refusal).toContain('địa chỉ IP của máy in');
    expect(refusal).toContain('not a name');
    await screenshot(page, 'admin-printers-form');
    expect((await srv.api('GET', '/admin/printers', { token: srv.adminToken })).body).toEqual([]);

    await page.fill('input[name=address]', `${fake.host}:${fake.port}`);
    await page.click('[data-testid=printer-save]');
    await page.waitForSelector('[data-testid=printer-form]', { state: 'detached' });
    await page.waitForSelector('[data-testid^=printer-row-][data-name="Máy in sảnh 58"]');

    const [stored] = (await srv.api('GET', '/admin/printers', { token: srv.adminToken })).body as { id: number; address: string; widthMm: number; mode: string; kioskIds: number[] }[];
    expect(stored).toMatchObject({ address: `tcp://${fake.host}:${fake.port}`, widthMm: 58, mode: 'raster', kioskIds: [kiosk.id] });
    const row = `[data-testid=printer-row-${stored!.id}]`;
    expect(await textOf(page, row)).toContain(`tcp://${fake.host}:${fake.port}`);
    expect(await textOf(page, row)).toContain('58 mm');
    expect(await textOf(page, `[data-testid=printer-kiosks-${stored!.id}]`)).toBe(kiosk.name);
  });

  it('prints a test page on it and shows the printer confirmed it; the kiosk’s ticket then prints there at 384 dots', async () => {
    const [p] = (await srv.api('GET', '/admin/printers', { token: srv.adminToken })).body as { id: number }[];
    await page.click(`[data-testid=printer-test-${p!.id}]`);
    await page.waitForSelector(`[data-testid=printer-test-result-${p!.id}][data-state=printed]`);
    expect(await textOf(page, `[data-testid=printer-test-result-${p!.id}]`)).toContain('Đã in trang thử');
    await screenshot(page, 'admin-printers');
    const [job] = await fake.waitForJobs(1);
    expect(rasterOf(decodeEscPosJob(job!)).width).toBe(384);
    expect(fake.decodeErrors).toEqual([]);

    expect(await issueAndPrint()).toEqual({ printed: true });
    const jobs = await fake.waitForJobs(2);
    expect(rasterOf(decodeEscPosJob(jobs[1]!)).width).toBe(384);

    // The devices tab says where the kiosk prints.
    await page.click('a[data-tab=devices]');
    await page.waitForSelector(`[data-testid=device-printer-${kiosk.id}] a`);
    expect(await textOf(page, `[data-testid=device-printer-${kiosk.id}]`)).toBe('Máy in sảnh 58 · 58 mm');
  });

  it('switches it to text mode, and shows a printer out of paper as not printed, with the reason', async () => {
    const [p] = (await srv.api('GET', '/admin/printers', { token: srv.adminToken })).body as { id: number }[];
    await page.click('a[data-tab=printers]');
    await page.click(`[data-testid=printer-edit-${p!.id}]`);
    await page.selectOption('select[name=mode]', 'text');
    await page.fill('input[name=codePage]', '94');
    await page.click('[data-testid=printer-save]');
    await page.waitForSelector('[data-testid=printer-form]', { state: 'detached' });
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('WPC1258, mã 94'), `[data-testid=printer-row-${p!.id}]`);

    fake.state = 'paper-end';
    await page.click(`[data-testid=printer-test-${p!.id}]`);
    await page.waitForSelector(`[data-testid=printer-test-result-${p!.id}][data-state=failed][data-code=PRINTER_PAPER_END]`);
    expect(await textOf(page, `[data-testid=printer-test-result-${p!.id}]`)).toContain('hết giấy');
    expect(fake.jobs).toHaveLength(2);

    fake.state = 'ready';
    await page.click(`[data-testid=printer-test-${p!.id}]`);
    await page.waitForSelector(`[data-testid=printer-test-result-${p!.id}][data-state=printed]`);
    const jobs = await fake.waitForJobs(3);
    expect(decodeEscPosJob(jobs[2]!)).toContainEqual({ kind: 'codePage', n: 94 });

    // Every change is in the audit log, by the admin.
    const audit = (await srv.api('GET', '/admin/audit', { token: srv.adminToken })).body as { action: string; username: string; detail: Record<string, unknown> }[];
    expect(audit.filter((a) => a.action.startsWith('printer.')).map((a) => [a.action, a.username])).toEqual([
      ['printer.update', 'admin'],
      ['printer.create', 'admin'],
    ]);
    expect(audit.find((a) => a.action === 'printer.update')!.detail).toMatchObject({ mode: 'text', codePage: 94 });
  });
});
