import { buildAnnouncement } from '@luot/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import type { VoiceLogEntry } from '../src/announce/played-log.js';
import { launchBrowser, openDisplay, playedClips, screenshot, splitAnnouncements, textOf, waitForText } from './browser.js';

/**
 * Issue 10, the TV's voice when calls pile up, in Chromium against the real server: three calls
 * within a second, a recall, a network blip with a call made meanwhile, and the center's lag and
 * repeat settings set on the admin page. What the TV decided is read from its voice log
 * (window.__luotVoice: heard, start, end, drop, caption, snapshot, settings) and what it played
 * from its clip log (window.__luotAnnouncements), both written by the page itself.
 */
let srv: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const services: Record<string, number> = {};
const officers: Record<number, string> = {};
const pageErrors: string[] = [];

async function newPage(viewport = { width: 1920, height: 1080 }): Promise<Page> {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return page;
}

async function issue(code: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) expect((await srv.api('POST', '/tickets', { token: srv.kioskToken, body: { serviceId: services[code] } })).status).toBe(201);
}

/** Counter `n` calls its next citizen (through the API, as fast as an officer's desk); returns the number. */
async function callNext(n: number, expectTicketId: string | null): Promise<{ id: string; number: string }> {
  const r = await srv.api('POST', `/counters/${n}/call-next`, { token: officers[n], body: { expectTicketId } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.ticket as { id: string; number: string };
}

/**
 * The TV's socket through a relay the test can hold: while held, what the server sends the TV
 * waits, then goes on in order. A TV on a real network often hears a call after the officer's
 * desk has its answer (and on a busy machine, so does this one): holding makes that order
 * certain, so a wait that does not wait for the TV to hear the call fails every time.
 */
async function relayedSocket(page: Page): Promise<{ hold(): void; release(): void }> {
  let held: (() => void)[] | null = null;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => (held ? held.push(() => ws.send(m)) : ws.send(m)));
  });
  return {
    hold: () => {
      held ??= [];
    },
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const send of waiting) send();
    },
  };
}

const voiceLog = (page: Page): Promise<VoiceLogEntry[]> => page.evaluate(() => [...(window.__luotVoice ?? [])]);
const clipsOf = (number: string, counter: number) => ['chime', ...buildAnnouncement(number, counter).map((p) => p.clip)];
const tag = (e: VoiceLogEntry) => `${e.number}@${e.counter}${e.recall ? 'r' : ''}`;

/**
 * Waits until the TV has heard the calls `expected` (tags: '1002@1r') since log entry `from`,
 * every call it heard since then is dealt with (read to its end, cut or dropped) and it is silent
 * again; returns the log from `from` as it was when all that held.
 *
 * Both parts matter. The test's HTTP answer (the officer's desk) can come back before the TV has
 * its socket event, more often on a busy machine: a wait for "nothing open and silent" alone then
 * passed at once, before the call was heard, and a log read a moment later could catch the call
 * just heard and started but not yet ended. That was the recall test's "recall heard but not
 * read" seen once in a loaded full-suite run; the TV itself had read it whole. So the wait
 * names the calls it waits for, and the log is the one the check passed on, not a later read.
 */
async function settled(page: Page, from: number, expected: readonly string[], timeout = 30_000): Promise<VoiceLogEntry[]> {
  const handle = await page.waitForFunction(
    ([start, want]) => {
      const log = (window.__luotVoice ?? []).slice(start);
      const open = new Map<string, number>();
      const heard = new Map<string, number>();
      const key = (e: { number?: string; counter?: number; recall?: boolean }) => `${e.number}@${e.counter}${e.recall ? 'r' : ''}`;
      for (const e of log) {
        if (e.kind === 'heard') {
          open.set(key(e), (open.get(key(e)) ?? 0) + 1);
          heard.set(key(e), (heard.get(key(e)) ?? 0) + 1);
        }
        // Each call heard ends once: read ('end', also after a cut) or dropped before it started.
        if (e.kind === 'end' || (e.kind === 'drop' && e.detail !== 'cut')) open.set(key(e), (open.get(key(e)) ?? 0) - 1);
      }
      for (const t of want) heard.set(t, (heard.get(t) ?? 0) - 1);
      const allHeard = [...heard.values()].every((n) => n >= 0);
      const silent = document.querySelector('[data-testid=display]')?.getAttribute('data-speaking') === '';
      return allHeard && silent && [...open.values()].every((n) => n <= 0) && log;
    },
    [from, expected] as const,
    { timeout, polling: 100 },
  );
  return (await handle.jsonValue()) as VoiceLogEntry[];
}

/**
 * The caption never shows a number its counter has moved on from: at every caption change, the
 * number shown is the newest call heard for that counter.
 */
function expectCaptionsCurrent(log: readonly VoiceLogEntry[]): void {
  const newest = new Map<number, string>();
  for (const e of log) {
    if (e.kind === 'heard' && e.counter !== undefined && e.number) newest.set(e.counter, e.number);
    if (e.kind === 'caption' && e.number) expect(e.number, `caption at ${e.at}`).toBe(newest.get(e.counter as number));
  }
}

beforeAll(async () => {
  [srv, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  for (const s of (await srv.api('GET', '/services')).body as { id: number; code: string }[]) services[s.code] = s.id;
  for (const n of [1, 2, 3, 4]) {
    officers[n] = await srv.login(`canbo${n}`);
    expect((await srv.api('POST', `/counters/${n}/open`, { token: officers[n] })).status).toBe(200);
  }
  await issue('land', 4); // 1001-1004
  await issue('civil-status', 3); // 2001-2003
  await issue('certification', 1); // 3001
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await srv?.close();
  if (pageErrors.length) console.warn('page errors:\n' + pageErrors.join('\n'));
});

describe('the TV voice when calls pile up (issue 10)', () => {
  let tv: Page;
  let tvSocket: { hold(): void; release(): void };

  it('three calls within a second: the newest per counter is read, the older one cut, the caption never behind the board', async () => {
    tv = await newPage();
    tvSocket = await relayedSocket(tv);
    await openDisplay(tv, srv.url, srv.displayToken); // voice at 4x
    await tv.waitForFunction(() => (window.__luotVoice ?? []).some((e) => e.kind === 'settings'));
    expect((await voiceLog(tv)).find((e) => e.kind === 'settings')?.detail).toBe('lag=10000 repeat=false'); // the defaults
    const from = (await voiceLog(tv)).length;

    const t0 = Date.now();
    const first = await callNext(1, null); // 1001 at counter 1
    const second = await callNext(1, first.id); // counter 1 moves on to 1002 at once
    const third = await callNext(2, null); // 2001 at counter 2
    expect(Date.now() - t0).toBeLessThan(1000);
    expect([first.number, second.number, third.number]).toEqual(['1001', '1002', '2001']);

    await waitForText(tv, '[data-testid=serving-1]', '1002');
    await waitForText(tv, '[data-testid=serving-2]', '2001');
    const log = await settled(tv, from, ['1001@1', '1002@1', '2001@2']);

    expect(log.filter((e) => e.kind === 'heard').map(tag)).toEqual(['1001@1', '1002@1', '2001@2']);
    // 1001 was started the moment it arrived, then cut: counter 1 had moved on to 1002.
    expect(log.filter((e) => e.kind === 'drop').map((e) => [tag(e), e.detail])).toEqual([['1001@1', 'cut']]);
    expect(log.filter((e) => e.kind === 'end').map((e) => [tag(e), e.detail])).toEqual([
      ['1001@1', 'cut'],
      ['1002@1', 'complete'],
      ['2001@2', 'complete'],
    ]);
    // What was played: at most the start of 1001 (no number, no counter), then 1002 and 2001 whole.
    const played = splitAnnouncements(await playedClips(tv));
    const whole = played.slice(-2);
    expect(whole).toEqual([clipsOf('1002', 1), clipsOf('2001', 2)]);
    const partial = played.slice(0, -2);
    expect(partial.length).toBeLessThanOrEqual(1);
    if (partial[0]) {
      expect(partial[0].length).toBeLessThan(clipsOf('1001', 1).length);
      expect(clipsOf('1001', 1).slice(0, partial[0].length)).toEqual(partial[0]);
      expect(partial[0]).not.toContain('to-counter');
    }
    // The caption: 1001 at most until 1002 arrived, then 1002, then 2001, then silent.
    expectCaptionsCurrent(log);
    const captions = log.filter((e) => e.kind === 'caption').map((e) => (e.number ? tag(e) : null));
    expect(captions.filter((c) => c !== '1001@1')).toEqual(['1002@1', '2001@2', null]);
    // Nothing started late: each reading began within the default 10 s of its call.
    for (const s of log.filter((e) => e.kind === 'start')) {
      const heard = log.find((e) => e.kind === 'heard' && tag(e) === tag(s));
      expect(s.at - (heard?.at ?? 0)).toBeLessThanOrEqual(10_000);
    }
    expect(await textOf(tv, '[data-testid=last-calls] li.latest .num')).toBe('2001');
  });

  it('a recall is read once more; a network blip and the snapshot after it read nothing twice, only the call made meanwhile', async () => {
    let from = (await voiceLog(tv)).length;
    const clipsBefore = (await playedClips(tv)).length;
    const recalled = await srv.api('POST', '/counters/1/recall', { token: officers[1], body: { expectTicketId: null } });
    expect(recalled.status).toBe(409); // the page's belief is checked: 1002 is at counter 1, not nobody
    expect(recalled.body.error.code).toBe('STALE_REQUEST');
    const current1 = (await srv.api('GET', '/counters', { token: srv.adminToken })).body.find((c: { number: number }) => c.number === 1).currentTicket.id as string;
    // The TV hears the recall only after the desk has its answer (see settled).
    tvSocket.hold();
    expect((await srv.api('POST', '/counters/1/recall', { token: officers[1], body: { expectTicketId: current1 } })).status).toBe(200);
    expect((await voiceLog(tv)).slice(from).filter((e) => e.kind === 'heard')).toEqual([]);
    const done = settled(tv, from, ['1002@1r']);
    tvSocket.release();
    let log = await done;
    expect(log.filter((e) => e.kind === 'heard').map(tag)).toEqual(['1002@1r']);
    // The whole log in the message: what the TV decided, and why.
    expect(log.filter((e) => e.kind === 'end').map((e) => [tag(e), e.detail]), JSON.stringify(log)).toEqual([['1002@1r', 'complete']]);
    expect(splitAnnouncements((await playedClips(tv)).slice(clipsBefore))).toEqual([clipsOf('1002', 1)]);

    // The network drops under the TV (transport closed), and counter 2 calls while it reconnects.
    from = (await voiceLog(tv)).length;
    const snapshotsBefore = (await voiceLog(tv)).filter((e) => e.kind === 'snapshot').length;
    for (const socket of srv.server.io.sockets.sockets.values()) socket.conn.close();
    const meanwhile = await callNext(2, (await srv.api('GET', '/counters', { token: srv.adminToken })).body.find((c: { number: number }) => c.number === 2).currentTicket.id);
    expect(meanwhile.number).toBe('2002');
    await tv.waitForFunction((n) => (window.__luotVoice ?? []).filter((e) => e.kind === 'snapshot').length > n, snapshotsBefore, { timeout: 15_000 });
    await waitForText(tv, '[data-testid=serving-2]', '2002');
    log = await settled(tv, from, ['2002@2']);
    // 1001, 1002, 2001 and the recall are all in the snapshot: none is heard or read again.
    expect(log.filter((e) => e.kind === 'heard').map(tag)).toEqual(['2002@2']);
    expect(log.filter((e) => e.kind === 'start').map(tag)).toEqual(['2002@2']);
    expect(log.filter((e) => e.kind === 'end').map((e) => [tag(e), e.detail])).toEqual([['2002@2', 'complete']]);
    expectCaptionsCurrent(await voiceLog(tv));
  });

  it('with the lag set to 3 s and "read twice" on the admin page, a pile-up reads the first call twice and drops the late ones', async () => {
    // The admin sets the center's voice on the center form (Vietnamese first, validated).
    const admin = await newPage({ width: 1280, height: 900 });
    await admin.goto(`${srv.url}/admin`);
    await admin.fill('input[name=username]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await admin.click('button[type=submit]');
    await admin.click('a[data-tab=center]');
    await admin.waitForSelector('[data-testid=center-form] input[name=announceMaxLagSeconds]');
    expect(await admin.inputValue('input[name=announceMaxLagSeconds]')).toBe('10');
    expect(await admin.isChecked('input[name=announceRepeat]')).toBe(false);
    await admin.fill('input[name=announceMaxLagSeconds]', '2');
    await admin.click('[data-testid=center-form] button[type=submit]');
    const error = await admin.waitForSelector('[data-testid=center-form] [data-testid=error][data-code=INVALID_INPUT]');
    expect(await error.textContent()).toContain('từ 3 đến 120');
    expect(await error.textContent()).toContain('from 3 to 120');
    await admin.fill('input[name=announceMaxLagSeconds]', '3');
    await admin.check('input[name=announceRepeat]');
    await admin.click('[data-testid=center-form] button[type=submit]');
    await admin.waitForSelector('[data-testid=center-form] [data-testid=saved]');
    await screenshot(admin, 'admin-center-voice');
    const saved = (await srv.api('GET', '/admin/settings', { token: srv.adminToken })).body;
    expect([saved.announceMaxLagSeconds, saved.announceRepeat]).toEqual([3, true]);

    // A TV at 2x speed: one reading takes a few seconds, so a second call is sure to wait > 3 s.
    const slowTv = await newPage();
    await openDisplay(slowTv, srv.url, srv.displayToken, 2);
    await slowTv.waitForFunction(() => (window.__luotVoice ?? []).some((e) => e.kind === 'settings' && e.detail === 'lag=3000 repeat=true'));
    // The first TV got the change live (center:updated), without a reload.
    await tv.waitForFunction(() => (window.__luotVoice ?? []).some((e) => e.kind === 'settings' && e.detail === 'lag=3000 repeat=true'));

    const t0 = Date.now();
    const calls = [await callNext(1, (await srv.api('GET', '/counters', { token: srv.adminToken })).body.find((c: { number: number }) => c.number === 1).currentTicket.id), await callNext(3, null), await callNext(4, null)];
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(calls.map((c) => c.number)).toEqual(['1003', '3001', '1004']);
    const log = await settled(slowTv, 0, ['1003@1', '3001@3', '1004@4'], 40_000);
    const fromCalls = log.slice(log.findIndex((e) => e.kind === 'heard'));

    expect(fromCalls.filter((e) => e.kind === 'heard').map(tag)).toEqual(['1003@1', '3001@3', '1004@4']);
    expect(fromCalls.filter((e) => e.kind === 'start').map((e) => [tag(e), e.detail])).toEqual([['1003@1', 2]]);
    expect(fromCalls.filter((e) => e.kind === 'drop').map((e) => [tag(e), e.detail])).toEqual([
      ['3001@3', 'late'],
      ['1004@4', 'late'],
    ]);
    for (const d of fromCalls.filter((e) => e.kind === 'drop')) {
      const heard = fromCalls.find((e) => e.kind === 'heard' && tag(e) === tag(d));
      expect(d.at - (heard?.at ?? 0)).toBeGreaterThan(3_000);
    }
    // One chime, the sentence twice.
    const sentence = clipsOf('1003', 1).slice(1);
    expect(splitAnnouncements(await playedClips(slowTv))).toEqual([['chime', ...sentence, ...sentence]]);
    expectCaptionsCurrent(fromCalls);
    expect(fromCalls.filter((e) => e.kind === 'caption').map((e) => (e.number ? tag(e) : null))).toEqual(['1003@1', null]);
    // The board shows all three calls all the same.
    await waitForText(slowTv, '[data-testid=serving-3]', '3001');
    await waitForText(slowTv, '[data-testid=serving-4]', '1004');
  });
});
