import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../server/src/bootstrap.js';
import { CHECK_IN_LOG_REDACT } from '../../server/src/checkin/redact.js';
import { openDatabase, type Db } from '../../server/src/db/open.js';
import { seedDemoIfEmpty } from '../../server/src/demo/seed-demo.js';
import { closeLogger, createLogger } from '../../server/src/ops/logging.js';
import { purgeCheckIns } from '../../server/src/ops/retention.js';
import { createBatchReader } from '../../server/src/province/batch.js';
import { createServer, type LuotServer } from '../../server/src/server.js';
import { ADMIN_PASSWORD, tempDataDir } from '../../server/test/helpers/test-server.js';
import { clickAction, launchBrowser, openCounter, openDisplay, textOf, waitForText } from './browser.js';

/**
 * Issue 16 end to end, every part real: the built kiosk, counter desk, TV and phone pages in
 * Chromium, the server with its SQLite file and a log file at trace level (with the redaction
 * main.ts uses). Citizens check in at the kiosk with their ID card's QR, typed as a scanner does;
 * the counter officer sees the name, the year of birth and the returning count; then every frame
 * every page's socket received, every page's text, the log file, the CSV and Excel exports and the
 * province batch are searched for the names and ID numbers, and hold none; the nightly retention
 * (on a clock set to the next day) removes the names. Every person here is invented.
 */
/** The server's own Excel reader (a dependency of apps/server, resolved from there). */
const readXlsxFile = createRequire(new URL('../../server/package.json', import.meta.url))('read-excel-file/node') as (b: Buffer) => Promise<unknown>;

const THO_QR = '001050012345||NGUYỄN VĂN THỌ|15031950|Nam|Số 12 ngõ 34 phố Hàng Bông, Hoàn Kiếm, Hà Nội|10052021';
const NGOC_QR = '079190004567|012345678|Trần Thị Bích Ngọc|02071990|Nữ|45/6 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh|20032022';
/** What must appear nowhere but the kiosk (while greeting) and the counter desk (while serving). */
const SECRETS = ['Thọ', 'THỌ', '001050012345', 'Bích Ngọc', 'BÍCH NGỌC', '079190004567', '012345678', 'Hàng Bông', 'Lê Lợi', '15031950', '02071990'];

let dataDir: string;
let db: Db;
let server: LuotServer;
let url: string;
let logFile: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const frames: Record<string, string[]> = {};
const rawDisplay: string[] = [];
let rawSocket: Socket;
let kiosk: Page;
let counter: Page;
let tv: Page;
const pageErrors: string[] = [];
const tickets: { id: string; number: string; priority: number }[] = [];

/** A page whose every received WebSocket frame is kept under `name`. */
async function newPage(name: string, viewport: { width: number; height: number }, mobile = false): Promise<Page> {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', hasTouch: true, isMobile: mobile });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(8000);
  frames[name] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames[name]!.push(String(f.payload))));
  page.on('pageerror', (e) => pageErrors.push(`${name}: ${String(e)}`));
  return page;
}

/**
 * Types `text` as a keyboard-mode scanner does, then Enter: one keydown and keyup per character,
 * 3 ms apart by the scanner's clock, sent through the DevTools protocol all at once and in order
 * (the same helper as apps/kiosk/e2e/cccd-kiosk.test.ts, which says why not page.keyboard.type).
 */
async function scannerTypes(page: Page, text: string): Promise<void> {
  const gap = 0.003;
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    let t = Date.now() / 1000 - ([...text].length + 1) * gap;
    const sends: Promise<unknown>[] = [];
    const key = (k: string, txt: string, named: { code: string; windowsVirtualKeyCode: number } | null = null) => {
      t += gap;
      sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k, text: txt, unmodifiedText: txt, timestamp: t, ...named }));
      sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k, timestamp: t + gap / 2, ...named }));
    };
    for (const ch of text) key(ch, ch);
    key('Enter', '\r', { code: 'Enter', windowsVirtualKeyCode: 13 });
    await Promise.all(sends);
  } finally {
    await cdp.detach();
  }
}

const lastTicket = () => db.prepare('SELECT id, number, priority FROM tickets ORDER BY rowid DESC LIMIT 1').get() as { id: string; number: string; priority: number };

/** At the kiosk: scan, see the greeting, tap the service, see the number; back home. */
async function checkIn(qr: string, service: string, greeting: string): Promise<{ id: string; number: string; priority: number }> {
  await scannerTypes(kiosk, qr);
  await waitForText(kiosk, '[data-testid=greeting] .bi-main', greeting);
  await kiosk.locator(`[data-service="${service}"]`).dispatchEvent('pointerdown');
  await kiosk.getByTestId('ticket-number').waitFor();
  const t = lastTicket();
  expect(await textOf(kiosk, '[data-testid=ticket-number]')).toBe(t.number);
  tickets.push(t);
  await kiosk.getByTestId('done').dispatchEvent('pointerdown');
  await kiosk.getByTestId('home').waitFor();
  return t;
}

beforeAll(async () => {
  dataDir = tempDataDir();
  logFile = join(dataDir, 'logs', 'luot.log');
  db = openDatabase(join(dataDir, 'luot.sqlite'));
  // The logger main.ts makes (file sink, redaction), at the most talkative level.
  const logger = createLogger({ logFile, logKeep: 2 }, { level: 'trace', redact: ['req.headers.authorization', 'password', 'token', ...CHECK_IN_LOG_REDACT] });
  server = await createServer({ db, logger, kioskRateLimit: null });
  await ensureAdmin(server.ctx.repos, ADMIN_PASSWORD, Date.now());
  // As scripts/start seeds it: no printer, so the kiosk shows each number on screen.
  const links = (await seedDemoIfEmpty(server.ctx.repos, server.ctx.tokens, Date.now(), { noPrinter: true }))!;
  url = await server.listen(0, '127.0.0.1');
  browser = await launchBrowser();
  rawSocket = io(url, { auth: { token: links.displayToken }, transports: ['websocket'], reconnection: false });
  rawSocket.onAny((event: string, ...args: unknown[]) => rawDisplay.push(JSON.stringify({ event, args })));

  kiosk = await newPage('kiosk', { width: 1080, height: 1920 });
  counter = await newPage('counter', { width: 1280, height: 900 });
  tv = await newPage('tv', { width: 1920, height: 1080 });
  await kiosk.goto(`${url}/kiosk#token=${links.kioskToken}`);
  await kiosk.getByTestId('check-in-notice').waitFor();
  await Promise.all([openCounter(counter, url, 'canbo1', 1), openDisplay(tv, url, links.displayToken)]);
});

afterAll(async () => {
  rawSocket?.close();
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  await closeLogger(server?.ctx.logger).catch(() => undefined);
  db?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ID-card check-in, kiosk to counter, and where the name never goes', () => {
  it('the kiosk issues a PRIORITY ticket for a citizen born in 1950 and a NORMAL one for 1990 (on the server)', async () => {
    const old = await checkIn(THO_QR, 'land', 'Xin chào Ông Nguyễn Văn Thọ');
    expect(old.priority).toBe(1);
    const young = await checkIn(NGOC_QR, 'civil-status', 'Xin chào Bà Trần Thị Bích Ngọc');
    expect(young.priority).toBe(0);
  });

  it('the counter desk shows the called citizen’s name, year of birth and returning count', async () => {
    // The priority ticket is called first: Mr Thọ, his first visit for land.
    await clickAction(counter, 'call-next');
    await waitForText(counter, '[data-testid=current-number]', tickets[0]!.number);
    await waitForText(counter, '[data-testid=citizen-name]', 'Ông Nguyễn Văn Thọ');
    expect(await textOf(counter, '[data-testid=citizen-year] .vi')).toBe('Sinh năm 1950');
    expect(await textOf(counter, '[data-testid=citizen-visits] .vi')).toBe('Lần đầu đến cho lĩnh vực này trong 30 ngày qua');
    // The TV calls the number, never the name.
    await waitForText(tv, '[data-testid=serving-1]', tickets[0]!.number);

    await clickAction(counter, 'complete');
    await counter.waitForSelector('[data-testid=citizen-card]', { state: 'detached' });
    await clickAction(counter, 'call-next');
    await waitForText(counter, '[data-testid=citizen-name]', 'Bà Trần Thị Bích Ngọc');
    expect(await textOf(counter, '[data-testid=citizen-year] .vi')).toBe('Sinh năm 1990');

    // He comes back the same day for the same dossier: the second visit says 2.
    const again = await checkIn(THO_QR, 'land', 'Xin chào Ông Nguyễn Văn Thọ');
    await clickAction(counter, 'complete');
    await clickAction(counter, 'call-next');
    await waitForText(counter, '[data-testid=current-number]', again.number);
    await waitForText(counter, '[data-testid=citizen-name]', 'Ông Nguyễn Văn Thọ');
    expect(await counter.getAttribute('[data-testid=citizen-card]', 'data-visits')).toBe('2');
    expect(await textOf(counter, '[data-testid=citizen-visits] .vi')).toBe('Lần thứ 2 đến cho lĩnh vực này trong 30 ngày qua');
  });

  it('every page’s text: the TV, the phone page, the kiosk after reset, the counter once done', async () => {
    await waitForText(tv, '[data-testid=serving-1]', tickets[2]!.number);
    const phone = await newPage('phone', { width: 360, height: 740 }, true);
    const texts: Record<string, string> = {};
    for (const t of tickets) {
      await phone.goto(`${url}/t/${t.id}`);
      await waitForText(phone, '[data-testid=number]', t.number);
      texts[`phone ${t.number}`] = await phone.evaluate(() => document.documentElement.outerHTML + document.body.innerText);
    }
    texts.tv = await tv.evaluate(() => document.documentElement.outerHTML + document.body.innerText);
    texts.kiosk = await kiosk.evaluate(() => document.documentElement.outerHTML + document.body.innerText);
    await clickAction(counter, 'complete');
    await counter.waitForSelector('[data-testid=citizen-card]', { state: 'detached' });
    texts.counter = await counter.evaluate(() => document.documentElement.outerHTML + document.body.innerText);
    for (const [page, text] of Object.entries(texts)) {
      for (const secret of SECRETS) expect(text.includes(secret), `${page} shows ${secret}`).toBe(false);
    }
    // The search looks at real pages: each shows the numbers.
    expect(texts.tv).toContain(tickets[2]!.number);
  });

  it('every frame every page’s socket received, and every event a display socket was sent', async () => {
    expect(Object.keys(frames).sort()).toEqual(['counter', 'kiosk', 'phone', 'tv']);
    for (const [page, list] of [...Object.entries(frames), ['raw display socket', rawDisplay] as const]) {
      const all = list.join('\n');
      expect(all, page).toContain(tickets[0]!.number);
      for (const secret of SECRETS) expect(all.includes(secret), `${page}'s socket received ${secret}`).toBe(false);
    }
    expect(pageErrors).toEqual([]);
  });

  it('the server’s log file (trace level), the CSV and Excel exports, the province batch', async () => {
    const admin = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const token = ((await admin.json()) as { token: string }).token;
    const day = db.prepare('SELECT business_day AS d FROM tickets LIMIT 1').get() as { d: string };
    const q = `from=${day.d}&to=${day.d}`;
    const csv = await fetch(`${url}/api/v1/admin/reports.csv?${q}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
    const xlsxRes = await fetch(`${url}/api/v1/admin/reports.xlsx?${q}`, { headers: { authorization: `Bearer ${token}` } });
    const sheets = JSON.stringify(await readXlsxFile(Buffer.from(new Uint8Array(await xlsxRes.arrayBuffer()))));
    const batch = JSON.stringify(createBatchReader(db).read({ centerUid: 'c-e2e', epoch: 1, ackSeq: 0, ratingCursor: 0, maxEvents: 500, heartbeat: true, now: Date.now() }));
    await closeLogger(server.ctx.logger);
    const logs = readdirSync(join(dataDir, 'logs'))
      .map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8'))
      .join('\n');
    const outputs: Record<string, string> = { csv, 'Excel export': sheets, 'province batch': batch, 'log file': logs };
    for (const [what, text] of Object.entries(outputs)) {
      for (const secret of SECRETS) expect(text.includes(secret), `${what} contains ${secret}`).toBe(false);
    }
    expect(csv).toContain('Đất đai');
    expect(sheets).toContain('Đất đai');
    expect(batch).toContain(`"number":"${tickets[0]!.number}"`);
    expect(logs).toContain(`"ticket":"${tickets[0]!.number}"`);
  });

  it('the nightly retention, on a clock set to the next day, removes the names; the counter then shows none', async () => {
    expect((db.prepare('SELECT count(*) AS n FROM checkin_citizens').get() as { n: number }).n).toBe(3);
    // The counter serves one more checked-in citizen, so a name is on its screen when the night comes.
    const last = await checkIn(NGOC_QR, 'land', 'Xin chào Bà Trần Thị Bích Ngọc');
    await clickAction(counter, 'call-next');
    await waitForText(counter, '[data-testid=current-number]', last.number);
    await counter.waitForSelector('[data-testid=citizen-card]');
    const tomorrow = Date.now() + 24 * 3600_000;
    const r = purgeCheckIns(db, { now: tomorrow, timeZone: 'Asia/Ho_Chi_Minh', nameDays: 0, visitorDays: 30 });
    expect(r.names).toBe(4);
    expect(db.prepare('SELECT count(*) AS n FROM checkin_citizens').get()).toEqual({ n: 0 });
    // The hashes stay for the returning count.
    expect((db.prepare('SELECT count(*) AS n FROM checkin_visits').get() as { n: number }).n).toBe(4);
    await counter.reload();
    await counter.waitForSelector(`.desk[data-counter="1"][data-state="open"]`);
    await waitForText(counter, '[data-testid=current-number]', last.number);
    expect(await counter.locator('[data-testid=citizen-card]').count()).toBe(0);
    expect(await counter.evaluate(() => document.body.innerText)).not.toContain('Ngọc');
  });
});
