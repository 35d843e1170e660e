import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../server/src/bootstrap.js';
import { openDatabase, type Db } from '../../server/src/db/open.js';
import { seedDemoIfEmpty } from '../../server/src/demo/seed-demo.js';
import { createServer, type LuotServer } from '../../server/src/server.js';
import { parseWav, wavFile } from '../../server/src/voice/wav.js';
import { ADMIN_PASSWORD, tempDataDir } from '../../server/test/helpers/test-server.js';
// Brings the page's window.__luotStudioPlayed into the types.
import type { PlayedClip } from '../src/admin/voice-studio/player.js';
import { openDisplay, playedClips, screenshot, SCREENSHOTS } from './browser.js';

/**
 * Issue 15, the center's own voice, in Chromium against the real server: a word recorded in the
 * admin's voice studio from a (fake) microphone, trimmed and evened, heard in a whole call, then
 * installed; the TV, open all along, fetches the new clip for its next call. Then the voice
 * exported as one file, removed, and imported back. The microphone is Chromium's fake capture
 * device playing a WAV written here: room noise, a voice-like tone, room noise, on a loop.
 */

const MIC_RATE = 48000;
/** The fake microphone's loop: 1 s of room noise, a 0.6 s "word", 1.4 s of room noise. */
function fakeMicrophone(): Int16Array {
  let seed = 11;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  const total = Math.round(3 * MIC_RATE);
  const wordFrom = MIC_RATE;
  const wordTo = Math.round(1.6 * MIC_RATE);
  return Int16Array.from({ length: total }, (_, i) => {
    let v = noise() * 0.002; // about -65 dBFS
    if (i >= wordFrom && i < wordTo) {
      const t = (i - wordFrom) / MIC_RATE;
      const envelope = Math.min(1, t / 0.03, (wordTo - i) / MIC_RATE / 0.05);
      v += envelope * 0.12 * (Math.sin(2 * Math.PI * 160 * t) + 0.5 * Math.sin(2 * Math.PI * 320 * t) + 0.3 * Math.sin(2 * Math.PI * 480 * t));
    }
    return Math.round(Math.max(-1, Math.min(1, v)) * 32767);
  });
}

interface VoiceTestServer {
  url: string;
  server: LuotServer;
  db: Db;
  dataDir: string;
  voiceDir: string;
  displayToken: string;
  kioskToken: string;
  api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  login(username: string, password: string): Promise<string>;
}

/** The real server with a voice folder, as main.ts starts it (the test helper has no voiceDir). */
async function startServer(): Promise<VoiceTestServer> {
  const dataDir = tempDataDir();
  const voiceDir = join(dataDir, 'voice');
  mkdirSync(join(voiceDir, 'vi'), { recursive: true });
  const db = openDatabase(join(dataDir, 'luot.sqlite'));
  const server = await createServer({ db, voiceDir, kioskRateLimit: null, maxSocketsPerAddress: 1000 });
  await ensureAdmin(server.ctx.repos, ADMIN_PASSWORD, Date.now());
  const links = await seedDemoIfEmpty(server.ctx.repos, server.ctx.tokens, Date.now());
  const url = await server.listen(0, '127.0.0.1');
  const api: VoiceTestServer['api'] = async (method, path, token, body) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  const login = async (username: string, password: string) => {
    const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    return ((await res.json()) as { token: string }).token;
  };
  return { url, server, db, dataDir, voiceDir, displayToken: links!.displayToken, kioskToken: links!.kioskToken, api, login };
}

let srv: VoiceTestServer;
let browser: Browser;
let micFile: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let officer: string;
let landService: number;
let previous: string | null = null;

async function newPage(opts: { acceptDownloads?: boolean } = {}): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...opts });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return page;
}

/** A ticket issued at the kiosk and called at counter 1; returns its number. */
async function callOne(): Promise<string> {
  expect((await srv.api('POST', '/tickets', srv.kioskToken, { serviceId: landService })).status).toBe(201);
  const r = await srv.api('POST', '/counters/1/call-next', officer, { expectTicketId: previous });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  previous = r.body.ticket.id;
  return r.body.ticket.number as string;
}

async function openStudio(page: Page, base = srv.url): Promise<void> {
  await page.goto(`${base}/admin#voice`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=voice-studio]');
}

const onDisk = (clip: string) => new Uint8Array(readFileSync(join(srv.voiceDir, 'vi', `${clip}.wav`)));

beforeAll(async () => {
  const tmp = tempDataDir();
  micFile = join(tmp, 'fake-microphone.wav');
  writeFileSync(micFile, wavFile(fakeMicrophone(), MIC_RATE));
  srv = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      // A microphone that plays our file, and no permission prompt for it.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${micFile}`,
      // A LAN-like name for the same server: http on a name that is not localhost is not a
      // secure context, as a center's http://192.168.x.y would be (only loopback is used here).
      '--host-resolver-rules=MAP luot-server.lan 127.0.0.1',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  officer = await srv.login('canbo1', 'demo');
  expect((await srv.api('POST', '/counters/1/open', officer)).status).toBe(200);
  const services = (await (await fetch(`${srv.url}/api/v1/services`)).json()) as { id: number; code: string }[];
  landService = services.find((s) => s.code === 'land')!.id;
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await srv?.server.close();
  srv?.db.close();
  if (srv) rmSync(srv.dataDir, { recursive: true, force: true });
  if (micFile) rmSync(join(micFile, '..'), { recursive: true, force: true });
});

describe('the voice studio (issue 15)', () => {
  let tv: Page;
  let admin: Page;
  /** Every clip response the TV got: URL, type, and the bytes. */
  const tvClips: { url: string; type: string; body: Promise<Buffer> }[] = [];

  it('records a word from the microphone, trims and evens it, plays a whole call with it, installs it; the open TV reads the next call with it', async () => {
    tv = await newPage();
    tv.on('response', (r: Response) => {
      if (new URL(r.url()).pathname.startsWith('/voice/vi/')) tvClips.push({ url: r.url(), type: r.headers()['content-type'] ?? '', body: r.body() });
    });
    await openDisplay(tv, srv.url, srv.displayToken);

    // Before: the TV reads a call with the built-in intro.
    const first = await callOne();
    await tv.waitForFunction(() => (window.__luotAnnouncements ?? []).includes('to-counter'), undefined, { timeout: 20_000 });
    const builtIn = tvClips.filter((c) => new URL(c.url).pathname === '/voice/vi/intro.ogg');
    expect(builtIn.length, `TV fetched intro for ${first}`).toBe(1);
    expect(builtIn[0]?.type).toMatch(/^audio\/ogg/);

    admin = await newPage();
    await openStudio(admin);
    expect(await admin.$('[data-testid=mic-notice]')).toBeNull();
    const version0 = await admin.getAttribute('[data-testid=voice-studio]', 'data-version');
    // The walk-through starts with the intro phrase, built-in for now.
    await admin.waitForSelector('[data-testid=clip-panel][data-clip=intro][data-state=built-in]');
    expect(await admin.textContent('[data-testid=clip-word]')).toBe('Mời công dân có số thứ tự');

    await admin.click('[data-testid=clip-panel] [data-action=record]');
    await admin.waitForSelector('[data-testid=clip-panel][data-phase=recording]');
    // The take stops by itself once the "word" has been heard and the room is quiet again.
    await admin.waitForSelector('[data-testid=level][data-heard=true]', { timeout: 10_000 });
    await admin.waitForSelector('[data-testid=clip-panel][data-phase=idle][data-state=draft]', { timeout: 15_000 });
    await admin.waitForSelector('[data-testid=clip-item][data-clip=intro][data-state=draft]');
    const report = await admin.textContent('[data-testid=take-report]');
    expect(report).toMatch(/đã cắt [\d,]+ s im lặng ở đầu/);
    expect(await admin.getAttribute('[data-testid=take-report]', 'data-warnings')).toBe('0');

    // A whole call, "1023 đến quầy 2": chime and numbers built-in, the intro from the new take.
    await admin.click('[data-action=preview]');
    const call = ['chime', 'intro', 'mootj', 'nghinf', 'khoong', 'trawm', 'hai', 'muwowi', 'ba', 'to-counter', 'hai'];
    await admin.waitForFunction((n) => (window.__luotStudioPlayed ?? []).length >= n, call.length, { timeout: 20_000 });
    const played: PlayedClip[] = await admin.evaluate(() => window.__luotStudioPlayed ?? []);
    expect(played.map((p) => p.clip)).toEqual(call);
    expect(played.find((p) => p.clip === 'intro')?.source).toBe('draft');
    expect(played.find((p) => p.clip === 'ba')?.source).toBe('built-in');
    await admin.waitForSelector('[data-action=preview]:not([disabled])', { timeout: 20_000 });
    await screenshot(admin, 'voice-studio');

    await admin.click('[data-action=install]');
    await admin.waitForSelector('[data-testid=voice-notice]');
    expect(await admin.textContent('[data-testid=voice-notice]')).toMatch(/Đã cài đặt 1 đoạn ghi âm/);
    await admin.waitForSelector('[data-testid=clip-item][data-clip=intro][data-state=custom]');
    const version1 = await admin.getAttribute('[data-testid=voice-studio]', 'data-version');
    expect(version1).not.toBe(version0);

    // On disk: a valid WAV, trimmed (shorter than the 3 s loop it was cut from, longer than the word).
    const installed = onDisk('intro');
    const info = parseWav(installed);
    expect(info.sampleRate).toBe(24000);
    expect(info.durationMs).toBeGreaterThan(550);
    expect(info.durationMs).toBeLessThan(1200);

    // The TV, not reloaded, fetches the new intro for its next call, and gets the center's WAV.
    const before = tvClips.length;
    await callOne();
    await tv.waitForFunction(() => (window.__luotAnnouncements ?? []).filter((c) => c === 'to-counter').length >= 2, undefined, { timeout: 20_000 });
    const fresh = tvClips.slice(before).filter((c) => new URL(c.url).pathname === '/voice/vi/intro.ogg');
    expect(fresh.length).toBe(1);
    expect(new URL(fresh[0]!.url).searchParams.get('v')).toBe(version1);
    expect(fresh[0]!.type).toMatch(/^audio\/(wav|wave|x-wav)/);
    expect(new Uint8Array(await fresh[0]!.body)).toEqual(installed);
    expect((await playedClips(tv)).filter((c) => c === 'intro')).toHaveLength(2);
  });

  it('exports the voice as one file, goes back to the built-in voice, and imports the file again', async () => {
    const installed = onDisk('intro');
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.click('[data-action=export]')]);
    expect(download.suggestedFilename()).toMatch(/^luot-giong-doc-vi-\d{4}-\d{2}-\d{2}\.json$/);
    const file = join(srv.dataDir, download.suggestedFilename());
    await download.saveAs(file);
    const pack = JSON.parse(readFileSync(file, 'utf8'));
    expect(pack).toMatchObject({ format: 'luot-voice', version: 1, lang: 'vi' });
    expect(Object.keys(pack.clips)).toEqual(['intro']);
    expect(new Uint8Array(Buffer.from(pack.clips.intro.wav, 'base64'))).toEqual(installed);

    admin.once('dialog', (d) => void d.accept());
    await admin.click('[data-action=reset]');
    await admin.waitForSelector('[data-testid=clip-item][data-clip=intro][data-state=built-in]');
    expect(() => onDisk('intro')).toThrow();

    await admin.setInputFiles('[data-testid=import-file]', file);
    await admin.waitForSelector('[data-testid=clip-item][data-clip=intro][data-state=draft]');
    expect(await admin.textContent('[data-testid=voice-notice]')).toMatch(/Đã nạp 1 đoạn ghi âm/);
    await admin.click('[data-action=install]');
    await admin.waitForSelector('[data-testid=clip-item][data-clip=intro][data-state=custom]');
    expect(onDisk('intro')).toEqual(installed);
  });

  it('takes a file recorded elsewhere for a word', async () => {
    await admin.click('[data-testid=clip-item][data-clip=hai]');
    await admin.waitForSelector('[data-testid=clip-panel][data-clip=hai]');
    const file = join(srv.dataDir, 'hai-from-a-phone.wav');
    writeFileSync(file, wavFile(fakeMicrophone(), MIC_RATE));
    await admin.setInputFiles('[data-testid=clip-file]', file);
    await admin.waitForSelector('[data-testid=clip-panel][data-clip=hai][data-state=draft][data-phase=idle]');
    expect(await admin.getAttribute('[data-testid=take-report]', 'data-warnings')).toBe('0');
    await admin.click('[data-action=install]');
    await admin.waitForSelector('[data-testid=clip-item][data-clip=hai][data-state=custom]');
    // Trimmed from the 3 s file to the word and its pads.
    expect(parseWav(onDisk('hai')).durationMs).toBeLessThan(1200);
  });

  it('on a LAN address over plain http, says why the microphone is off and how to record; uploads still work', async () => {
    const page = await newPage();
    const lan = srv.url.replace('127.0.0.1', 'luot-server.lan');
    await openStudio(page, lan);
    await page.waitForSelector('[data-testid=mic-notice][data-reason=insecure]');
    const notice = await page.textContent('[data-testid=mic-notice]');
    expect(notice).toContain('Không dùng được micro trên trang này');
    expect(notice).toContain(`http://localhost:${new URL(srv.url).port}/admin#voice`);
    expect(notice).toContain('chrome://flags/#unsafely-treat-insecure-origin-as-secure');
    expect(notice).toContain(lan);
    expect(await page.isDisabled('[data-testid=clip-panel] [data-action=record]')).toBe(true);
    expect(await page.isDisabled('[data-testid=clip-panel] [data-action=upload]')).toBe(false);
    await screenshot(page, 'voice-studio-insecure');
  });

  it('threw no error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
