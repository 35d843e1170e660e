import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { openDisplay, screenshot } from './browser.js';

/**
 * A TV browser started WITHOUT the autoplay flag: the page must not pretend to speak, must show
 * the one-time "Bật âm thanh / Enable sound" button, and must speak after the tap.
 */
let srv: TestServer;
let browser: Browser;

beforeAll(async () => {
  [srv, browser] = await Promise.all([
    startTestServer(),
    chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

it('asks for one tap before it makes sound, then announces', async () => {
  const tv = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await openDisplay(tv, srv.url, srv.displayToken);
  await tv.waitForSelector('[data-testid=enable-sound]');
  await screenshot(tv, 'display-sound-blocked');

  await tv.click('[data-testid=enable-sound]');
  await tv.waitForSelector('[data-testid=enable-sound]', { state: 'detached' });

  const services = (await srv.api('GET', '/services')).body as { id: number; code: string }[];
  const cert = services.find((s) => s.code === 'certification')?.id;
  expect((await srv.api('POST', '/tickets', { token: srv.kioskToken, body: { serviceId: cert } })).status).toBe(201);
  const officer = await srv.login('canbo3');
  expect((await srv.api('POST', '/counters/3/open', { token: officer })).status).toBe(200);
  const called = await srv.api('POST', '/counters/3/call-next', { token: officer });
  expect(called.body.ticket.number).toBe('3001');
  // "ba nghìn không trăm linh một ... đến quầy số ba"
  await tv.waitForFunction(() => (window.__luotAnnouncements ?? []).at(-1) === 'ba' && (window.__luotAnnouncements ?? []).includes('to-counter'), undefined, { timeout: 10_000 });
  expect(await tv.evaluate(() => window.__luotAnnouncements)).toEqual(['chime', 'intro', 'ba', 'nghinf', 'khoong', 'trawm', 'linh', 'mootj', 'to-counter', 'ba']);
});
