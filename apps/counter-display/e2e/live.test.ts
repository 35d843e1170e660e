import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { clickAction, launchBrowser, openCounter, openDisplay, playedClips, pressShortcut, screenshot, splitAnnouncements, textOf, waitForText } from './browser.js';

/**
 * The counter desk and the TV against the real server (built UI, real socket.io, real SQLite).
 * One browser for the file; the tests run in order and build on each other's queue, like a
 * morning at the counter.
 */
let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let counter1: Page;
let counter2: Page;
let tv: Page;
const services: Record<string, number> = {};

async function issue(code: string): Promise<string> {
  const r = await srv.api('POST', '/tickets', { token: srv.kioskToken, body: { serviceId: services[code] } });
  expect(r.status).toBe(201);
  return r.body.number as string;
}

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  return page;
}

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const list = await srv.api('GET', '/services');
  for (const s of list.body as { id: number; code: string }[]) services[s.code] = s.id;
  counter1 = await newPage({ width: 1280, height: 900 });
  tv = await newPage({ width: 1920, height: 1080 });
  await Promise.all([openCounter(counter1, srv.url, 'canbo1', 1, 'counter'), openDisplay(tv, srv.url, srv.displayToken)]);
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await srv?.close();
});

describe('counter and TV, live', () => {
  it('shows new tickets in the waiting list and counts', async () => {
    expect(await issue('land')).toBe('1001');
    await issue('land');
    await issue('land');
    expect(await issue('civil-status')).toBe('2001');
    // Counter 1 serves land and civil status: all four wait for it.
    await counter1.waitForFunction(() => document.querySelectorAll('[data-testid=waiting-list] li').length === 4);
    await waitForText(counter1, '[data-testid=waiting-land]', '3');
    await waitForText(tv, '[data-testid=tv-waiting-land]', '3');
    await waitForText(tv, '[data-testid=tv-waiting-civil-status]', '1');
  });

  it('calls next on the counter and the TV shows it within a second', async () => {
    await counter1.evaluate(() => document.body.focus());
    const t0 = Date.now();
    await pressShortcut(counter1, 't'); // T = Gọi tiếp
    await waitForText(tv, '[data-testid=serving-1]', '1001', 1000);
    expect(Date.now() - t0).toBeLessThan(1000);
    await waitForText(counter1, '[data-testid=current-number]', '1001');
    expect(await textOf(tv, '[data-testid=last-calls] li.latest .num')).toBe('1001');
    expect(await tv.getAttribute('.tv-counter[data-counter="1"]', 'data-flashing')).toBe('true');
    await waitForText(tv, '[data-testid=tv-waiting-land]', '2');
    // The served-for timer ticks.
    await counter1.waitForFunction(() => document.querySelector('[data-testid=served-for]')?.textContent?.includes('0:01'), undefined, { timeout: 3000 });
  });

  it('announces the call, and a recall again, one after the other in the right words', async () => {
    await clickAction(counter1, 'recall');
    await tv.waitForFunction(() => document.querySelectorAll('[data-testid=last-calls] li .recall').length === 1);
    // Both announcements play to the end: chime + intro + number + "đến quầy số" + counter.
    const oneThousandOne = ['chime', 'intro', 'mootj', 'nghinf', 'khoong', 'trawm', 'linh', 'mootj', 'to-counter', 'mootj'];
    await tv.waitForFunction((n) => (window.__luotAnnouncements ?? []).length >= n, oneThousandOne.length * 2, { timeout: 20_000 });
    expect(splitAnnouncements(await playedClips(tv))).toEqual([oneThousandOne, oneThousandOne]);
    await screenshot(tv, 'display-recall');
  });

  it('completes and marks a no-show; the TV clears the counter', async () => {
    await clickAction(counter1, 'complete');
    await waitForText(counter1, '[data-testid=current-number]', '—');
    await waitForText(tv, '[data-testid=serving-1]', '—');

    await clickAction(counter1, 'call-next');
    await waitForText(tv, '[data-testid=serving-1]', '1002');
    await pressShortcut(counter1, 'v'); // V = Vắng mặt
    await waitForText(counter1, '[data-testid=current-number]', '—');
    await waitForText(tv, '[data-testid=serving-1]', '—');
    const ticket = await srv.api('GET', `/counters`, { token: srv.adminToken });
    expect((ticket.body as { number: number; currentTicket?: unknown }[]).find((c) => c.number === 1)?.currentTicket).toBeFalsy();

    // The desk is reloaded (an accidental F5, a tablet restarting its browser): the no-show is
    // still listed, read from the server, and called back from there.
    await counter1.reload();
    await counter1.waitForSelector('[data-testid=no-shows] li[data-number="1002"] button');
    await counter1.waitForSelector('[data-testid=current-number]');

    // The citizen turns up after all: the officer calls the no-show back from the list.
    await counter1.click('[data-testid=no-shows] li[data-number="1002"] button');
    await waitForText(counter1, '[data-testid=current-number]', '1002');
    await waitForText(tv, '[data-testid=serving-1]', '1002', 1000);
    await counter1.waitForSelector('[data-testid=no-shows]', { state: 'detached' });
    await pressShortcut(counter1, 'h'); // H = Hoàn thành
    await waitForText(tv, '[data-testid=serving-1]', '—');
  });

  it('transfers a ticket to another service, keeping its number', async () => {
    await clickAction(counter1, 'call-next');
    await waitForText(counter1, '[data-testid=current-number]', '1003');
    await pressShortcut(counter1, 'c'); // C = Chuyển
    await counter1.waitForSelector('[data-testid=transfer-panel]');
    await screenshot(counter1, 'counter-transfer');
    await counter1.click('[data-testid=transfer-panel] button[data-service=certification]');
    await waitForText(counter1, '[data-testid=current-number]', '—');
    await waitForText(tv, '[data-testid=serving-1]', '—');
    await waitForText(tv, '[data-testid=tv-waiting-certification]', '1');
    // Counter 1 does not serve certification: 1003 is no longer in its list.
    await counter1.waitForFunction(() => !document.querySelector('[data-testid=waiting-list] li[data-number="1003"]'));
  });

  it('shows the API error in Vietnamese and English when an action is refused', async () => {
    // Counter 1 is taken by canbo1: canbo2 trying to take it is refused with COUNTER_TAKEN.
    counter2 = await newPage({ width: 1280, height: 900 });
    await counter2.goto(`${srv.url}/counter`);
    await counter2.fill('input[name=username]', 'canbo2');
    await counter2.fill('input[name=password]', 'demo');
    await counter2.click('button[type=submit]');
    await counter2.click('.counter-choice[data-counter="1"]');
    await counter2.waitForSelector('[data-testid=error][data-code=COUNTER_TAKEN]');
    expect(await textOf(counter2, '[data-testid=error]')).toContain('Quầy này đang có cán bộ khác làm việc.');
    await screenshot(counter2, 'counter-taken');
    await counter2.click('.counter-choice[data-counter="2"]');
    await counter2.waitForSelector('.desk[data-counter="2"][data-state="open"]');
    // 1003 now waits for certification, which counter 2 serves.
    await counter2.waitForSelector('[data-testid=waiting-list] li[data-number="1003"]');
  });

  it('two counters call at once: each gets its own ticket, the TV shows both and announces both in turn', async () => {
    await issue('land');
    await issue('certification');
    await counter1.waitForFunction(() => document.querySelectorAll('[data-testid=waiting-list] li').length === 2); // 2001, 1004
    // Let the earlier calls' announcements finish, so the log from here on holds only these two.
    await tv.waitForSelector('[data-testid=display][data-speaking=""]', { timeout: 20_000 });
    const before = (await playedClips(tv)).length;
    await Promise.all([clickAction(counter1, 'call-next'), clickAction(counter2, 'call-next')]);
    await counter1.waitForFunction(() => document.querySelector('[data-testid=current-number]')?.textContent !== '—');
    await counter2.waitForFunction(() => document.querySelector('[data-testid=current-number]')?.textContent !== '—');
    const n1 = await textOf(counter1, '[data-testid=current-number]');
    const n2 = await textOf(counter2, '[data-testid=current-number]');
    expect(n1).not.toBe(n2);
    await waitForText(tv, '[data-testid=serving-1]', n1, 1000);
    await waitForText(tv, '[data-testid=serving-2]', n2, 1000);
    await screenshot(counter1, 'counter-desk');
    await screenshot(tv, 'display-board');

    // Two whole announcements, never interleaved, in the order the TV received the calls.
    await tv.waitForFunction(
      (n) => {
        const log = (window.__luotAnnouncements ?? []).slice(n as number);
        const idle = document.querySelector('[data-testid=display]')?.getAttribute('data-speaking') === '';
        return idle && log.filter((c) => c === 'to-counter').length === 2;
      },
      before,
      { timeout: 20_000 },
    );
    const calls = splitAnnouncements((await playedClips(tv)).slice(before));
    const order = await tv.$$eval('[data-testid=last-calls] li .ctr', (els) => els.slice(0, 2).map((e) => e.textContent?.trim()).reverse());
    const counterWord = (n: string | undefined) => (n === 'Quầy 1' ? 'mootj' : 'hai');
    expect(calls.map((c) => c.at(-1))).toEqual(order.map(counterWord));
    for (const c of calls) {
      expect(c[0]).toBe('chime');
      expect(c[1]).toBe('intro');
      expect(c.filter((x) => x === 'chime')).toHaveLength(1);
    }
  });

  it('calls a chosen waiting number, and pauses the counter', async () => {
    await issue('land');
    const chosen = await issue('land');
    await counter1.waitForSelector(`[data-testid=waiting-list] li[data-number="${chosen}"]`);
    await pressShortcut(counter1, 's'); // S = Gọi số
    await counter1.fill('[data-testid=call-panel] input[name=number]', chosen);
    await counter1.press('[data-testid=call-panel] input[name=number]', 'Enter');
    await waitForText(counter1, '[data-testid=current-number]', chosen);
    await waitForText(tv, '[data-testid=serving-1]', chosen, 1000);
    await counter1.waitForSelector('[data-testid=call-panel]', { state: 'detached' });

    await clickAction(counter1, 'complete');
    await clickAction(counter1, 'pause');
    await counter1.waitForSelector('.desk[data-state=paused]');
    await tv.waitForSelector('.tv-counter[data-counter="1"].paused');
    expect(await counter1.isDisabled('button[data-action=call-next]')).toBe(true);
    await clickAction(counter1, 'pause'); // now "Tiếp tục / Resume"
    await counter1.waitForSelector('.desk[data-state=open]');

    // A portrait tablet at the counter: the same desk, two buttons a row.
    await issue('civil-status');
    await clickAction(counter1, 'call-next');
    await counter1.setViewportSize({ width: 800, height: 1280 });
    await waitForText(counter1, '[data-testid=current-number]', '1005'); // land before civil status at counter 1
    await screenshot(counter1, 'counter-tablet');
  });
});
