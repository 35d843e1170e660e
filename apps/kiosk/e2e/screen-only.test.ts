import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lastTicket, launchChromium, openKiosk, startHarness, type Harness } from './harness.js';
import { expectTicketFits } from './layout-checks.js';

/**
 * A kiosk with no printer configured at all (the demo: no LUOT_KIOSK_PRINTER, no printer in the
 * admin's list, kiosk.json `printer: none`) is a screen-only kiosk by choice: each ticket's number
 * and QR on screen with a calm "remember this number", the ticket kept (even under the default
 * printFailure rule "cancel"), no staff alert, no printer banner. A printer that is configured
 * and fails is still a failure.
 */
let browser: Browser;
let h: Harness | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(async () => {
  await browser?.close();
});

const mainText = (page: Page, sel: string) => page.locator(`${sel} .bi-main`).first();
const alerts = async (x: Harness) => (await x.ts.api('GET', '/alerts', { token: x.ts.adminToken })).body as unknown[];

async function expectScreenOnlyTicket(page: Page, x: Harness) {
  await page.getByTestId('ticket-number').waitFor();
  const t = lastTicket(x)!;
  expect(await page.getByTestId('ticket-screen').getAttribute('data-kind')).toBe('screen-only');
  expect(await page.getByTestId('ticket-number').textContent()).toBe(t.number);
  expect(t.status).toBe('waiting');
  expect(await page.locator('svg.qr').getAttribute('data-qr')).toBe(`${x.url}/t/${t.id}`);
  expect(await mainText(page, '[data-testid="remember"]').textContent()).toBe('Vui lòng ghi nhớ số này hoặc chụp mã QR');
  expect(await page.locator('[data-testid="remember"] .bi-sub').textContent()).toBe('Please remember this number or photograph the QR');
  // Nothing says "broken": no printer problem, no warning banner, no "take your ticket below".
  expect(await page.getByTestId('printer-problem').count()).toBe(0);
  expect(await page.locator('.banner.warn').count()).toBe(0);
  expect(await page.locator('.take-ticket').count()).toBe(0);
}

describe('screen-only kiosk (no printer configured anywhere)', () => {
  for (const mode of ['browser', 'electron'] as const) {
    it(`${mode}: the number and QR on screen, calmly; the ticket waits; no alert, no banner`, async () => {
      const x = (h = await startHarness({ serverPrinter: false }));
      const { page } = await openKiosk(browser, x, { mode, localPrinter: false, viewport: { width: 1280, height: 800 }, scale: 0.5 });
      await page.locator('[data-service="land"]').dispatchEvent('pointerdown');
      await expectScreenOnlyTicket(page, x);
      await expectTicketFits(page, `${mode} screen-only ticket 1280x800`);
      if (process.env.LUOT_LAYOUT_SHOTS) await page.screenshot({ path: `${process.env.LUOT_LAYOUT_SHOTS}/screen-only-${mode}-1280x800.png` });

      await page.getByTestId('done').dispatchEvent('pointerdown');
      await page.locator('[data-service="civil-status"]').waitFor();
      expect(await page.getByTestId('printer-banner').count()).toBe(0);
      await page.waitForTimeout(750); // the ghost-tap guard after "Xong"
      await page.locator('[data-service="civil-status"]').dispatchEvent('pointerdown');
      await expectScreenOnlyTicket(page, x);
      // Both tickets still wait for their citizens, and staff were told nothing was wrong (nothing was).
      const statuses = x.ts.db.prepare('SELECT status FROM tickets').all() as { status: string }[];
      expect(statuses.map((s) => s.status)).toEqual(['waiting', 'waiting']);
      expect(await alerts(x)).toEqual([]);
      expect(x.printer.jobs).toHaveLength(0);
    });
  }

  it('electron with `printer: none` and a printer on the server: the server prints it', async () => {
    const x = (h = await startHarness());
    const { page } = await openKiosk(browser, x, { mode: 'electron', localPrinter: false });
    await page.locator('[data-service="land"]').dispatchEvent('pointerdown');
    await page.getByTestId('ticket-number').waitFor();
    expect(await page.getByTestId('ticket-screen').getAttribute('data-kind')).toBe('printed');
    await x.printer.waitForJobs(1);
  });

  it('a configured printer that fails is still a failure: cancelled, alerted, the banner stays', async () => {
    const x = (h = await startHarness());
    x.printer.state = 'paper-end';
    const { page } = await openKiosk(browser, x, { mode: 'browser' });
    await page.locator('[data-service="land"]').dispatchEvent('pointerdown');
    await page.getByTestId('ticket-failed').waitFor();
    expect(await page.getByTestId('printer-problem').getAttribute('data-code')).toBe('paper_end');
    expect(lastTicket(x)).toMatchObject({ status: 'cancelled', cancel_reason: 'not_printed' });
    await expect.poll(() => alerts(x)).toEqual([expect.objectContaining({ code: 'printer_paper_end', active: true })]);
    await page.getByTestId('done').dispatchEvent('pointerdown');
    await page.getByTestId('printer-banner').waitFor();
  });
});
