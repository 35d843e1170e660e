import { startFakePrinter, type FakePrinter } from '@luot/ticket-printer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TicketPrintJob } from '../shared/kiosk-api.js';
import { parseKioskConfig } from './config.js';
import { createPrintHandler, parsePrintJob, type PrinterPort } from './print-handler.js';
import { createPrinterPort } from './printer-port.js';

const ORIGIN = 'http://127.0.0.1:8080';
const fromPage = { senderFrame: { url: `${ORIGIN}/kiosk` } };

const job = (over: Partial<TicketPrintJob> = {}): TicketPrintJob => ({
  kind: 'ticket',
  ticketId: 'tk_0123456789abcdef',
  number: '1005',
  serviceName: { vi: 'Đất đai', en: 'Land' },
  priority: false,
  ahead: 3,
  estimatedWaitMinutes: 12,
  issuedAt: '2025-11-23T08:30:00+07:00',
  qrUrl: `${ORIGIN}/t/tk_0123456789abcdef`,
  ...over,
});

// The real printer code (@luot/ticket-printer render + TCP transport + DLE EOT) against the
// fake network printer: only Electron's IPC is left out.
let printer: FakePrinter;
let port: PrinterPort;
beforeEach(async () => {
  printer = await startFakePrinter();
  const cfg = parseKioskConfig(JSON.stringify({ serverUrl: ORIGIN, deviceToken: 'x'.repeat(32), printer: { url: `tcp://${printer.host}:${printer.port}`, widthMm: 80, centerName: 'UBND xã Tân Lập' } }));
  if (!cfg.ok) throw new Error(cfg.errors.join());
  port = createPrinterPort(cfg.config.printer) as PrinterPort;
});
afterEach(() => printer.close());

describe('kiosk:print handler', () => {
  it('prints a ticket once: the printer receives one job of ESC/POS bytes', async () => {
    const handle = createPrintHandler({ printer: port, serverOrigin: ORIGIN });
    expect(await handle(fromPage, job())).toEqual({ ok: true, duplicate: false });
    const [bytes] = await printer.waitForJobs(1);
    expect(bytes!.length).toBeGreaterThan(1000); // a raster ticket, not an empty write
    expect(printer.decodeErrors).toEqual([]);
    expect(printer.statusQueries.length).toBeGreaterThan(0); // asked before sending
  });

  it('answers a repeated or concurrent request for the same ticket without printing again', async () => {
    const handle = createPrintHandler({ printer: port, serverOrigin: ORIGIN });
    const [a, b] = await Promise.all([handle(fromPage, job()), handle(fromPage, job())]);
    expect(a).toEqual({ ok: true, duplicate: false });
    expect(b).toEqual({ ok: true, duplicate: false }); // the same in-flight answer
    expect(await handle(fromPage, job())).toEqual({ ok: true, duplicate: true });
    await printer.waitForJobs(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(printer.jobs).toHaveLength(1);
  });

  it('refuses to send bytes to a printer without paper, so nothing prints late after a refill', async () => {
    printer.state = 'paper-end';
    const handle = createPrintHandler({ printer: port, serverOrigin: ORIGIN });
    const r = await handle(fromPage, job());
    expect(r).toMatchObject({ ok: false, code: 'paper_end' });
    expect(printer.jobs).toHaveLength(0);
    // Once refilled, the same ticket may be printed (nothing was printed before).
    printer.state = 'ready';
    expect(await handle(fromPage, job())).toEqual({ ok: true, duplicate: false });
  });

  it('a printer that resets in the middle of the ticket: not printed, and the ticket may be printed again', async () => {
    printer.failNextJob({ afterBytes: 1500, fault: 'reset' });
    const handle = createPrintHandler({ printer: port, serverOrigin: ORIGIN });
    const r = await handle(fromPage, job());
    expect(r).toMatchObject({ ok: false, code: 'offline', message: expect.stringContaining('did not confirm') });
    expect(printer.lostJobs).toHaveLength(1);
    expect(printer.jobs).toHaveLength(0);
    // Not remembered as printed: a retry (staff pressing print again) prints the whole ticket.
    expect(await handle(fromPage, job())).toEqual({ ok: true, duplicate: false });
    expect(await printer.waitForJobs(1)).toHaveLength(1);
  });

  it('reports an unreachable printer as offline within the 2 s budget', async () => {
    await printer.close();
    const handle = createPrintHandler({ printer: port, serverOrigin: ORIGIN });
    const started = Date.now();
    expect(await handle(fromPage, job())).toMatchObject({ ok: false, code: 'offline' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers status requests: ready, paper low, paper out', async () => {
    const handle = createPrintHandler({ printer: port, serverOrigin: ORIGIN });
    expect(await handle(fromPage, { kind: 'status' })).toEqual({ ok: true, paperLow: false });
    printer.state = 'paper-near-end';
    expect(await handle(fromPage, { kind: 'status' })).toEqual({ ok: true, paperLow: true });
    printer.state = 'paper-end';
    expect(await handle(fromPage, { kind: 'status' })).toMatchObject({ ok: false, code: 'paper_end' });
  });

  it('ignores requests from any page but the server kiosk page, and malformed ones', async () => {
    const handle = createPrintHandler({ printer: port, serverOrigin: ORIGIN });
    expect(await handle({ senderFrame: { url: 'https://evil.example/kiosk' } }, job())).toMatchObject({ ok: false, code: 'invalid' });
    expect(await handle({ senderFrame: null }, job())).toMatchObject({ ok: false, code: 'invalid' });
    expect(await handle(fromPage, { ...job(), ticketId: '../../etc' })).toMatchObject({ ok: false, code: 'invalid' });
    expect(await handle(fromPage, 'print everything')).toMatchObject({ ok: false, code: 'invalid' });
    expect(printer.jobs).toHaveLength(0);
  });

  it('says not_configured when the kiosk has no local printer', async () => {
    const handle = createPrintHandler({ printer: null, serverOrigin: ORIGIN });
    expect(await handle(fromPage, job())).toMatchObject({ ok: false, code: 'not_configured' });
  });
});

describe('parsePrintJob', () => {
  it('bounds every field', () => {
    expect(parsePrintJob(job())).toEqual(job());
    expect(parsePrintJob(job({ number: 'x'.repeat(17) }))).toBeNull();
    expect(parsePrintJob(job({ ahead: -1 }))).toBeNull();
    expect(parsePrintJob(job({ issuedAt: 'yesterday' }))).toBeNull();
    expect(parsePrintJob(job({ qrUrl: 'javascript:alert(1)' }))).toBeNull();
    expect(parsePrintJob({ ...job(), serviceName: { vi: 'x'.repeat(121), en: 'x' } })).toBeNull();
    expect(parsePrintJob(null)).toBeNull();
  });
});
