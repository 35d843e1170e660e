import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { launchBrowser, textOf } from './browser.js';

/**
 * The center's admin sees its link to the province: a real center server shipping to a real
 * HTTP peer on loopback that first answers 503 (the province is down), then 401 (the key was
 * revoked). The dashboard card says so and counts the events not yet sent, without a reload.
 */
let srv: TestServer;
let province: Server;
let browser: Browser;
let admin: Page;
let answer = 503;
const requests: string[] = [];

beforeAll(async () => {
  province = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(answer, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: answer === 401 ? 'UNAUTHORIZED' : 'UNAVAILABLE', message: 'test peer', messageVi: 'máy thử' } }));
  });
  await new Promise<void>((r) => province.listen(0, '127.0.0.1', r));
  const port = (province.address() as AddressInfo).port;
  // A short backoff (passed through to the shipper's options) keeps the second test quick.
  const link = { url: `http://127.0.0.1:${port}`, key: 'k'.repeat(43), backoff: { baseMs: 200, capMs: 1000 } };
  srv = await startTestServer({ province: link });
  browser = await launchBrowser();
  admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await srv?.close();
  await new Promise((r) => province?.close(r));
});

describe('admin dashboard: province link', () => {
  it('shows the link retrying while the province is down, with the events not yet sent', async () => {
    const issued = await srv.api('POST', '/tickets', { token: srv.kioskToken, body: { serviceId: 1 } });
    expect(issued.status).toBe(201);
    await admin.goto(`${srv.url}/admin`);
    await admin.fill('input[name=username]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await admin.click('button[type=submit]');
    const card = await admin.waitForSelector('[data-testid=province-link][data-state=retrying]', { timeout: 20_000 });
    expect(Number(await card.getAttribute('data-behind'))).toBeGreaterThan(0);
    expect(await textOf(admin, '[data-testid=province-link]')).toContain('Mất liên lạc, đang thử lại');
    expect(requests.length).toBeGreaterThan(0);
  });

  it('says the province refused the data when the key is revoked', async () => {
    answer = 401;
    // The card reads the link every 15 s.
    await admin.waitForSelector('[data-testid=province-link][data-state=refused]', { timeout: 30_000 });
    expect(await textOf(admin, '[data-testid=province-link]')).toContain('Tỉnh từ chối dữ liệu');
  }, 45_000);
});
