import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, freePort, spawnServer, tempDataDir } from '../../server/test/helpers/test-server.js';
import { startDropProxy, type DropProxy } from './drop-proxy.js';
import { launchChromium } from './harness.js';

/**
 * Issue 10: one kiosk tap gives exactly one ticket, whatever is lost on the way. The kiosk page
 * (plain Chromium, the server prints) talks to the built server through a loopback proxy of the
 * test's own that lets the request reach the server and then swallows the answer: the ticket
 * exists, the kiosk heard nothing. The kiosk must retry with the same Idempotency-Key and show
 * the ticket the server issued, and the server must answer the retry with that same ticket,
 * also when it was restarted (or crashed) between the try and the retry.
 *
 * The server's own SQLite file is the judge of how many tickets exist.
 */
let browser: Browser;
let child: ChildProcess | undefined;
let url = '';
let port = 0;
const dataDir = tempDataDir();
let proxy: DropProxy;
let kioskToken = '';
let adminToken = '';
const contexts: BrowserContext[] = [];

const ISSUE = (method: string, path: string) => method === 'POST' && path === '/api/v1/tickets';

const Database = createRequire(new URL('../../server/package.json', import.meta.url))('better-sqlite3') as new (
  file: string,
  opts: { readonly: boolean; fileMustExist: boolean },
) => { prepare<Row>(sql: string): { all(): Row[] }; close(): void };

/** Every ticket the server holds, straight from its SQLite file. */
function ticketsInDb(): { id: string; number: string; status: string }[] {
  const db = new Database(join(dataDir, 'luot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<{ id: string; number: string; status: string }>('SELECT id, number, status FROM tickets ORDER BY rowid').all();
  } finally {
    db.close();
  }
}

async function start(): Promise<void> {
  ({ child, url } = await spawnServer(dataDir, port));
}

async function stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const c = child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.kill(signal);
  });
}

async function ok(method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json = (await res.json()) as unknown;
  expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

/** The kiosk page, opened through the proxy: every request and its socket go through it. */
async function openKiosk(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, deviceScaleFactor: 0.5, hasTouch: true });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${proxy.url}/kiosk#token=${encodeURIComponent(kioskToken)}`);
  await page.waitForSelector('.kiosk[data-status=live] button.service[data-service=land]');
  expect(await page.evaluate(() => 'kiosk' in window)).toBe(false);
  return page;
}

/** The number the kiosk ends up showing; fails at once, with the kiosk's words, if it shows a refusal. */
async function shownNumber(page: Page, timeout = 30_000): Promise<string> {
  const number = page.waitForSelector('[data-testid=ticket-number]', { timeout }).then(async (e) => `number ${(await e.textContent())?.trim()}`);
  const failed = page.waitForSelector('[data-testid=ticket-failed]', { timeout }).then(async (e) => `failed ${(await e.textContent())?.trim()}`);
  const first = await Promise.race([number, failed]);
  number.catch(() => {});
  failed.catch(() => {});
  if (!first.startsWith('number ')) throw new Error(`the kiosk shows a failure instead of the ticket: "${first.slice(7)}"; proxy saw ${proxyLog(proxy)}`);
  return first.slice(7);
}

function proxyLog(p: DropProxy): string {
  return JSON.stringify(p.matched.map((r) => ({ fate: r.fate, key: r.idempotencyKey, status: r.status, ticket: r.body ? (JSON.parse(r.body) as { number?: string }).number : undefined })));
}

/** The server's answers to the kiosk's issue requests: which ticket each one named. */
function answeredTickets(): string[] {
  return proxy.matched.filter((r) => r.body !== undefined && r.status === 201).map((r) => (JSON.parse(r.body!) as { id: string }).id);
}

beforeAll(async () => {
  port = await freePort();
  [browser] = await Promise.all([launchChromium(), start()]);
  adminToken = (await ok('POST', '/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD })).token;
  kioskToken = (await ok('POST', '/devices', adminToken, { kind: 'kiosk', name: 'Kiosk e2e' })).token;
  proxy = await startDropProxy({ targetPort: port, match: ISSUE });
}, 60_000);

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => {});
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a kiosk whose answer is lost (issue 10)', () => {
  it('the answer to the first two tries is swallowed: one ticket on the server, and the kiosk shows its number', async () => {
    const page = await openKiosk();
    const before = ticketsInDb();
    proxy.clear();
    proxy.dropNext(2);

    await page.locator('button.service[data-service=land]').dispatchEvent('pointerdown');
    const number = await shownNumber(page);

    // The server issued exactly one ticket for the one tap, and that is the one on screen.
    const after = ticketsInDb();
    expect(after.length - before.length, `tickets issued for one tap; proxy saw ${proxyLog(proxy)}`).toBe(1);
    const ticket = after.at(-1)!;
    expect(number).toBe(ticket.number);
    expect(ticket.status).toBe('waiting');
    // The kiosk retried (two answers lost, so at least three tries), every time with the same key,
    // and the server named the same ticket every time it answered.
    expect(proxy.matched.filter((r) => r.fate === 'dropped')).toHaveLength(2);
    expect(proxy.matched.length).toBeGreaterThanOrEqual(3);
    expect(new Set(proxy.matched.map((r) => r.idempotencyKey)).size, proxyLog(proxy)).toBe(1);
    expect(proxy.matched[0]!.idempotencyKey).toBeTruthy();
    expect(new Set(answeredTickets())).toEqual(new Set([ticket.id]));
    // No number was used up by the retries: the next ticket of the service is the very next number.
    const land = ((await ok('GET', '/services')) as { id: number; code: string }[]).find((s) => s.code === 'land')!.id;
    const next = (await ok('POST', '/tickets', kioskToken, { serviceId: land })) as { number: string };
    expect(Number(next.number)).toBe(Number(ticket.number) + 1);
  }, 60_000);

  it('no answer at all to the first try (a timeout): the kiosk tries again with the same key and shows the one ticket', async () => {
    const page = await openKiosk();
    const before = ticketsInDb();
    proxy.clear();
    proxy.dropNext(1, { mode: 'hang' });

    await page.locator('button.service[data-service=certification]').dispatchEvent('pointerdown');
    const number = await shownNumber(page, 40_000);
    const after = ticketsInDb();
    expect(after.length - before.length, `tickets issued for one tap; proxy saw ${proxyLog(proxy)}`).toBe(1);
    expect(number).toBe(after.at(-1)!.number);
    expect(proxy.matched.length).toBeGreaterThanOrEqual(2);
    expect(new Set(proxy.matched.map((r) => r.idempotencyKey)).size, proxyLog(proxy)).toBe(1);
    expect(new Set(answeredTickets())).toEqual(new Set([after.at(-1)!.id]));
  }, 60_000);

  it('every answer lost: the kiosk gives up with a clear message, and its retries never issued a second ticket', async () => {
    const page = await openKiosk();
    const before = ticketsInDb();
    proxy.clear();
    proxy.dropNext(1000);

    await page.locator('button.service[data-service=land]').dispatchEvent('pointerdown');
    const failed = await page.waitForSelector('[data-testid=ticket-failed]', { timeout: 40_000 });
    const text = (await failed.textContent()) ?? '';
    proxy.dropNext(0);
    // Vietnamese first, then English: no number was taken, and what to do.
    expect(text).toMatch(/Chưa lấy được số|Máy chủ không trả lời/);
    expect(text).toMatch(/try again|ask a staff member/i);
    expect(await page.getByTestId('ticket-number').count()).toBe(0);
    // However many tries, one key and one ticket on the server.
    expect(proxy.matched.length, proxyLog(proxy)).toBeGreaterThanOrEqual(3);
    expect(new Set(proxy.matched.map((r) => r.idempotencyKey)).size, proxyLog(proxy)).toBe(1);
    const after = ticketsInDb();
    expect(after.length - before.length, `tickets issued for one tap; proxy saw ${proxyLog(proxy)}`).toBe(1);
    expect(new Set(answeredTickets())).toEqual(new Set([after.at(-1)!.id]));
  }, 60_000);

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`the answer is swallowed and the server is ${signal === 'SIGTERM' ? 'restarted' : 'killed and started again'} before the retry: still one ticket, shown on the kiosk`, async () => {
      const page = await openKiosk();
      const before = ticketsInDb();
      proxy.clear();
      // The first answer is lost; every later try waits at the proxy until the server is back.
      proxy.dropNext(1, { thenHold: true });

      await page.locator('button.service[data-service=civil-status]').dispatchEvent('pointerdown');
      await proxy.waitFor((m) => m.some((r) => r.fate === 'dropped'), 15_000);
      const issued = ticketsInDb();
      expect(issued.length - before.length).toBe(1);
      const ticket = issued.at(-1)!;

      await stop(signal);
      await start();
      proxy.release();

      const number = await shownNumber(page);
      const after = ticketsInDb();
      expect(after.length - before.length, `tickets issued for one tap across a ${signal} restart; proxy saw ${proxyLog(proxy)}`).toBe(1);
      expect(number).toBe(ticket.number);
      expect(after.at(-1)).toEqual(ticket);
      expect(new Set(proxy.matched.map((r) => r.idempotencyKey)).size, proxyLog(proxy)).toBe(1);
      expect(new Set(answeredTickets())).toEqual(new Set([ticket.id]));
      // The retry reached the restarted server and was answered by it.
      expect(proxy.matched.some((r) => r.fate === 'forwarded' && r.status === 201)).toBe(true);
    }, 60_000);
  }
});
