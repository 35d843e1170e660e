import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openKiosk, startHarness, type Harness } from './harness.js';

/**
 * Every kiosk screen in portrait (1080x1920) and landscape (1920x1080). Each step asserts the
 * screen is really there; PNGs are written to docs/screenshots only with LUOT_SCREENSHOTS=1, so
 * a normal test run does not rewrite tracked images.
 */
const write = process.env.LUOT_SCREENSHOTS === '1';
const outDir = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

let browser: Browser;
let h: Harness;
beforeAll(async () => {
  browser = await launchChromium();
  h = await startHarness();
  if (write) mkdirSync(outDir, { recursive: true });
  // A believable morning: a few citizens already waiting.
  const services = (await h.ts.api('GET', '/services')).body as { id: number; code: string }[];
  for (const [code, n] of [['land', 4], ['civil-status', 2], ['certification', 7]] as const) {
    const id = services.find((s) => s.code === code)!.id;
    for (let i = 0; i < n; i++) await h.ts.api('POST', '/tickets', { token: h.ts.adminToken, body: { serviceId: id } });
  }
});
afterAll(async () => {
  await h?.close();
  await browser?.close();
});

async function shot(page: Page, name: string) {
  if (write) await page.screenshot({ path: `${outDir}kiosk-${name}.png` });
}

for (const [orientation, viewport] of [
  ['portrait', { width: 1080, height: 1920 }],
  ['landscape', { width: 1920, height: 1080 }],
] as const) {
  describe(`screens, ${orientation}`, () => {
    it('start, priority, English, ticket, paper out, connecting, pairing', async () => {
      const { page, context } = await openKiosk(browser, h, { mode: 'electron', viewport, scale: 0.5 });
      await page.locator('[data-service="land"]').waitFor();
      await page.evaluate(() => document.fonts.ready);
      await shot(page, `start-${orientation}`);

      await page.getByTestId('priority').dispatchEvent('pointerdown');
      await page.getByTestId('priority-cancel').waitFor();
      await shot(page, `priority-${orientation}`);
      await page.getByTestId('priority-cancel').dispatchEvent('pointerdown');

      await page.getByTestId('lang').dispatchEvent('pointerdown');
      expect(await page.locator('.instruction .bi-main').textContent()).toBe('Tap the service you need');
      await shot(page, `english-${orientation}`);
      await page.getByTestId('lang').dispatchEvent('pointerdown');

      await page.locator('[data-service="land"]').dispatchEvent('pointerdown');
      await page.getByTestId('ticket-number').waitFor();
      await shot(page, `ticket-${orientation}`);
      await page.getByTestId('done').dispatchEvent('pointerdown');

      h.printer.state = 'paper-end';
      await page.waitForTimeout(750); // ghost-tap guard after "Xong"
      await page.locator('[data-service="civil-status"]').dispatchEvent('pointerdown');
      await page.getByTestId('ticket-failed').waitFor();
      await shot(page, `paper-out-${orientation}`);
      h.printer.state = 'ready';
      await page.getByTestId('done').dispatchEvent('pointerdown');
      await page.getByTestId('printer-banner').waitFor();
      await shot(page, `printer-banner-${orientation}`);

      await context.setOffline(true);
      await page.getByTestId('connecting').waitFor({ timeout: 10_000 });
      await shot(page, `connecting-${orientation}`);
      await context.setOffline(false);
      await page.locator('[data-service="land"]').waitFor({ timeout: 10_000 });

      await page.evaluate(() => localStorage.clear());
      await page.goto(`${h.url}/kiosk`);
      await page.getByTestId('pairing').waitFor();
      await shot(page, `pairing-${orientation}`);
      await context.close();
    });
  });
}
