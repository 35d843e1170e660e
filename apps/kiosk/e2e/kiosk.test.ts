import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lastTicket, launchChromium, openKiosk, startHarness, type Harness } from './harness.js';

let browser: Browser;
let h: Harness;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const service = (page: Page, code: string) => page.locator(`[data-service="${code}"]`);
const mainText = (page: Page, sel: string) => page.locator(`${sel} .bi-main`).first();

async function waitingCount(page: Page, code: string): Promise<number> {
  const text = await service(page, code).locator('[data-testid="waiting"] .bi-main').textContent();
  return Number(/\d+/.exec(text ?? '')?.[0]);
}

describe('kiosk in the Electron shell (local printer)', () => {
  it('one tap: a ticket on the server, its bytes on the printer, its number on screen within 2 s', async () => {
    const { page } = await openKiosk(browser, h, { mode: 'electron' });
    await expect.poll(() => service(page, 'land').isVisible()).toBe(true);
    const before = await waitingCount(page, 'land');

    const started = Date.now();
    // Three taps in the same frame (a trembling finger, two fingers): still one ticket.
    await service(page, 'land').evaluate((el) => {
      for (let i = 0; i < 3; i++) el.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, cancelable: true }));
    });
    const number = page.getByTestId('ticket-number');
    await number.waitFor();
    expect(Date.now() - started).toBeLessThan(2000);

    const t = lastTicket(h)!;
    expect(await number.textContent()).toBe(t.number);
    expect(t.status).toBe('waiting');
    expect(await page.getByTestId('ticket-screen').getAttribute('data-kind')).toBe('printed');
    expect(await mainText(page, '[data-testid="ticket-ahead"]').textContent()).toBe(before === 0 ? 'Không có ai đang chờ trước quý công dân' : `${before} người đang chờ trước quý công dân`);
    expect(await page.locator('svg.qr').getAttribute('data-qr')).toBe(`${h.url}/t/${t.id}`);

    const jobs = await h.printer.waitForJobs(1);
    expect(jobs[0]!.length).toBeGreaterThan(1000);
    expect(h.printer.decodeErrors).toEqual([]);
    const count = h.ts.db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number };
    expect(count.n).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.printer.jobs).toHaveLength(1);
  });

  it('priority: the marked button gives a priority ticket', async () => {
    const { page } = await openKiosk(browser, h, { mode: 'electron' });
    await page.getByTestId('priority').dispatchEvent('pointerdown');
    await expect.poll(() => mainText(page, '.instruction').textContent()).toBe('Số ưu tiên: chạm vào lĩnh vực cần giải quyết');
    await service(page, 'civil-status').dispatchEvent('pointerdown');
    await page.getByTestId('ticket-number').waitFor();
    expect(lastTicket(h)!.priority).toBe(1);
    expect(await page.locator('.ticket-priority .bi-main').textContent()).toBe('Ưu tiên');
  });

  it('printer out of paper: says so plainly, nothing printed, the ticket cancelled, staff alerted', async () => {
    h.printer.state = 'paper-end';
    const { page } = await openKiosk(browser, h, { mode: 'electron' });
    await service(page, 'land').dispatchEvent('pointerdown');
    await page.getByTestId('ticket-failed').waitFor();
    expect(await page.getByTestId('printer-problem').getAttribute('data-code')).toBe('paper_end');
    expect(await mainText(page, '[data-testid="printer-problem"]').textContent()).toBe('Máy in hết giấy');
    expect(await page.getByTestId('ticket-number').count()).toBe(0);
    expect(lastTicket(h)).toMatchObject({ status: 'cancelled', cancel_reason: 'not_printed' });
    expect(h.printer.jobs).toHaveLength(0);
    await expect
      .poll(async () => (await h.ts.api('GET', '/alerts', { token: h.ts.adminToken })).body)
      .toEqual([expect.objectContaining({ code: 'printer_paper_end', active: true, messageVi: expect.stringContaining('hết giấy') })]);

    // Paper back: the next tap prints, and the alert is cleared for the staff.
    h.printer.state = 'ready';
    await page.getByTestId('done').dispatchEvent('pointerdown');
    await page.getByTestId('printer-banner').waitFor();
    await page.waitForTimeout(750); // the ghost-tap guard after returning home
    await service(page, 'land').dispatchEvent('pointerdown');
    await page.getByTestId('ticket-number').waitFor();
    await expect.poll(async () => (await h.ts.api('GET', '/alerts', { token: h.ts.adminToken })).body).toEqual([]);
  });

  it('live counts: a ticket issued elsewhere shows up on the button', async () => {
    const { page } = await openKiosk(browser, h, { mode: 'electron' });
    await service(page, 'certification').waitFor();
    const before = await waitingCount(page, 'certification');
    const services = (await h.ts.api('GET', '/services')).body as { id: number; code: string }[];
    const cert = services.find((s) => s.code === 'certification')!;
    await h.ts.api('POST', '/tickets', { token: h.ts.adminToken, body: { serviceId: cert.id } });
    await expect.poll(() => waitingCount(page, 'certification')).toBe(before + 1);
  });

  it('server down: "Đang kết nối…", then back by itself, and taking a number works again', async () => {
    const { page } = await openKiosk(browser, h, { mode: 'electron' });
    await service(page, 'land').waitFor();
    await h.stopServer();
    await page.getByTestId('connecting').waitFor({ timeout: 10_000 });
    expect(await mainText(page, '[data-testid="connecting"] h1').textContent()).toBe('Đang kết nối…');
    await h.restartServer();
    await service(page, 'land').waitFor({ timeout: 10_000 });
    await service(page, 'land').dispatchEvent('pointerdown');
    await page.getByTestId('ticket-number').waitFor();
    expect(await page.getByTestId('ticket-number').textContent()).toBe(lastTicket(h)!.number);
  });

  it('English toggle, then idle return to Vietnamese; the ticket screen returns home by itself', async () => {
    const { page } = await openKiosk(browser, h, { mode: 'electron', idleMs: 1500, ticketMs: 1500 });
    await service(page, 'land').waitFor();
    expect(await mainText(page, '.instruction').textContent()).toBe('Mời quý công dân chạm vào lĩnh vực cần giải quyết');
    await page.getByTestId('lang').dispatchEvent('pointerdown');
    expect(await mainText(page, '.instruction').textContent()).toBe('Tap the service you need');
    expect(await mainText(page, '[data-service="land"] .service-name').textContent()).toBe('Land records');
    // Nobody touches the screen: back to Vietnamese for the next citizen.
    await expect.poll(() => mainText(page, '.instruction').textContent(), { timeout: 5000 }).toBe('Mời quý công dân chạm vào lĩnh vực cần giải quyết');

    await service(page, 'land').dispatchEvent('pointerdown');
    await page.getByTestId('ticket-number').waitFor();
    await page.getByTestId('ticket-number').waitFor({ state: 'detached', timeout: 5000 });
    await service(page, 'land').waitFor();
  });

  it('a closed service or a full day says so on the button and in words', async () => {
    const { page } = await openKiosk(browser, h, { mode: 'electron' });
    await service(page, 'land').waitFor();
    const landId = ((await h.ts.api('GET', '/services')).body as { id: number; code: string }[]).find((s) => s.code === 'land')!.id;
    // The server's own refusal, as it answers when the daily limit is reached.
    await page.route('**/api/v1/tickets', (route) =>
      route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'DAILY_LIMIT_REACHED', message: 'This service has given out all of today’s numbers.', messageVi: 'Lĩnh vực này đã hết số thứ tự trong ngày.' } }) }),
    );
    await service(page, 'land').dispatchEvent('pointerdown');
    await page.getByTestId('ticket-failed').waitFor();
    expect(await mainText(page, '.failed-message').textContent()).toBe('Lĩnh vực này đã hết số thứ tự trong ngày.');
    await page.getByTestId('done').dispatchEvent('pointerdown');
    expect(await mainText(page, '[data-service="land"] [data-testid="closed-reason"]').textContent()).toBe('Đã hết số hôm nay');
    expect(landId).toBeGreaterThan(0);
    expect(h.printer.jobs).toHaveLength(0);
  });
});

describe('kiosk in plain Chromium (the server prints)', () => {
  it('one tap: the server prints on the kiosk’s network printer and the page shows the number', async () => {
    const { page } = await openKiosk(browser, h, { mode: 'browser' });
    expect(await page.evaluate(() => 'kiosk' in window)).toBe(false);
    await service(page, 'civil-status').dispatchEvent('pointerdown');
    await page.getByTestId('ticket-number').waitFor();
    expect(await page.getByTestId('ticket-number').textContent()).toBe(lastTicket(h)!.number);
    await h.printer.waitForJobs(1);
  });

  it('pairs itself when an admin signs in on the pairing screen', async () => {
    const { context } = await openKiosk(browser, h, { mode: 'browser', token: '' });
    const page = context.pages()[0]!;
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${h.url}/kiosk`);
    await page.getByTestId('pairing').waitFor();
    await page.fill('input[name=password]', 'wrong');
    await page.getByTestId('pair').click();
    await page.getByTestId('pairing-error').waitFor();
    await page.fill('input[name=password]', 'admin-pass');
    await page.fill('input[name=kioskName]', 'Kiosk tầng 2');
    await page.getByTestId('pair').click();
    await service(page, 'land').waitFor();
    const token = await page.evaluate(() => localStorage.getItem('luot.kiosk.token'));
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const devices = h.ts.db.prepare("SELECT name FROM devices WHERE kind = 'kiosk'").all() as { name: string }[];
    expect(devices.map((d) => d.name)).toContain('Kiosk tầng 2');
  });
});
