import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The pages' side of sign-out (issue 12), in real Chromium against the real server and the built
 * pages (apps/counter-display: `pnpm --dir apps/counter-display run build:assets`): the sign-out
 * buttons end the token on the server, not only in the browser; the users page signs a person
 * out everywhere and says how many sessions ended; a look-alike username is refused with the
 * server's reason. (Here rather than in counter-display/e2e: it tests the security contract of
 * the server's pages; the browser is driven with playwright-core directly.)
 */
const built = existsSync(fileURLToPath(new URL('../../../counter-display/dist/index.html', import.meta.url)));
let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}
const canUse = async (token: string) => (await s.api('GET', '/counters', { token })).status;
/** Polls until the token no longer works (the page's sign-out request runs in the background). */
async function becomesInvalid(token: string) {
  for (const end = Date.now() + 5000; (await canUse(token)) !== 401; ) {
    if (Date.now() > end) throw new Error('the token still works');
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function signInAdmin(page: Page): Promise<string> {
  await page.goto(`${s.url}/admin`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=admin]');
  const session = JSON.parse((await page.evaluate('sessionStorage.getItem("luot.admin.session")')) as string) as { token: string };
  return session.token;
}

beforeAll(async () => {
  if (!built) throw new Error('build the pages first: pnpm --dir apps/counter-display run build:assets');
  s = await startTestServer();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await s?.close();
});

describe('sign-out on the pages ends the token on the server', () => {
  it('the admin page: "Đăng xuất" ends the admin token, not only the tab', async () => {
    const page = await newPage();
    const token = await signInAdmin(page);
    expect(await canUse(token)).toBe(200);
    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('input[name=username]');
    await becomesInvalid(token);
  });

  it('the counter page: "Đăng xuất" ends the officer token', async () => {
    const page = await newPage();
    await page.goto(`${s.url}/counter`);
    await page.fill('input[name=username]', 'canbo3');
    await page.fill('input[name=password]', 'demo');
    await page.click('button[type=submit]');
    await page.waitForSelector('.counter-choice[data-counter="3"]');
    await page.click('.counter-choice[data-counter="3"]');
    await page.waitForSelector('.desk[data-counter="3"][data-state="open"]');
    const session = JSON.parse((await page.evaluate('localStorage.getItem("luot.counter.session")')) as string) as { token: string };
    expect(await canUse(session.token)).toBe(200);
    await page.click('.desk .who button');
    await page.waitForSelector('input[name=username]');
    await becomesInvalid(session.token);
  });
});

describe('the users page', () => {
  it('"Đăng xuất khỏi mọi thiết bị" signs a person out everywhere and says how many sessions ended', async () => {
    const tablet = await s.login('canbo2');
    const phone = await s.login('canbo2');
    const page = await newPage();
    await signInAdmin(page);
    await page.click('a[data-tab=users]');
    await page.waitForSelector('[data-testid=user-revoke-canbo2]');
    await page.click('[data-testid=user-revoke-canbo2]');
    const status = await page.waitForSelector('[data-testid=sessions-revoked]');
    const text = (await status.textContent()) ?? '';
    expect(text).toContain('Đã đăng xuất canbo2 khỏi mọi thiết bị (2 phiên).');
    expect(text).toContain('canbo2 is signed out everywhere (2 sessions).');
    expect([await canUse(tablet), await canUse(phone)]).toEqual([401, 401]);
  });

  it('a look-alike username is refused with the server\'s reason (409 USERNAME_CONFUSABLE)', async () => {
    const page = await newPage();
    await signInAdmin(page);
    await page.click('a[data-tab=users]');
    // "аdmin" with a Cyrillic а.
    await page.fill('[data-testid=user-form] input[name=username]', '\u0430dmin');
    await page.fill('[data-testid=user-form] input[name=password]', 'mat-khau-1');
    await page.click('[data-testid=user-create]');
    const error = await page.waitForSelector('[data-testid=user-form] [data-testid=error][data-code=USERNAME_CONFUSABLE]');
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('Tên đăng nhập này quá giống một tên đã có.');
    expect(text).toContain('looks like "admin"');
    expect(await page.textContent('[data-testid=username-confusable-hint]')).toContain('Hãy chọn một tên khác hẳn.');
    expect((await s.api('GET', '/admin/users', { token: s.adminToken })).body.map((u: { username: string }) => u.username)).not.toContain('\u0430dmin');
  });
});
