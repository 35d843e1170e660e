import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastTicket, launchChromium, openKiosk, startHarness, type Harness } from './harness.js';
import { expectTicketFits, homeLayout } from './layout-checks.js';

/**
 * The start screen at every common kiosk size, with one to eight services and long names: no two
 * boxes overlap, no word spills out of its card, every button can be brought on screen, and a tap
 * at a card's centre is that card (layout-checks.ts). With the demo's three services (one renamed
 * long) it fits without scrolling, and a real click at the centre of a card takes that service's
 * number, on a ticket screen that fits too. Screenshots go to LUOT_LAYOUT_SHOTS=<dir> if set.
 */
const VIEWPORTS = [
  [1080, 1920],
  [1920, 1080],
  [1366, 768],
  [1280, 800],
  [1280, 1024],
  [768, 1024],
] as const;
const LONG_NAME = { vi: 'Chứng thực bản sao, chữ ký và hợp đồng giao dịch', en: 'Certification of copies, signatures and contracts' };
const MORE = [
  { code: 'business', name: { vi: 'Đăng ký kinh doanh hộ cá thể và hợp tác xã', en: 'Household business and cooperative registration' } },
  { code: 'social', name: { vi: 'Lao động, thương binh và xã hội', en: 'Labour, invalids and social affairs' } },
  { code: 'construction', name: { vi: 'Xây dựng', en: 'Construction' } },
  { code: 'justice', name: { vi: 'Tư pháp', en: 'Justice' } },
  { code: 'environment', name: { vi: 'Tài nguyên và môi trường, khoáng sản, nước', en: 'Natural resources, environment, minerals and water' } },
];
const shots = process.env.LUOT_LAYOUT_SHOTS;

let browser: Browser;
let h: Harness;
let ids: Record<string, number>;
beforeAll(async () => {
  browser = await launchChromium();
  h = await startHarness();
  if (shots) mkdirSync(shots, { recursive: true });
  // The ID-card notice under the buttons too: the screen at its fullest.
  expect((await h.ts.api('PATCH', '/admin/settings', { token: h.ts.adminToken, body: { checkInEnabled: true } })).status).toBe(200);
  const services = (await h.ts.api('GET', '/admin/services', { token: h.ts.adminToken })).body as { id: number; code: string }[];
  ids = Object.fromEntries(services.map((s) => [s.code, s.id]));
  const renamed = await h.ts.api('PATCH', `/admin/services/${ids.certification}`, { token: h.ts.adminToken, body: { name: LONG_NAME } });
  expect(renamed.status).toBe(200);
  // Someone is waiting, so every card shows both of its lines (waiting, about N minutes).
  for (const code of ['land', 'civil-status', 'certification']) await h.ts.api('POST', '/tickets', { token: h.ts.adminToken, body: { serviceId: ids[code] } });
});
afterAll(async () => {
  await h?.close();
  await browser?.close();
});

async function setServiceCount(n: number) {
  const wanted = ['land', 'civil-status', 'certification', ...MORE.map((m) => m.code)].slice(0, n);
  for (const [i, m] of MORE.entries()) {
    if (ids[m.code] !== undefined || !wanted.includes(m.code)) continue;
    const r = await h.ts.api('POST', '/admin/services', {
      token: h.ts.adminToken,
      body: { code: m.code, name: m.name, prefix: `X${i}`, numberWidth: 3, hours: null, dailyLimit: null, defaultServiceMinutes: 10, targetWaitMinutes: null, sortOrder: 10 + i, active: true },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids[m.code] = (r.body as { id: number }).id;
  }
  for (const [code, id] of Object.entries(ids)) {
    const r = await h.ts.api('PATCH', `/admin/services/${id}`, { token: h.ts.adminToken, body: { active: wanted.includes(code) } });
    expect(r.status).toBe(200);
  }
}

async function expectHomeClean(page: Page, where: string, mayScroll: boolean) {
  await page.evaluate(() => document.fonts.ready);
  // fit-density.ts refits on the next frame after a change: measure after it.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  if (shots) await page.screenshot({ path: `${shots}/${where.replace(/[^a-z0-9]+/gi, '-')}.png` });
  const report = await homeLayout(page);
  expect(report.problems, where).toEqual([]);
  if (!mayScroll) expect(report.scrolls, `${where}: fits without scrolling (density ${report.density}, ${report.overflowPx} px too tall)`).toBe(false);
}

for (const count of [3, 1, 5, 8]) {
  describe(`${count} service${count > 1 ? 's' : ''}${count >= 3 ? ', one with a long name' : ''}`, () => {
    beforeAll(() => setServiceCount(count));
    for (const [width, height] of VIEWPORTS) {
      it(`${width}x${height}: nothing overlaps, every button reachable, a tap at a card's centre is that card`, async () => {
        const { page, context } = await openKiosk(browser, h, { mode: 'electron', viewport: { width, height }, scale: 0.5 });
        try {
          await page.locator(`.services[data-count="${count}"]`).waitFor();
          const where = `${count} services ${width}x${height}`;
          // Up to three services always fit as they are; more may scroll on a short screen.
          await expectHomeClean(page, where, count > 3);
          await page.getByTestId('priority').dispatchEvent('pointerdown');
          await page.getByTestId('priority-cancel').waitFor();
          await expectHomeClean(page, `${where} priority`, count > 3);
          await page.getByTestId('priority-cancel').dispatchEvent('pointerdown');
          await page.getByTestId('lang').dispatchEvent('pointerdown');
          await expect.poll(() => page.locator('.instruction .bi-main').textContent()).toBe('Tap the service you need');
          await expectHomeClean(page, `${where} English`, count > 3);
          await page.getByTestId('lang').dispatchEvent('pointerdown');

          if (count !== 3) return;
          // A real click (the browser's own hit test) at the centre of the Đất đai card.
          const land = page.locator('[data-service="land"]');
          await land.scrollIntoViewIfNeeded();
          const box = (await land.boundingBox())!;
          await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
          await page.getByTestId('ticket-number').waitFor();
          expect(await page.locator('.ticket-service .bi-main').textContent()).toBe('Đất đai');
          expect(lastTicket(h)).toMatchObject({ priority: 0 });
          if (shots) await page.screenshot({ path: `${shots}/${where.replace(/[^a-z0-9]+/gi, '-')}-ticket.png` });
          await expectTicketFits(page, `${where}: ticket`);
        } finally {
          await context.close();
        }
      });
    }
  });
}
