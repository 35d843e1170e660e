import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../../server/test/helpers/test-server.js';
import { clickAction, launchBrowser, openCounter, screenshot, textOf, waitForText } from './browser.js';
import { ServerChild } from './server-child.js';

/**
 * The built server as a child process, killed without warning (a power cut) and started again
 * on the same port and data: both the counter and the TV must notice, say so, reconnect by
 * themselves and show the same state as before. Also pairs the TV through its pairing screen.
 */
let browser: Browser;
const server = new ServerChild();
let counter: Page;
let tv: Page;

beforeAll(async () => {
  [browser] = await Promise.all([launchBrowser(), server.start()]);
  counter = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  tv = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server.dispose();
});

describe('pairing and a server restart', () => {
  it('pairs the TV when an admin signs in on its pairing screen', async () => {
    await tv.goto(`${server.url}/display`);
    await tv.waitForSelector('input[name=deviceName]');
    await tv.fill('input[name=deviceName]', 'TV tầng 1');
    await tv.fill('input[name=username]', 'canbo1');
    await tv.fill('input[name=password]', 'demo');
    await tv.click('button[type=submit]');
    // An officer cannot pair a display.
    await tv.waitForSelector('[data-testid=error][data-code=FORBIDDEN]');
    await tv.fill('input[name=username]', 'admin');
    await tv.fill('input[name=password]', ADMIN_PASSWORD);
    await screenshot(tv, 'display-pairing');
    await tv.click('button[type=submit]');
    await tv.waitForSelector('[data-testid=display]:not([data-seq=""])');
    // Only the device token is kept, never the admin's.
    const stored = await tv.evaluate(() => Object.keys(localStorage));
    expect(stored).toEqual(['luot.display.token']);
  });

  it('recovers the same state on both pages after the server is killed and restarted', async () => {
    await openCounter(counter, server.url, 'canbo1', 1);
    const adminToken = await server.signInAdmin();
    const land = (await server.serviceIds()).land;
    for (let i = 0; i < 3; i++) expect((await server.api('POST', '/tickets', adminToken, { serviceId: land })).status).toBe(201);
    await clickAction(counter, 'call-next');
    await waitForText(tv, '[data-testid=serving-1]', '1001');
    await waitForText(tv, '[data-testid=tv-waiting-land]', '2');
    const seqBefore = await tv.getAttribute('[data-testid=display]', 'data-seq');

    await server.stop('SIGKILL');
    await tv.waitForSelector('[data-testid=connection-banner][data-status=disconnected]', { timeout: 10_000 });
    await counter.waitForSelector('[data-testid=connection-banner][data-status=disconnected]', { timeout: 10_000 });
    expect(await textOf(tv, '[data-testid=connection-banner]')).toContain('Mất kết nối máy chủ — đang kết nối lại…');
    await screenshot(tv, 'display-disconnected');
    await screenshot(counter, 'counter-disconnected');

    await server.start();
    await tv.waitForSelector('[data-testid=connection-banner]', { state: 'detached', timeout: 15_000 });
    await counter.waitForSelector('[data-testid=connection-banner]', { state: 'detached', timeout: 15_000 });
    // The same state as before the cut, from the server's database.
    // seq is stored, so it carries on from where it was (the server may log events of its own
    // at start-up, so it can be higher, never lower).
    expect(Number(await tv.getAttribute('[data-testid=display]', 'data-seq'))).toBeGreaterThanOrEqual(Number(seqBefore));
    expect(await textOf(tv, '[data-testid=serving-1]')).toBe('1001');
    expect(await textOf(tv, '[data-testid=tv-waiting-land]')).toBe('2');
    expect(await textOf(counter, '[data-testid=current-number]')).toBe('1001');
    expect(await counter.$$eval('[data-testid=waiting-list] li', (els) => els.map((e) => e.getAttribute('data-number')))).toEqual(['1002', '1003']);

    // And it is live again: the next call reaches the TV.
    await clickAction(counter, 'call-next');
    await waitForText(tv, '[data-testid=serving-1]', '1002', 2000);
    await waitForText(counter, '[data-testid=current-number]', '1002');
  });
});
