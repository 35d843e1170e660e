import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, openCounter, openDisplay } from './browser.js';

/**
 * Accessibility of every page the server serves (issue 15): axe-core runs inside each built page
 * in real Chromium against the real server, and finds no serious or critical violation: the
 * counter desk, the waiting-room TV (open, called, paused and closed counters), the admin
 * dashboard and every configuration tab, the rating tablet, and the citizen's phone page in each
 * state. The rule ids and targets of any finding are in the failure message.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface Finding {
  id: string;
  impact: string | null | undefined;
  nodes: string[];
}

async function seriousFindings(page: Page, within?: string): Promise<Finding[]> {
  // Evaluated rather than added as a <script> tag, so a page's CSP cannot block it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run(ctx: Document | Element, o: object): Promise<{ violations: { id: string; impact?: string | null; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const ctx = sel ? document.querySelector(sel) : document;
    if (!ctx) throw new Error(`${sel} is not on the page`);
    const r = await axe.run(ctx, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')} :: ${n.failureSummary ?? ''}`) }));
  }, within);
}

/** Collects every page's findings, so one run lists them all; asserted empty at the end of each test. */
const findings: Record<string, Finding[]> = {};
async function check(page: Page, where: string, within?: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  const f = await seriousFindings(page, within);
  if (f.length) findings[where] = f;
}
function expectNoFindings(prefix: string) {
  const mine = Object.fromEntries(Object.entries(findings).filter(([k]) => k.startsWith(prefix)));
  expect(mine, JSON.stringify(mine, null, 1)).toEqual({});
}

let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const services: Record<string, number> = {};
let officer: string;

async function newPage(viewport: { width: number; height: number }, mobile = false): Promise<Page> {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

async function ok(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const r = await srv.api(method, path, { token, body });
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}

const issue = (code: string) => ok('POST', '/tickets', srv.kioskToken, { serviceId: services[code] }) as Promise<{ id: string; number: string }>;

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  for (const s of (await srv.api('GET', '/services')).body as { id: number; code: string }[]) services[s.code] = s.id;
  officer = await srv.login('canbo1');
  await ok('POST', '/counters/1/open', officer);
  for (let i = 0; i < 3; i++) await issue('land');
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await srv?.close();
});

describe('axe-core on every page: no serious or critical violation', () => {
  it('the counter desk: sign-in, picker and desk with a called citizen', async () => {
    const page = await newPage({ width: 1366, height: 800 });
    await page.goto(`${srv.url}/counter`);
    await page.waitForSelector('input[name=username]');
    await check(page, 'counter: sign-in');
    await openCounter(page, srv.url, 'canbo1', 1);
    await check(page, 'counter: desk, waiting');
    const t = await issue('land');
    await ok('POST', '/counters/1/call', officer, { ticketId: t.id });
    await page.waitForFunction((n) => document.querySelector('.desk')?.textContent?.includes(n), t.number);
    await check(page, 'counter: desk, serving');
    expectNoFindings('counter');
  });

  it('the TV: open, called, paused and closed counters', async () => {
    const canbo2 = await srv.login('canbo2');
    await ok('POST', '/counters/2/open', canbo2);
    await ok('POST', '/counters/2/pause', canbo2).catch(() => undefined);
    const page = await newPage({ width: 1920, height: 1080 });
    // Read at half speed, so the caption of a call stays on screen while it is checked.
    await openDisplay(page, srv.url, srv.displayToken, 0.5);
    await page.waitForSelector('.tv-counter.closed');
    await check(page, 'tv');

    // A call being read out: its caption (dark on yellow, the English line too). Checked on its
    // own: the counter's tile flashes meanwhile, and an animated background is not a colour axe
    // can judge. Its contrast is also asserted directly, line by line.
    const t = await issue('land');
    await ok('POST', '/counters/1/complete', officer).catch(() => undefined);
    await ok('POST', '/counters/1/call', officer, { ticketId: t.id });
    await page.waitForSelector(`[data-testid=caption][data-number="${t.number}"]`);
    await check(page, 'tv: caption', '[data-testid=caption]');
    const ratios = await page.$$eval('[data-testid=caption], [data-testid=caption] .en', (els) => {
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: string) => {
        const [r, g, b] = rgb(c).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const bg = lum(getComputedStyle(els[0]!).backgroundColor);
      return els.map((e) => {
        const fg = lum(getComputedStyle(e).color);
        return Math.round(((Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)) * 10) / 10;
      });
    });
    expect(ratios).toHaveLength(2);
    for (const r of ratios) expect(r, `caption contrast ${ratios.join(', ')}`).toBeGreaterThanOrEqual(4.5);
    expectNoFindings('tv');
  });

  it('the admin pages: dashboard and every tab', async () => {
    const page = await newPage({ width: 1366, height: 900 });
    await page.goto(`${srv.url}/admin#dashboard`);
    await page.waitForSelector('input[name=username]');
    await check(page, 'admin: sign-in');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=dashboard]:not([data-seq=""])');
    await check(page, 'admin: dashboard');
    const tabs = await page.$$eval('nav.tabs a[data-tab]', (as) => as.map((a) => a.getAttribute('data-tab')!));
    expect(tabs.length).toBeGreaterThanOrEqual(10);
    for (const id of tabs.filter((t) => t !== 'dashboard')) {
      await page.click(`a[data-tab="${id}"]`);
      await page.waitForSelector(`[data-testid=admin][data-tab="${id}"]`);
      // Each tab loads its data over HTTP: wait until nothing is in flight (sockets excluded).
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await check(page, `admin: ${id}`);
    }
    expectNoFindings('admin');
  });

  it('the rating tablet: idle and asking', async () => {
    const page = await newPage({ width: 1024, height: 600 });
    await page.goto(`${srv.url}/rating?counter=1#token=${encodeURIComponent(srv.displayToken)}`);
    await page.waitForSelector('[data-testid=rating][data-phase=idle]:not([data-seq=""])');
    await check(page, 'rating: idle');
    const t = await issue('land');
    await ok('POST', '/counters/1/call', officer, { ticketId: t.id }).catch(async () => {
      await ok('POST', '/counters/1/complete', officer);
      await ok('POST', '/counters/1/call', officer, { ticketId: t.id });
    });
    await ok('POST', '/counters/1/complete', officer);
    await page.waitForSelector('[data-testid=rating]:not([data-phase=idle])');
    await check(page, 'rating: asking');
    expectNoFindings('rating');
  });

  it("the citizen's phone page: waiting, called, done, absent, cancelled, not found", async () => {
    const page = await newPage({ width: 360, height: 740 }, true);
    const open = async (id: string, status: string) => {
      await page.goto(`${srv.url}/t/${id}`);
      await page.waitForSelector(`[data-testid=status]`);
      await page.waitForSelector(`main[data-status="${status}"]`);
    };
    const waiting = await issue('civil-status');
    await open(waiting.id, 'waiting');
    await check(page, 'phone: waiting');

    const called = await issue('land');
    await ok('POST', '/counters/1/complete', officer).catch(() => undefined);
    await ok('POST', '/counters/1/call', officer, { ticketId: called.id });
    await open(called.id, 'called');
    await check(page, 'phone: called');
    await ok('POST', '/counters/1/complete', officer);
    await page.waitForSelector('main[data-status="done"]');
    await check(page, 'phone: done');

    const absent = await issue('land');
    await ok('POST', '/counters/1/call', officer, { ticketId: absent.id });
    await ok('POST', '/counters/1/no-show', officer);
    await open(absent.id, 'no_show');
    await check(page, 'phone: absent');

    const gone = await issue('land');
    await ok('POST', `/tickets/${gone.id}/cancel`, srv.adminToken, { reason: 'by_staff' }).catch(() => ok('POST', `/tickets/${gone.id}/cancel`, srv.adminToken));
    await open(gone.id, 'cancelled');
    await check(page, 'phone: cancelled');

    await page.goto(`${srv.url}/t/AAAAAAAAAAAAAAAAAAAAAA`);
    await page.waitForSelector('[data-testid=message]');
    await check(page, 'phone: not found');
    expectNoFindings('phone');
  });
});
