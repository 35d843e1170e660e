import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { centerContext, launchBrowser, openDisplay, screenshot } from './browser.js';
import { layoutProblems, wrapped } from './layout-check.js';

/**
 * The waiting-room TV fits the screens centers have (1920x1080, 1366x768, 1280x800, 1280x720)
 * with four counters (serving, serving a long-named service, paused, closed), six services, six
 * last calls and a call being read out: no text cut, covered or off the screen, counter names on
 * one line, the newest call and every service's count shown; and while the server is away, the
 * reconnect banner pushes the board down instead of covering the title and the clock.
 */
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
  { width: 1280, height: 800 },
  { width: 1280, height: 720 },
];
const LONG_VI = 'Chứng thực bản sao, chữ ký và hợp đồng giao dịch';
const LONG_EN = 'Certification of copies, signatures and contracts';
const MORE = [
  { code: 'business', vi: 'Đăng ký kinh doanh hộ cá thể', en: 'Household business registration', prefix: '4' },
  { code: 'social', vi: 'Lao động, thương binh và xã hội', en: 'Labour, invalids and social affairs', prefix: '5' },
  { code: 'construction', vi: 'Cấp phép xây dựng', en: 'Building permits', prefix: '6' },
];

let srv: TestServer;
let browser: Browser;
const pages = new Map<string, Page>();
const services: Record<string, number> = {};
let counter1Ticket = '';
let serverClosed = false;

async function ok(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const r = await srv.api(method, path, { token, body });
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}
const issue = (code: string) => ok('POST', '/tickets', srv.kioskToken, { serviceId: services[code] }) as Promise<{ id: string; number: string }>;

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const admin = srv.adminToken;
  const existing = (await ok('GET', '/admin/services', admin)) as { id: number; code: string }[];
  const cert = existing.find((s) => s.code === 'certification')!;
  await ok('PATCH', `/admin/services/${cert.id}`, admin, { name: { vi: LONG_VI, en: LONG_EN } });
  for (const [i, m] of MORE.entries()) {
    await ok('POST', '/admin/services', admin, { code: m.code, name: { vi: m.vi, en: m.en }, prefix: m.prefix, numberWidth: 3, hours: null, dailyLimit: null, defaultServiceMinutes: 10, targetWaitMinutes: null, sortOrder: 10 + i, active: true });
  }
  for (const s of (await srv.api('GET', '/services')).body as { id: number; code: string }[]) services[s.code] = s.id;
  expect(Object.keys(services)).toHaveLength(6);
  for (const code of Object.keys(services)) await issue(code);

  // Five calls at counter 1 (each finished before the next), the sixth at counter 2 for the
  // long-named service; counter 3 paused, counter 4 closed.
  const [canbo1, canbo2, canbo3] = await Promise.all(['canbo1', 'canbo2', 'canbo3'].map((u) => srv.login(u)));
  await ok('POST', '/counters/1/open', canbo1!);
  for (let i = 0; i < 5; i++) {
    const t = await issue('land');
    if (i > 0) await ok('POST', '/counters/1/complete', canbo1!);
    await ok('POST', '/counters/1/call', canbo1!, { ticketId: t.id });
    counter1Ticket = t.id;
  }
  await ok('POST', '/counters/2/open', canbo2!);
  const long = await issue('certification');
  await ok('POST', '/counters/2/call', canbo2!, { ticketId: long.id });
  await ok('POST', '/counters/3/open', canbo3!);
  await ok('POST', '/counters/3/pause', canbo3!);
});

afterAll(async () => {
  await browser?.close();
  if (!serverClosed) await srv?.close();
});

async function expectFits(page: Page, where: string): Promise<void> {
  expect(await layoutProblems(page, '[data-testid=display]', '.tv-ticker, .tv-sound'), where).toEqual([]);
  expect(await wrapped(page, '.tv-counter-name, .tv-clock, .tv-title, [data-testid=last-calls] li:not([hidden])'), where).toEqual([]);
  // The newest call and every service's waiting count are on the board.
  expect(await page.isVisible('[data-testid=last-calls] li.latest'), where).toBe(true);
  for (const code of Object.keys(services)) expect(await page.isVisible(`[data-testid=tv-waiting-${code}]`), `${where}: ${code}`).toBe(true);
}

describe('the TV fits common screens', () => {
  for (const size of SIZES) {
    const name = `${size.width}x${size.height}`;
    it(`${name}: four counters, six services, six calls, a call read out: nothing cut or covered`, async () => {
      const page = await (await centerContext(browser, size)).newPage();
      page.setDefaultTimeout(15_000);
      pages.set(name, page);
      // Read slowly (half speed), so the caption stays while it is measured.
      await openDisplay(page, srv.url, srv.displayToken, 0.5);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=last-calls] li[data-number]').length === 6);
      await page.waitForSelector('.tv-counter[data-counter="3"].paused');
      await page.evaluate(() => document.fonts.ready);
      await expectFits(page, `${name}, idle`);

      await ok('POST', '/counters/1/recall', await srv.login('canbo1'), { expectTicketId: counter1Ticket });
      await page.waitForSelector('[data-testid=caption]');
      await expectFits(page, `${name}, caption`);
      await screenshot(page, `tv-${name}`);
    });
  }

  it('the reconnect banner pushes the board down: the title and the clock stay clear, nothing cut', async () => {
    expect(pages.size).toBe(SIZES.length);
    serverClosed = true;
    await srv.close();
    for (const [name, page] of pages) {
      await page.waitForSelector('[data-testid=connection-banner]');
      const [banner, clock, title] = await Promise.all(['[data-testid=connection-banner]', '.tv-clock', '.tv-title'].map(async (s) => (await page.$(s))!.boundingBox()));
      expect(banner!.y + banner!.height, `${name}: the banner ends above the clock`).toBeLessThanOrEqual(clock!.y + 0.5);
      expect(banner!.y + banner!.height, `${name}: the banner ends above the title`).toBeLessThanOrEqual(title!.y + 0.5);
      expect(await layoutProblems(page, '[data-testid=display]', '.tv-ticker, .tv-sound'), name).toEqual([]);
      await screenshot(page, `tv-${name}-offline`);
    }
  });
});
