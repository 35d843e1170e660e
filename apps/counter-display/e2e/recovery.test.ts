import type { PublicTicket, Snapshot, Ticket } from '@luot/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../../server/test/helpers/test-server.js';
import { centerContext, clickAction, launchBrowser, openCounter, openDisplay, waitForText, warnPageErrors, watchPage } from './browser.js';
import { ServerChild } from './server-child.js';

/**
 * Issue 10: every screen comes back by itself. All six pages of a center are open at once
 * against the built server as a child process (kiosk, counter desk, TV, admin dashboard, rating
 * tablet, a citizen's phone page). The server is stopped, first as `systemctl restart` does it
 * (SIGTERM: the server closes every socket itself, "io server disconnect"), then as a power cut
 * does it (SIGKILL), and started again on the same port and data dir. Each page must say it is
 * down while it is, then be live again within 5 s of the server accepting connections, showing
 * exactly what a fresh snapshot from the server holds, with no reload; and a call made after the
 * restart must reach the TV, the counter and the phone.
 *
 * The 5 s are measured from the moment the restarted server answers /health (spawnServer
 * resolves then). Page loads and the rest get generous timeouts: the machine is shared.
 */
const RECOVERY_MS = 5000;
/** After the 5 s, keep watching a little so a failure says how late a page was, or that it never came. */
const OBSERVE_MS = 15_000;

/** How long the server stays off after SIGKILL: a power cut and a reboot, at the shortest. */
const POWER_CUT_MS = 10_000;

let browser: Browser;
/** Stopped and started again on the same port and data dir (`start` resolves once it answers /health). */
const server = new ServerChild();
const { ok } = server;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let adminToken = '';
let kioskToken = '';
let displayToken = '';
const services: Record<string, number> = {};
const tickets: Record<string, Ticket> = {};

let kiosk: Page;
let counter: Page;
let tv: Page;
let admin: Page;
let rating: Page;
let phone: Page;
/** The ticket the phone page follows (changes between the two rounds). */
let phoneTicket: Ticket;

/** A fresh snapshot straight from the server, over its own socket.io connection (`queue:sync`). */
async function freshSnapshot(): Promise<Snapshot> {
  const socket = io(server.url, { auth: { token: adminToken }, transports: ['websocket'], reconnection: false, timeout: 3000, forceNew: true });
  try {
    return await new Promise<Snapshot>((resolve, reject) => {
      socket.on('connect_error', reject);
      socket.on('connect', () => {
        socket.timeout(3000).emit('queue:sync', (err: unknown, res: { ok: boolean; data?: Snapshot; error?: unknown }) => {
          if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else if (!res.ok || !res.data) reject(new Error(`queue:sync refused: ${JSON.stringify(res.error)}`));
          else resolve(res.data);
        });
      });
    });
  } finally {
    socket.close();
  }
}

// ---- what each page shows, compared with the server -----------------------------------------

/** Waiting tickets counter `n` serves, in the order it calls them (as the desk lists them). */
function waitingAt(snap: Snapshot, n: number): string[] {
  const c = snap.counters.find((x) => x.number === n);
  if (!c) return [];
  return snap.waiting
    .filter((t) => c.serviceIds.includes(t.serviceId))
    .sort((a, b) => Number(b.priority) - Number(a.priority) || a.issuedAt.localeCompare(b.issuedAt))
    .map((t) => t.number);
}

function servingAt(snap: Snapshot, n: number): string {
  const t = snap.counters.find((x) => x.number === n)?.currentTicket;
  return t?.status === 'called' ? t.number : '—';
}

function waitingPerService(snap: Snapshot): Record<string, number> {
  return Object.fromEntries(snap.services.map((s) => [s.code, s.waiting]));
}

/** null when equal; otherwise what differs, for the failure message. */
function differs(shown: unknown, server: unknown): string | null {
  const a = JSON.stringify(shown);
  const b = JSON.stringify(server);
  return a === b ? null : `shows ${a}, server has ${b}`;
}

interface ServerView {
  snap: Snapshot;
  phone: PublicTicket;
}

type PageCheck = { name: string; page: () => Page; check(v: ServerView): Promise<string | null> };

/** The connection banner's text while it is shown, else null (absent, hidden or not drawn). Runs in the page. */
function bannerState(): { banner: string | null } {
  const b = document.querySelector<HTMLElement>('[data-testid=connection-banner]');
  return { banner: b && !b.hidden && b.getClientRects().length > 0 ? (b.textContent?.trim() ?? '') : null };
}

/** `read`, with the page's connection banner first. */
async function readWithBanner<T extends object>(page: Page, fn: () => T): Promise<({ banner: string | null } & T) | string> {
  const [banner, s] = await Promise.all([read(page, bannerState), read(page, fn)]);
  if (typeof banner === 'string') return banner;
  if (typeof s === 'string') return s;
  return { ...banner, ...s };
}

/** Reads the page; a page that is reloading or navigating is simply "not yet". */
async function read<T>(page: Page, fn: () => T): Promise<T | string> {
  try {
    return await page.evaluate(fn);
  } catch (e) {
    return `cannot read the page: ${String(e).split('\n')[0]}`;
  }
}

const checks: PageCheck[] = [
  {
    name: 'kiosk',
    page: () => kiosk,
    async check({ snap }) {
      // The kiosk has no banner: while not live it shows its "Đang kết nối…" screen instead.
      const s = await read(kiosk, () => ({
        connecting: !!document.querySelector('[data-testid=connecting]'),
        waiting: Object.fromEntries(
          Array.from(document.querySelectorAll('button.service[data-service]')).map((b) => {
            const text = b.querySelector('[data-testid=waiting] .bi-main')?.textContent ?? '';
            return [b.getAttribute('data-service'), Number(/\d+/.exec(text)?.[0] ?? 0)];
          }),
        ),
      }));
      if (typeof s === 'string') return s;
      return differs(s, { connecting: false, waiting: waitingPerService(snap) });
    },
  },
  {
    name: 'counter',
    page: () => counter,
    async check({ snap }) {
      const s = await readWithBanner(counter, () => ({
        current: document.querySelector('[data-testid=current-number]')?.textContent?.trim() ?? null,
        waiting: Array.from(document.querySelectorAll('[data-testid=waiting-list] li')).map((li) => li.getAttribute('data-number')),
      }));
      if (typeof s === 'string') return s;
      return differs(s, { banner: null, current: servingAt(snap, 1), waiting: waitingAt(snap, 1) });
    },
  },
  {
    name: 'TV',
    page: () => tv,
    async check({ snap }) {
      const s = await readWithBanner(tv, () => ({
        seq: Number(document.querySelector('[data-testid=display]')?.getAttribute('data-seq')),
        serving: Object.fromEntries(Array.from(document.querySelectorAll('.tv-counter[data-counter]')).map((c) => [c.getAttribute('data-counter'), c.querySelector('.tv-counter-number')?.textContent?.trim()])),
        waiting: Object.fromEntries(Array.from(document.querySelectorAll('[data-testid^=tv-waiting-]')).map((e) => [e.getAttribute('data-testid')!.replace('tv-waiting-', ''), Number(e.textContent)])),
        calls: Array.from(document.querySelectorAll('[data-testid=last-calls] li[data-number]')).map((li) => `${li.getAttribute('data-number')}@${/\d+/.exec(li.querySelector('.ctr')?.textContent ?? '')?.[0]}`),
      }));
      if (typeof s === 'string') return s;
      const counters = snap.counters.filter((c) => c.active !== false);
      const want = {
        banner: null,
        seq: snap.seq,
        serving: Object.fromEntries(counters.map((c) => [String(c.number), servingAt(snap, c.number)])),
        waiting: waitingPerService(snap),
        // The TV lists the newest few calls: they must be the snapshot's newest, in its order.
        calls: snap.recentCalls.slice(0, Math.max(1, s.calls.length)).map((c) => `${c.number}@${c.counter.number}`),
      };
      if (snap.recentCalls.length === 0) want.calls = [];
      return differs(s, want);
    },
  },
  {
    name: 'admin dashboard',
    page: () => admin,
    async check({ snap }) {
      const s = await readWithBanner(admin, () => ({
        seq: Number(document.querySelector('[data-testid=dashboard]')?.getAttribute('data-seq')),
        waiting: Object.fromEntries(Array.from(document.querySelectorAll('[data-testid^=dash-service-]')).map((r) => [r.getAttribute('data-testid')!.replace('dash-service-', ''), Number(r.querySelector('[data-testid=dash-waiting]')?.textContent)])),
        counters: Object.fromEntries(
          Array.from(document.querySelectorAll('[data-testid^=dash-counter-]')).map((r) => [
            r.getAttribute('data-testid')!.replace('dash-counter-', ''),
            `${r.getAttribute('data-state')} ${r.querySelector('[data-testid=dash-current] .ticket-num')?.textContent?.trim() ?? '—'}`,
          ]),
        ),
      }));
      if (typeof s === 'string') return s;
      const counters = snap.counters.filter((c) => c.active !== false);
      return differs(s, {
        banner: null,
        seq: snap.seq,
        waiting: waitingPerService(snap),
        counters: Object.fromEntries(counters.map((c) => [String(c.number), `${c.state} ${c.currentTicket?.number ?? '—'}`])),
      });
    },
  },
  {
    name: 'rating tablet',
    page: () => rating,
    async check({ snap }) {
      const s = await readWithBanner(rating, () => ({
        seq: Number(document.querySelector('[data-testid=rating]')?.getAttribute('data-seq')),
        counter: document.querySelector('[data-testid=rating-counter]')?.textContent?.trim() ?? null,
      }));
      if (typeof s === 'string') return s;
      return differs(s, { banner: null, seq: snap.seq, counter: '1' });
    },
  },
  {
    name: 'phone',
    page: () => phone,
    async check({ phone: t }) {
      const s = await read(phone, () => {
        const banner = document.querySelector<HTMLElement>('[data-testid=connection-banner]');
        return {
          banner: banner && !banner.hidden && banner.getClientRects().length > 0 ? (banner.textContent?.trim() ?? '') : null,
          number: document.querySelector('[data-testid=number]')?.textContent?.trim() ?? null,
          status: document.querySelector('.tp-screen')?.getAttribute('data-status') ?? null,
          ahead: document.querySelector('[data-testid=headline]')?.getAttribute('data-ahead') ?? null,
        };
      });
      if (typeof s === 'string') return s;
      return differs(s, { banner: null, number: t.number, status: t.status, ahead: t.status === 'waiting' ? String(t.ahead) : null });
    },
  },
];

/**
 * Polls every page against a fresh snapshot until each one matches, or `until` passes. Returns
 * per page the time (ms after `since`) it was first live and equal, or null with what it showed.
 */
async function watchRecovery(since: number, until: number): Promise<Map<string, { at: number | null; last: string }>> {
  const result = new Map<string, { at: number | null; last: string }>(checks.map((c) => [c.name, { at: null, last: 'not checked' }]));
  while (Date.now() < until && [...result.values()].some((r) => r.at === null)) {
    let view: ServerView;
    try {
      const [snap, t] = await Promise.all([freshSnapshot(), ok('GET', `/tickets/${phoneTicket.id}`)]);
      view = { snap, phone: t as PublicTicket };
    } catch (e) {
      for (const r of result.values()) if (r.at === null) r.last = `(server unreadable: ${String(e)})`;
      continue;
    }
    await Promise.all(
      checks.map(async (c) => {
        const r = result.get(c.name)!;
        if (r.at !== null) return;
        const why = await c.check(view);
        if (why === null) r.at = Date.now() - since;
        else r.last = why;
      }),
    );
  }
  return result;
}

/** Every page live and equal to the server, without the time limit (set-up and after actions). */
async function allEqual(timeout = 30_000): Promise<void> {
  const t0 = Date.now();
  const r = await watchRecovery(t0, t0 + timeout);
  const bad = [...r].filter(([, v]) => v.at === null).map(([k, v]) => `${k}: ${v.last}`);
  expect(bad, 'pages not equal to the server').toEqual([]);
}

/** Each page's own way of saying "not connected". */
async function waitDisconnected(): Promise<Record<string, string>> {
  const staff = async (page: Page) => {
    await page.waitForSelector('[data-testid=connection-banner]', { timeout: 10_000 });
    return (await page.textContent('[data-testid=connection-banner]'))?.trim() ?? '';
  };
  const [k, c, t, a, r, p] = await Promise.all([
    kiosk.waitForSelector('[data-testid=connecting]', { timeout: 10_000 }).then((e) => e.textContent()),
    staff(counter),
    staff(tv),
    staff(admin),
    staff(rating),
    phone.waitForSelector('[data-testid=connection-banner]:not([hidden])', { timeout: 10_000 }).then((e) => e.textContent()),
  ]);
  return { kiosk: k ?? '', counter: c, tv: t, admin: a, rating: r, phone: p ?? '' };
}

// ---- set-up ---------------------------------------------------------------------------------

async function newPage(viewport: { width: number; height: number }, opts: { mobile?: boolean } = {}): Promise<Page> {
  const ctx = await centerContext(browser, viewport, opts);
  contexts.push(ctx);
  // Generous timeouts for page loads; only the recovery itself has a strict limit.
  return watchPage(await ctx.newPage(), pageErrors, { withUrl: true });
}

async function openPhone(t: Ticket): Promise<void> {
  phoneTicket = t;
  await phone.goto(`${server.url}/t/${t.id}`);
  await waitForText(phone, '[data-testid=number]', t.number, 30_000);
}

beforeAll(async () => {
  [browser] = await Promise.all([launchBrowser(), server.start()]);
  const { url } = server;
  adminToken = await server.signInAdmin();
  kioskToken = await server.pairDevice(adminToken, 'kiosk', 'Kiosk e2e');
  displayToken = await server.pairDevice(adminToken, 'display', 'TV e2e');
  Object.assign(services, await server.serviceIds());
  // 1001 will be at the counter, 1002 is next (the phone), then 1003, 1004 and 2001 wait.
  for (const code of ['land', 'land', 'land', 'land', 'civil-status']) {
    const t = (await ok('POST', '/tickets', kioskToken, { serviceId: services[code] })) as Ticket;
    tickets[t.number] = t;
  }

  [kiosk, counter, tv, admin, rating, phone] = await Promise.all([
    newPage({ width: 1080, height: 1920 }),
    newPage({ width: 1280, height: 900 }),
    newPage({ width: 1920, height: 1080 }),
    newPage({ width: 1366, height: 900 }),
    newPage({ width: 1024, height: 600 }),
    newPage({ width: 360, height: 740 }, { mobile: true }),
  ]);
  await Promise.all([
    (async () => {
      await kiosk.goto(`${url}/kiosk#token=${encodeURIComponent(kioskToken)}`);
      await kiosk.waitForSelector('.kiosk[data-status=live] button.service[data-service=land]');
    })(),
    openCounter(counter, url, 'canbo1', 1),
    openDisplay(tv, url, displayToken),
    (async () => {
      await admin.goto(`${url}/admin`);
      await admin.fill('input[name=username]', 'admin');
      await admin.fill('input[name=password]', ADMIN_PASSWORD);
      await admin.click('button[type=submit]');
      await admin.waitForSelector('[data-testid=dashboard]:not([data-seq=""])');
    })(),
    (async () => {
      await rating.goto(`${url}/rating?counter=1#token=${encodeURIComponent(displayToken)}`);
      await rating.waitForSelector('[data-testid=rating]:not([data-seq=""])');
    })(),
    openPhone(tickets['1002']!),
  ]);
  await clickAction(counter, 'call-next');
  await waitForText(tv, '[data-testid=serving-1]', '1001', 10_000);
  await allEqual();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server.dispose();
  warnPageErrors(pageErrors);
});

/**
 * One stop and start: every page says it is down, comes back within 5 s equal to the server,
 * and the next call (the phone's ticket) shows on TV, counter and phone.
 */
async function stopAndRestart(signal: 'SIGTERM' | 'SIGKILL', offMs = 0): Promise<void> {
  // The phone follows the ticket counter 1 will call next (a round that failed early leaves the
  // queue where it was, so this is read from the server, not assumed).
  const nextNumber = waitingAt(await freshSnapshot(), 1)[0];
  const next = nextNumber ? tickets[nextNumber] : undefined;
  if (!next) throw new Error(`no ticket waits for counter 1 (${nextNumber})`);
  await openPhone(next);
  await allEqual();

  await server.stop(signal);
  const stoppedAt = Date.now();
  const down = await waitDisconnected();
  expect(down.kiosk).toContain('Đang kết nối');
  for (const p of ['counter', 'tv', 'admin', 'rating'] as const) expect(down[p], p).toMatch(/Mất kết nối máy chủ|kết nối lại/);
  expect(down.phone).toContain('Đang kết nối lại');

  // A deliberate outage, not a wait for an event: how long the machine stays off. Long enough
  // that every page's reconnect back-off has grown to its longest step before the server returns.
  if (offMs > 0) await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + offMs - Date.now())));
  const upAt = await server.start();
  // The queue moves on while the pages are finding their way back: a page that reconnects but
  // keeps what it showed before the stop is stale, and the comparison below catches it.
  const t = (await ok('POST', '/tickets', kioskToken, { serviceId: services.land })) as Ticket;
  tickets[t.number] = t;
  const recovery = await watchRecovery(upAt, upAt + OBSERVE_MS);
  const report = [...recovery].map(([name, r]) => (r.at === null ? `${name}: not back after ${OBSERVE_MS} ms: ${r.last}` : `${name}: back after ${r.at} ms`));
  console.info(`recovery after ${signal}:\n  ${report.join('\n  ')}`);
  const late = [...recovery].filter(([, r]) => r.at === null || r.at > RECOVERY_MS);
  expect(late.length, `after ${signal}, every page live and equal to the server within ${RECOVERY_MS} ms:\n${report.join('\n')}`).toBe(0);

  // Live, not just drawn: a call made now reaches the TV, the counter and the phone.
  await clickAction(counter, 'call-next');
  const shown = (what: string, p: Promise<unknown>) => p.then(() => null, () => what);
  const missing = await Promise.all([
    shown(`TV serving-1 = ${next.number}`, waitForText(tv, '[data-testid=serving-1]', next.number, 10_000)),
    shown(`TV latest call = ${next.number}`, waitForText(tv, '[data-testid=last-calls] li.latest .num', next.number, 10_000)),
    shown(`counter current = ${next.number}`, waitForText(counter, '[data-testid=current-number]', next.number, 10_000)),
    shown(`phone status called`, phone.waitForSelector('.tp-screen[data-status=called]', { timeout: 10_000 })),
  ]);
  expect(missing.filter(Boolean), `the call after the ${signal} restart did not show`).toEqual([]);
  expect(await phone.textContent('[data-testid=headline]')).toContain('Mời quý công dân đến quầy số 1');
  await allEqual(10_000);
}

describe('every screen comes back by itself after a server restart (issue 10)', () => {
  it('SIGTERM (a service restart): all six pages say so, come back within 5 s equal to the server, and stay live', async () => {
    await stopAndRestart('SIGTERM');
  }, 120_000);

  it('SIGKILL (a power cut, the server off for 10 s): the same', async () => {
    // A page left stuck by the previous test is reloaded by hand, so this one tests SIGKILL alone.
    const before = await watchRecovery(Date.now(), Date.now() + 3000);
    for (const c of checks) if (before.get(c.name)?.at === null) await c.page().reload();
    await stopAndRestart('SIGKILL', POWER_CUT_MS);
  }, 120_000);
});
