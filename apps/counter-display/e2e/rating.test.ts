import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, screenshot, textOf } from './browser.js';

/**
 * /rating, the tablet facing the citizen at a counter, against the real server: it asks when its
 * counter finishes a ticket (and only then), one tap is recorded, it thanks and goes back to idle;
 * the rating shows in the admin's report.
 */
let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let tablet: Page;
let officerToken: string;
const services: Record<string, number> = {};

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  page.setDefaultTimeout(10_000);
  return page;
}

async function ok(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const r = await srv.api(method, path, { token, body });
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}

/** A citizen served at counter `n` from start to finish; returns the ticket. */
async function serveOne(n: number, code = 'land'): Promise<{ id: string; number: string }> {
  const t = await ok('POST', '/tickets', srv.kioskToken, { serviceId: services[code] });
  await ok('POST', `/counters/${n}/call`, officerToken, { ticketId: t.id });
  await ok('POST', `/counters/${n}/complete`, officerToken);
  return t;
}

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  for (const s of (await srv.api('GET', '/services')).body as { id: number; code: string }[]) services[s.code] = s.id;
  officerToken = await srv.login('canbo1');
  await ok('POST', '/counters/1/open', officerToken);
  tablet = await newPage({ width: 1024, height: 600 });
  await tablet.goto(`${srv.url}/rating?counter=1#token=${encodeURIComponent(srv.displayToken)}`);
  await tablet.waitForSelector('[data-testid=rating][data-phase=idle]:not([data-seq=""])');
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await srv?.close();
});

describe('/rating', () => {
  it('shows its counter, and keeps the token out of the address bar', async () => {
    expect(await textOf(tablet, '[data-testid=rating-counter]')).toBe('1');
    expect(tablet.url()).not.toContain('token');
    expect(await tablet.title()).toBe('Đánh giá · Rating');
    await screenshot(tablet, 'rating-idle');
  });

  it('ignores a ticket finished at another counter', async () => {
    const canbo2 = await srv.login('canbo2');
    await ok('POST', '/counters/2/open', canbo2);
    const counters = (await ok('GET', '/counters', canbo2)) as { number: number; serviceIds: number[] }[];
    const serviceId = counters.find((c) => c.number === 2)!.serviceIds[0];
    const t = await ok('POST', '/tickets', srv.kioskToken, { serviceId });
    await ok('POST', '/counters/2/call', canbo2, { ticketId: t.id });
    const seq = Number(await tablet.getAttribute('[data-testid=rating]', 'data-seq'));
    await ok('POST', '/counters/2/complete', canbo2);
    await tablet.waitForFunction((s) => Number(document.querySelector('[data-testid=rating]')?.getAttribute('data-seq')) > s, seq);
    expect(await tablet.getAttribute('[data-testid=rating]', 'data-phase')).toBe('idle');
  });

  it('asks when counter 1 finishes, records one tap, thanks, and goes back to idle', async () => {
    const t = await serveOne(1);
    await tablet.waitForSelector('[data-testid=rating][data-phase=ask]');
    const labels = await tablet.$$eval('button.choice', (bs) => bs.map((b) => `${b.getAttribute('data-score')} ${b.querySelector('.vi')?.textContent}`));
    expect(labels).toEqual(['4 Rất hài lòng', '3 Hài lòng', '2 Bình thường', '1 Không hài lòng']);
    expect(await textOf(tablet, '.ask h1 .vi')).toContain(t.number);
    await screenshot(tablet, 'rating-ask');
    await tablet.click('button.choice[data-score="4"]');
    await tablet.waitForSelector('[data-testid=rating-thanks]');
    expect(await textOf(tablet, '[data-testid=rating-thanks] .vi')).toBe('Cảm ơn quý công dân!');
    await screenshot(tablet, 'rating-thanks');
    // The thanks stay a few seconds, then the tablet waits for the next citizen.
    await tablet.waitForSelector('[data-testid=rating][data-phase=idle]', { timeout: 8000 });
    // Stored once, tied to the ticket: a second rating of it is refused.
    const again = await srv.api('POST', '/ratings', { token: srv.displayToken, body: { ticketId: t.id, score: 1 } });
    expect(again.status).toBe(409);
  });

  it('goes back to idle by itself when nobody taps', async () => {
    await tablet.clock.install();
    await serveOne(1);
    await tablet.waitForSelector('[data-testid=rating][data-phase=ask]');
    await tablet.clock.fastForward(61_000);
    await tablet.waitForSelector('[data-testid=rating][data-phase=idle]');
  });

  it('the rating arrives in the admin report, per service, counter and officer', async () => {
    const admin = await newPage({ width: 1366, height: 900 });
    await admin.goto(`${srv.url}/admin#reports`);
    await admin.fill('input[name=username]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await admin.click('button[type=submit]');
    const land = '[data-testid=report-by-service] tr[data-row=land]';
    await admin.waitForSelector(land);
    expect(await textOf(admin, `${land} [data-col=ratings]`)).toBe('1');
    expect(await textOf(admin, `${land} [data-col=ratingAvg]`)).toBe('4');
    expect(await textOf(admin, '[data-testid=report-by-counter] tr[data-row="1"] [data-col=ratings]')).toBe('1');
    expect(await textOf(admin, '[data-testid=report-by-officer] tr[data-row=canbo1] [data-col=ratingAvg]')).toBe('4');
    expect(await textOf(admin, '[data-testid=satisfaction] li[data-score="4"] strong')).toBe('1 · 100 %');
    await admin.waitForSelector('canvas[data-testid=chart-satisfaction]');
    await screenshot(admin, 'admin-reports-rating');
  });
});
