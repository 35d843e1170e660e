import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, openCounter, pressShortcut, screenshot, textOf, waitForText } from './browser.js';

/**
 * /rating, the tablet facing the citizen at a counter, against the real server: it asks when its
 * counter finishes a ticket (and only then), about the service at the counter, on the center's
 * scale (3 levels unless set); one tap is recorded, Không hài lòng asks one more tap for the
 * reason and alerts the director's dashboard; it thanks and goes back to idle. Also the same
 * rating from the citizen's phone page, the dossier code at the counter desk (typed and scanned),
 * and the ratings in the admin's report.
 */
let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let tablet: Page;
let admin: Page;
let officerToken: string;
const services: Record<string, number> = {};
const pageErrors: string[] = [];

async function newPage(viewport: { width: number; height: number }, mobile = false): Promise<Page> {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.setDefaultTimeout(10_000);
  return page;
}

async function ok(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const r = await srv.api(method, path, { token, body });
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}

/** A citizen served at counter `n` from start to finish; returns the ticket. */
async function serveOne(n: number, code = 'land', token = officerToken, dossierCode?: string): Promise<{ id: string; number: string }> {
  const t = await ok('POST', '/tickets', srv.kioskToken, { serviceId: services[code] });
  await ok('POST', `/counters/${n}/call`, token, { ticketId: t.id });
  if (dossierCode) await ok('PUT', `/tickets/${t.id}/dossier-code`, token, { dossierCode });
  await ok('POST', `/counters/${n}/complete`, token);
  return t;
}

const levelsShown = (page: Page) => page.$$eval('button.choice', (bs) => bs.map((b) => `${b.getAttribute('data-level')} ${b.querySelector('.vi')?.textContent}`));

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  for (const s of (await srv.api('GET', '/services')).body as { id: number; code: string }[]) services[s.code] = s.id;
  officerToken = await srv.login('canbo1');
  await ok('POST', '/counters/1/open', officerToken);
  tablet = await newPage({ width: 1024, height: 600 });
  await tablet.goto(`${srv.url}/rating?counter=1#token=${encodeURIComponent(srv.displayToken)}`);
  await tablet.waitForSelector('[data-testid=rating][data-phase=idle]:not([data-seq=""])');
  admin = await newPage({ width: 1366, height: 900 });
  await admin.goto(`${srv.url}/admin#dashboard`);
  await admin.fill('input[name=username]', 'admin');
  await admin.fill('input[name=password]', ADMIN_PASSWORD);
  await admin.click('button[type=submit]');
  await admin.waitForSelector('[data-testid=dashboard]:not([data-seq=""])');
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

  it('asks about the service at the counter on three levels, records one tap, thanks, and goes back to idle', async () => {
    const t = await serveOne(1);
    await tablet.waitForSelector('[data-testid=rating][data-phase=ask]');
    expect(await levelsShown(tablet)).toEqual(['very_satisfied Rất hài lòng', 'satisfied Hài lòng', 'dissatisfied Không hài lòng']);
    const question = await textOf(tablet, '.ask h1 .vi');
    expect(question).toContain(t.number);
    expect(question).toContain('sự phục vụ tại quầy');
    expect(question).not.toContain('hồ sơ');
    // The English line names the number too.
    expect(await textOf(tablet, '.ask h1 .en')).toContain(`(number ${t.number})`);
    await screenshot(tablet, 'rating-ask');
    await tablet.click('button.choice[data-level=very_satisfied]');
    await tablet.waitForSelector('[data-testid=rating-thanks]');
    expect(await textOf(tablet, '[data-testid=rating-thanks] .vi')).toBe('Cảm ơn quý công dân!');
    await screenshot(tablet, 'rating-thanks');
    // The thanks stay a few seconds, then the tablet waits for the next citizen.
    await tablet.waitForSelector('[data-testid=rating][data-phase=idle]', { timeout: 8000 });
    // Stored once, tied to the ticket: a second rating of it is refused, from the tablet or the phone.
    expect((await srv.api('POST', '/ratings/answer', { token: srv.displayToken, body: { ticketId: t.id, scale: 3, level: 'dissatisfied' } })).status).toBe(409);
    expect((await srv.api('POST', `/tickets/${t.id}/rating`, { body: { scale: 3, level: 'dissatisfied' } })).status).toBe(409);
  });

  it('after Không hài lòng asks the reason in one tap, and the director sees it on the dashboard at once', async () => {
    const t = await serveOne(1, 'land', officerToken, '000.00.31.H29-241123-0007');
    await tablet.waitForSelector('[data-testid=rating][data-phase=ask]');
    await tablet.click('button.choice[data-level=dissatisfied]');
    await tablet.waitForSelector('[data-testid=rating-reason]');
    expect(await tablet.$$eval('button.reason-choice .vi', (bs) => bs.map((b) => b.textContent))).toEqual(['Thái độ phục vụ', 'Thời gian chờ', 'Hướng dẫn chưa rõ', 'Lý do khác']);
    await screenshot(tablet, 'rating-reason');
    await tablet.click('button.reason-choice[data-reason=waiting_time]');
    await tablet.waitForSelector('[data-testid=rating-thanks]');

    // The dashboard: the staff alert, and the list with the reason and the dossier code.
    await admin.waitForSelector(`[data-testid=dissatisfied-row][data-ticket="${t.number}"]`);
    const row = `[data-testid=dissatisfied-row][data-ticket="${t.number}"]`;
    await waitForText(admin, `${row} [data-testid=dissatisfied-reason] .vi`, 'Thời gian chờ');
    expect(await textOf(admin, row)).toContain('000.00.31.H29-241123-0007');
    expect(await textOf(admin, row)).toContain('canbo1');
    await admin.waitForSelector('[data-testid=alerts] [data-code=rating_dissatisfied]');
    expect(await textOf(admin, '[data-testid=alerts] [data-code=rating_dissatisfied]')).toContain('1 đánh giá không hài lòng chưa xem');
    // Today's totals count it: one satisfied of two answers.
    await waitForText(admin, '[data-testid=today] [data-stat=satisfied] .value', '50 %');
    await screenshot(admin, 'admin-dashboard-ratings');
    // Seen: off the list, and the alert goes.
    await admin.click(`${row} [data-testid=dissatisfied-seen]`);
    await admin.waitForSelector('[data-testid=dissatisfied]', { state: 'detached' });
    await admin.waitForSelector('[data-testid=alerts] [data-code=rating_dissatisfied]', { state: 'detached' });
  });

  it('asks on five levels once the admin chooses them on the reports page', async () => {
    await admin.goto(`${srv.url}/admin#reports`);
    await admin.waitForSelector('[data-testid=rating-scale][data-scale="3"]');
    await admin.click('[data-testid=rating-scale] button[data-scale="5"]');
    await admin.waitForSelector('[data-testid=rating-scale][data-scale="5"] [data-testid=saved]');
    expect(await textOf(admin, '[data-testid=rating-scale-levels]')).toBe('Rất hài lòng · Hài lòng · Bình thường · Không hài lòng · Rất không hài lòng');
    await serveOne(1);
    await tablet.waitForSelector('[data-testid=rating][data-phase=ask][data-scale="5"]');
    expect((await levelsShown(tablet)).map((l) => l.split(' ')[0])).toEqual(['very_satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very_dissatisfied']);
    await screenshot(tablet, 'rating-ask-5');
    await tablet.click('button.choice[data-level=neutral]');
    await tablet.waitForSelector('[data-testid=rating-thanks]'); // Bình thường: no reason asked
    await admin.click('[data-testid=rating-scale] button[data-scale="3"]');
    await admin.waitForSelector('[data-testid=rating-scale][data-scale="3"]');
  });

  it('goes back to idle by itself when nobody taps', async () => {
    await tablet.waitForSelector('[data-testid=rating][data-phase=idle]', { timeout: 8000 });
    await tablet.clock.install();
    await serveOne(1);
    await tablet.waitForSelector('[data-testid=rating][data-phase=ask]');
    await tablet.clock.fastForward(61_000);
    await tablet.waitForSelector('[data-testid=rating][data-phase=idle]');
  });
});

describe('the phone page', () => {
  it('lets the citizen rate once from the ticket page after being served', async () => {
    const canbo3 = await srv.login('canbo3');
    await ok('POST', '/counters/3/open', canbo3);
    const t = await ok('POST', '/tickets', srv.kioskToken, { serviceId: services.certification });
    const phone = await newPage({ width: 360, height: 740 }, true);
    await phone.goto(`${srv.url}/t/${t.id}`);
    await waitForText(phone, '[data-testid=number]', t.number);
    expect(await phone.$('[data-testid=rating]:not([hidden])')).toBeNull(); // nothing to rate yet
    await ok('POST', '/counters/3/call', canbo3, { ticketId: t.id });
    await ok('POST', '/counters/3/complete', canbo3);
    await phone.waitForSelector('[data-testid=rating][data-step=ask]');
    expect(await textOf(phone, '.tp-rating-ask .tp-vi')).toBe('Quý công dân có hài lòng với sự phục vụ tại quầy không?');
    expect(await phone.$$eval('button.tp-level', (bs) => bs.map((b) => b.getAttribute('data-level')))).toEqual(['very_satisfied', 'satisfied', 'dissatisfied']);
    await screenshot(phone, 'ticket-page-rating');
    await phone.tap('button.tp-level[data-level=dissatisfied]');
    await phone.waitForSelector('[data-testid=rating][data-step=reason]');
    await phone.tap('button.tp-reason[data-reason=unclear_guidance]');
    await phone.waitForSelector('[data-testid=rating-thanks]');
    expect(await textOf(phone, '[data-testid=rating-thanks] .tp-vi')).toBe('Cảm ơn quý công dân đã đánh giá!');
    // Once only: reopened, the page thanks and offers nothing.
    await phone.reload();
    await phone.waitForSelector('[data-testid=rating][data-step=thanks]');
    expect(await phone.$('button.tp-level')).toBeNull();
    expect((await ok('GET', `/tickets/${t.id}/rating`, '')).rating).toMatchObject({ scale: 3, level: 'dissatisfied', reason: 'unclear_guidance' });
    await phone.close();
  });
});

describe('the dossier code at the counter desk', () => {
  it('is typed and saved with Enter, or scanned while the cursor is elsewhere without setting off a shortcut', async () => {
    const desk = await newPage({ width: 1280, height: 800 });
    await openCounter(desk, srv.url, 'canbo4', 4);
    const t = await ok('POST', '/tickets', srv.kioskToken, { serviceId: services.land });
    await desk.click('button[data-action=call-next]');
    await waitForText(desk, '[data-testid=current-number]', t.number);
    // Typed: Enter saves it.
    await desk.fill('input[name=dossierCode]', 'h29.22.10-241123-0001');
    await desk.press('input[name=dossierCode]', 'Enter');
    await desk.waitForSelector('[data-testid=dossier][data-code="H29.22.10-241123-0001"]');
    expect((await ok('GET', `/tickets/${t.id}/dossier-code`, srv.adminToken)).dossierCode).toBe('H29.22.10-241123-0001');
    await desk.waitForSelector('.desk[data-busy=false]');
    await screenshot(desk, 'counter-dossier');
    // Scanned with the cursor outside the field: a scanner types fast and ends with Enter. Its
    // letters would be shortcuts (H = Hoàn thành, T = Gọi tiếp); none of them acts.
    // (Once the desk takes presses again, so the shortcuts would act if they got the letters.)
    await desk.waitForSelector('.desk[data-busy=false]');
    // The burst is sent from inside the page, as a scanner's keys arrive (a few ms apart at most):
    // typed through the test driver, a busy machine could space the keys wider than any scanner.
    await desk.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      for (const key of [...'H29.22.10-241123-0002T', 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    });
    await desk.waitForSelector('[data-testid=dossier][data-code="H29.22.10-241123-0002T"]');
    expect(await textOf(desk, '[data-testid=current-number]')).toBe(t.number);
    expect((await ok('GET', `/tickets/${t.id}/dossier-code`, srv.adminToken)).dossierCode).toBe('H29.22.10-241123-0002T');
    // A person's key is still a shortcut: H finishes the citizen (once the desk takes presses
    // again: it ignores them for a moment after each action, see desk-actions.ts).
    await pressShortcut(desk, 'h');
    await waitForText(desk, '[data-testid=current-number]', '—');
    // The code can still be corrected for the citizen just finished.
    expect(await desk.getAttribute('[data-testid=dossier]', 'data-ticket')).toBe(t.number);
    await desk.close();
  });
});

describe('the report', () => {
  it('shows the ratings per service, counter and officer, with % hài lòng', async () => {
    // Read afresh: the reports tab is still open from the scale change.
    await admin.reload();
    const land = '[data-testid=report-by-service] tr[data-row=land]';
    await admin.waitForSelector(land);
    // Land at counter 1 (canbo1): Rất hài lòng, Không hài lòng (3 levels), Bình thường (5 levels).
    expect(await textOf(admin, `${land} [data-col=answers]`)).toBe('3');
    expect(await textOf(admin, `${land} [data-col=satisfied]`)).toBe('33,3 %');
    expect(await textOf(admin, '[data-testid=report-by-counter] tr[data-row="1"] [data-col=answers]')).toBe('3');
    expect(await textOf(admin, '[data-testid=report-by-officer] tr[data-row=canbo1] [data-col=satisfied]')).toBe('33,3 %');
    // With the phone's answer at counter 3: 1 satisfied of 4.
    await waitForText(admin, '[data-testid=report-totals] [data-stat=satisfied] .value', '25 %');
    expect(await textOf(admin, '[data-testid=satisfaction] li[data-level=very_satisfied] strong')).toBe('1 · 25 %');
    expect(await textOf(admin, '[data-testid=reasons] li[data-reason=waiting_time] strong')).toBe('1');
    await admin.waitForSelector('canvas[data-testid=chart-satisfaction]');
    await admin.$eval('[data-testid=satisfaction-card]', (e) => {
      // Below the sticky tab bar.
      e.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -90);
    });
    await screenshot(admin, 'admin-reports-rating');
    expect(pageErrors).toEqual([]);
  });
});
