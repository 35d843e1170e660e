import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openKiosk, startHarness, type Harness } from './harness.js';
import { expectInView } from './layout-checks.js';

/**
 * Accessibility of every kiosk screen (issue 15): axe-core, run inside the built page in real
 * Chromium, finds no serious or critical violation (contrast of every text, names of buttons,
 * language of parts...), in portrait and in both landscape sizes; and the ticket screen with the
 * printer banner keeps its "Xong" button inside the screen.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface Finding {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/** The serious and critical findings of axe on the page as it is now (rule id, targets). */
async function seriousFindings(page: Page): Promise<Finding[]> {
  // Evaluated rather than added as a <script>: the kiosk page's CSP allows only its own scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')} :: ${n.failureSummary ?? ''}`) }));
  });
}

async function expectClean(page: Page, where: string) {
  await page.evaluate(() => document.fonts.ready);
  const found = await seriousFindings(page);
  expect(found, `${where}: ${JSON.stringify(found, null, 1)}`).toEqual([]);
}

let browser: Browser;
let h: Harness;
beforeAll(async () => {
  browser = await launchChromium();
  h = await startHarness();
  // The center keeps a ticket the printer could not print and shows it on screen with the
  // printer banner: the screen that overflowed in landscape.
  const set = await h.ts.api('PATCH', '/admin/settings', { token: h.ts.adminToken, body: { printFailure: 'show' } });
  expect(set.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await browser?.close();
});

for (const [name, viewport] of [
  ['portrait 1080x1920', { width: 1080, height: 1920 }],
  ['landscape 1280x800', { width: 1280, height: 800 }],
  ['landscape 1920x1080', { width: 1920, height: 1080 }],
] as const) {
  describe(`kiosk, ${name}`, () => {
    it('home, priority, English, ticket and the printer-banner ticket: no serious axe finding; Xong stays on screen', async () => {
      const { page, context } = await openKiosk(browser, h, { mode: 'electron', viewport, scale: 1 });
      await page.locator('[data-service="land"]').waitFor();
      await expectClean(page, 'home');
      // Who counts as priority, with the center's age (60 by default).
      expect(await page.locator('.priority-who .bi-main').textContent()).toBe('Người từ 60 tuổi · Phụ nữ mang thai · Người khuyết tật');

      await page.getByTestId('priority').dispatchEvent('pointerdown');
      await page.getByTestId('priority-cancel').waitFor();
      await expectClean(page, 'priority mode');
      await page.getByTestId('priority-cancel').dispatchEvent('pointerdown');

      await page.getByTestId('lang').dispatchEvent('pointerdown');
      await expect.poll(() => page.locator('.instruction .bi-main').textContent()).toBe('Tap the service you need');
      await expectClean(page, 'English');
      await page.getByTestId('lang').dispatchEvent('pointerdown');

      await page.locator('[data-service="land"]').dispatchEvent('pointerdown');
      await page.getByTestId('ticket-number').waitFor();
      expect(await page.getByTestId('ticket-screen').getAttribute('data-kind')).toBe('printed');
      await expectClean(page, 'ticket');
      await expectInView(page, 'ticket');
      await page.getByTestId('done').dispatchEvent('pointerdown');

      h.printer.state = 'paper-end';
      try {
        await page.locator('[data-service="civil-status"]').waitFor();
        await expect
          .poll(async () => {
            await page.locator('[data-service="civil-status"]').dispatchEvent('pointerdown');
            return page.getByTestId('ticket-screen').getAttribute('data-kind', { timeout: 1000 }).catch(() => null);
          })
          .toBe('shown');
        await page.getByTestId('printer-problem').waitFor();
      } finally {
        h.printer.state = 'ready';
      }
      await expectClean(page, 'ticket shown with the printer banner');
      await expectInView(page, 'ticket shown with the printer banner');
      await context.close();
    });
  });
}
