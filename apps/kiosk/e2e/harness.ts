import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startFakePrinter, type FakePrinter } from '@luot/ticket-printer/testing';
import { parseKioskPrinters } from '../../server/src/printing/kiosk-printers.js';
import { createServer, type LuotServer } from '../../server/src/server.js';
import { startTestServer, type TestServer } from '../../server/test/helpers/test-server.js';
import { parseKioskConfig } from '../src/main/config.js';
import { createPrintHandler } from '../src/main/print-handler.js';
import { createPrinterPort } from '../src/main/printer-port.js';

/**
 * Everything real except the Electron binary: the real server (SQLite in a temp dir), the built
 * kiosk page in Debian Chromium, the main process's print handler and printer code, and the fake
 * TCP printer. The only stand-in is the IPC hop: `window.kiosk` is wired to the same handler
 * through Playwright's exposeBinding instead of ipcRenderer/ipcMain.
 */
const rendererDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

export function launchChromium(): Promise<Browser> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('apps/kiosk/dist/renderer is missing: run `pnpm build` (or `pnpm --dir apps/kiosk build:assets`) first');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Harness {
  ts: TestServer;
  url: string;
  printer: FakePrinter;
  /** Stops the server (keeping its data) to play "server down". */
  stopServer(): Promise<void>;
  /** Starts it again on the same port and data. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

/** `serverPrinter: false`: the server has no printer for any kiosk (no LUOT_KIOSK_PRINTER), as in the demo. */
export async function startHarness(o: { serverPrinter?: boolean } = {}): Promise<Harness> {
  const printer = await startFakePrinter();
  // Plain-browser kiosks print through the server to this kiosk printer table.
  const print = { printers: parseKioskPrinters(o.serverPrinter === false ? undefined : `tcp://${printer.host}:${printer.port}`) };
  const ts = await startTestServer({ print });
  const port = Number(new URL(ts.url).port);
  let restarted: LuotServer | null = null;
  let running = true;
  return {
    ts,
    url: ts.url,
    printer,
    async stopServer() {
      if (restarted) await restarted.close();
      else await ts.server.close();
      restarted = null;
      running = false;
    },
    async restartServer() {
      // Same port and SQLite file, so tokens and tickets survive, as after a real restart.
      restarted = await createServer({ db: ts.db, clock: ts.clock, kioskRateLimit: null, print });
      await restarted.listen(port, '127.0.0.1');
      running = true;
    },
    async close() {
      await printer.close();
      if (restarted) await restarted.close();
      else if (running) await ts.server.close();
      ts.db.close();
      rmSync(ts.dataDir, { recursive: true, force: true });
    },
  };
}

export interface KioskPageOptions {
  /** 'electron': window.kiosk prints locally; 'browser': the server prints (plain Chromium). */
  mode: 'electron' | 'browser';
  viewport?: { width: number; height: number };
  idleMs?: number;
  ticketMs?: number;
  token?: string;
  scale?: number;
  /** 'electron' only: false is kiosk.json's `printer: none` (the shell has no printer of its own). */
  localPrinter?: boolean;
}

export async function openKiosk(browser: Browser, h: Harness, o: KioskPageOptions): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1080, height: 1920 }, deviceScaleFactor: o.scale ?? 0.5, hasTouch: true });
  const page = await context.newPage();
  // Fail in seconds, not after Playwright's 30 s default: every step here takes well under 2 s.
  page.setDefaultTimeout(8000);
  if (o.mode === 'electron') {
    const cfg = parseKioskConfig(JSON.stringify({ serverUrl: h.url, deviceToken: 'e2e-token-not-used-by-print', printer: o.localPrinter === false ? 'none' : `tcp://${h.printer.host}:${h.printer.port}` }));
    if (!cfg.ok) throw new Error(cfg.errors.join('; '));
    const handle = createPrintHandler({ printer: createPrinterPort(cfg.config.printer), serverOrigin: cfg.config.serverUrl });
    await page.exposeBinding('__kioskInvoke', (source, request: unknown) => handle({ senderFrame: { url: source.frame.url() } }, request));
    await page.addInitScript(() => {
      const invoke = (globalThis as unknown as { __kioskInvoke(r: unknown): Promise<unknown> }).__kioskInvoke;
      (globalThis as unknown as { kiosk: unknown }).kiosk = {
        print: (job: unknown) => invoke(job),
        printerStatus: () => invoke({ kind: 'status' }),
        admin: async () => ({ ok: false, code: 'invalid', message: 'no admin in e2e' }),
      };
    });
  }
  const q = new URLSearchParams();
  if (o.idleMs) q.set('idleMs', String(o.idleMs));
  if (o.ticketMs) q.set('ticketMs', String(o.ticketMs));
  await page.goto(`${h.url}/kiosk?${q}#token=${o.token ?? h.ts.kioskToken}`);
  return { context, page };
}

/** The newest ticket in the database, straight from SQLite (what the server really holds). */
export function lastTicket(h: Harness): { id: string; number: string; status: string; cancel_reason: string | null; priority: number } | undefined {
  return h.ts.db.prepare<[], { id: string; number: string; status: string; cancel_reason: string | null; priority: number }>('SELECT id, number, status, cancel_reason, priority FROM tickets ORDER BY rowid DESC LIMIT 1').get();
}
