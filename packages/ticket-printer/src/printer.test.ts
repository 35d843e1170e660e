import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrinter, PrintWithdrawnError } from './printer.js';
import { PrinterError } from './printer-error.js';
import { renderTicket } from './render-ticket.js';
import { startFakePrinter, type FakePrinter } from './testing/fake-printer.js';
import { decodeEscPosJob, qrDataOf, rasterOf } from './testing/escpos-decoder.js';
import type { TicketInput } from './ticket.js';

const ticket: TicketInput = {
  id: 't-7',
  number: 'A012',
  serviceName: { vi: 'Chứng thực bản sao', en: 'Certified copies' },
  issuedAt: Date.UTC(2025, 2, 12, 2, 0),
  ahead: 2,
  estimatedWaitMinutes: 8,
  priority: true,
  ticketUrl: 'http://luot.local/t/t-7',
};

let fake: FakePrinter | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const printerFor = (f: FakePrinter, timeoutMs = 1000) =>
  createPrinter({ transport: { kind: 'tcp', host: f.host, port: f.port }, timeoutMs, retries: 0 });

async function expectPrinterError(work: Promise<unknown>, code: PrinterError['code']): Promise<PrinterError> {
  const e = await work.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PrinterError);
  expect((e as PrinterError).code).toBe(code);
  return e as PrinterError;
}

describe('printing to a network printer (fake, real TCP)', () => {
  it('asks for the status, sends the ticket the printer can decode, then has it confirmed', async () => {
    fake = await startFakePrinter();
    const { bytes } = await renderTicket(ticket, { centerName: 'UBND xã Hòa Bình', widthMm: 80, qr: 'native' });
    const result = await printerFor(fake).print(bytes);
    const clear = { offline: false, coverOpen: false, paperEnd: false, paperNearEnd: false, error: false };
    expect(result).toEqual({ status: clear, statusAfter: clear, confirmed: true });
    const [job] = await fake.waitForJobs(1);
    // Before the first byte, and again after the last one.
    expect(fake.statusQueries).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(fake.decodeErrors).toEqual([]);
    // The status queries are not part of the job: what was printed is exactly the ticket.
    expect(Buffer.from(job!).equals(Buffer.from(bytes))).toBe(true);
    const cmds = decodeEscPosJob(job!);
    expect(qrDataOf(cmds)).toBe(ticket.ticketUrl);
    expect(rasterOf(cmds).width).toBe(576);
  });

  it('prints on paper near end and says so', async () => {
    fake = await startFakePrinter({ state: 'paper-near-end' });
    const result = await printerFor(fake).print(Uint8Array.of(0x1b, 0x40));
    expect(result.status?.paperNearEnd).toBe(true);
    expect(await fake.waitForJobs(1)).toHaveLength(1);
  });

  it.each([
    ['paper-end', 'PRINTER_PAPER_END', 'hết giấy'],
    ['cover-open', 'PRINTER_COVER_OPEN', 'Nắp máy in'],
    ['cutter-error', 'PRINTER_OFFLINE', 'offline'],
  ] as const)('refuses to print when the printer reports %s', async (state, code, vi) => {
    fake = await startFakePrinter({ state });
    const e = await expectPrinterError(printerFor(fake).print(Uint8Array.of(0x1b, 0x40)), code);
    // Vietnamese first, English second.
    expect(e.messageVi).toContain(vi);
    expect(e.message.startsWith(`${e.messageVi} / ${e.messageEn}`)).toBe(true);
    expect(fake.jobs).toEqual([]);
  });

  it('gives PRINTER_TIMEOUT, quickly, when the printer never answers a status query', async () => {
    fake = await startFakePrinter({ state: 'no-answer' });
    const started = Date.now();
    await expectPrinterError(printerFor(fake, 300).print(Uint8Array.of(0x1b, 0x40)), 'PRINTER_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('prints without asking when status checks are off (printers that never answer)', async () => {
    fake = await startFakePrinter({ state: 'no-answer' });
    const printer = createPrinter({ transport: { kind: 'tcp', host: fake.host, port: fake.port }, statusCheck: false, timeoutMs: 500 });
    // Nothing can confirm it: the caller sees confirmed: false.
    expect(await printer.print(Uint8Array.of(0x1b, 0x40, 0x0a))).toEqual({ status: null, statusAfter: null, confirmed: false });
    expect(await fake.waitForJobs(1)).toEqual([Uint8Array.of(0x1b, 0x40, 0x0a)]);
    expect(fake.statusQueries).toEqual([]);
  });

  it('a printer that resets in the middle of a ticket: not printed (PRINTER_NOT_CONFIRMED), never retried', async () => {
    fake = await startFakePrinter();
    const { bytes } = await renderTicket(ticket, { centerName: 'UBND xã Hòa Bình', widthMm: 80, qr: 'native' });
    fake.failNextJob({ afterBytes: Math.floor(bytes.length / 2), fault: 'reset' });
    const e = await expectPrinterError(printerFor(fake).print(bytes), 'PRINTER_NOT_CONFIRMED');
    expect(e.messageVi).toContain('không xác nhận');
    // The printer lost the job; nothing was sent again (a retry could print it twice).
    expect(fake.lostJobs).toHaveLength(1);
    expect(fake.lostJobs[0]!.length).toBeLessThan(bytes.length);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.jobs).toEqual([]);
  });

  it.each([
    ['paper-end', 'PRINTER_PAPER_END'],
    ['cover-open', 'PRINTER_COVER_OPEN'],
  ] as const)('paper out or cover opened in the middle of a ticket (%s): not printed, saying which', async (fault, code) => {
    fake = await startFakePrinter();
    const bytes = new Uint8Array(20_000).fill(0x0a);
    fake.failNextJob({ afterBytes: 5000, fault });
    const e = await expectPrinterError(printerFor(fake).print(bytes), code);
    expect(e.detail).toMatch(/after the ticket was sent/);
    expect(fake.statusQueries).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('a printer that hangs in the middle of a ticket: not printed once the confirmation times out', async () => {
    fake = await startFakePrinter();
    fake.failNextJob({ afterBytes: 100, fault: 'no-answer' });
    const printer = createPrinter({ transport: { kind: 'tcp', host: fake.host, port: fake.port }, timeoutMs: 300, confirmTimeoutMs: 300, retries: 0 });
    const started = Date.now();
    const e = await expectPrinterError(printer.print(new Uint8Array(1000).fill(0x0a)), 'PRINTER_NOT_CONFIRMED');
    expect(e.detail).toMatch(/PRINTER_TIMEOUT/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads the status on its own', async () => {
    fake = await startFakePrinter({ state: 'cover-open' });
    const status = await printerFor(fake).status();
    expect(status.coverOpen).toBe(true);
    expect(status.offline).toBe(true);
    expect(status.paperEnd).toBe(false);
  });

  it('gives PRINTER_UNREACHABLE when nothing listens, after its retries', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const printer = createPrinter({ transport: { kind: 'tcp', host: '127.0.0.1', port }, timeoutMs: 500, retries: 2, retryDelayMs: 10 });
    await expectPrinterError(printer.print(Uint8Array.of(0x1b, 0x40)), 'PRINTER_UNREACHABLE');
  });

  it('reconnects: a printer that comes back after a failed job prints the next one', async () => {
    fake = await startFakePrinter({ state: 'paper-end' });
    const printer = printerFor(fake);
    await expectPrinterError(printer.print(Uint8Array.of(0x1b, 0x40)), 'PRINTER_PAPER_END');
    fake.state = 'ready'; // staff changed the roll
    await printer.print(Uint8Array.of(0x1b, 0x40, 0x0a));
    expect(await fake.waitForJobs(1)).toEqual([Uint8Array.of(0x1b, 0x40, 0x0a)]);
  });

  it('sends concurrent jobs one after the other, never interleaved', async () => {
    fake = await startFakePrinter();
    const printer = printerFor(fake);
    const a = new Uint8Array(50_000).fill(0x41);
    const b = new Uint8Array(50_000).fill(0x42);
    await Promise.all([printer.print(a), printer.print(b)]);
    const jobs = await fake.waitForJobs(2);
    expect(jobs.map((j) => new Set(j).size)).toEqual([1, 1]);
  });
});

describe('a job that waits in line', () => {
  it('is given up unsent when its turn comes too late (startWithinMs): PRINTER_TIMEOUT, no bytes', async () => {
    fake = await startFakePrinter();
    const printer = printerFor(fake, 2000);
    const release = fake.holdAnswers();
    // The first ticket is being printed (its status answers held); the second waits behind it.
    const first = printer.print(Uint8Array.of(0x1b, 0x40, 0x41));
    const second = printer.print(Uint8Array.of(0x1b, 0x40, 0x42), { startWithinMs: 5 });
    while (fake.statusQueries.length === 0) await new Promise((r) => setTimeout(r, 5));
    // Longer than the second job may wait for its turn.
    await new Promise((r) => setTimeout(r, 30));
    release();
    await first;
    const e = await expectPrinterError(second, 'PRINTER_TIMEOUT');
    expect(e.detail).toMatch(/behind other jobs; not sent/);
    const jobs = await fake.waitForJobs(1);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.at(-1)).toBe(0x41);
  });

  it('is withdrawn before its first byte when its caller no longer wants it (the ticket was cancelled meanwhile)', async () => {
    fake = await startFakePrinter();
    const printer = printerFor(fake, 2000);
    let wanted = true;
    const release = fake.holdAnswers();
    const first = printer.print(Uint8Array.of(0x1b, 0x40, 0x41));
    const second = printer.print(Uint8Array.of(0x1b, 0x40, 0x42), { stillWanted: () => wanted });
    while (fake.statusQueries.length === 0) await new Promise((r) => setTimeout(r, 5));
    wanted = false; // cancelled while it waited in line
    release();
    await first;
    await expect(second).rejects.toBeInstanceOf(PrintWithdrawnError);
    // Only the first ticket reached the paper; the second connection sent status queries only.
    const jobs = await fake.waitForJobs(1);
    expect(fake.jobs).toHaveLength(1);
    expect(jobs[0]!.at(-1)).toBe(0x41);
  });

  it('ends by finishWithinMs: a printer that never confirms is PRINTER_NOT_CONFIRMED at the deadline, not after the confirmation timeouts', async () => {
    fake = await startFakePrinter();
    const printer = createPrinter({ transport: { kind: 'tcp', host: fake.host, port: fake.port }, timeoutMs: 2000, confirmTimeoutMs: 5000, retries: 0 });
    fake.failNextJob({ afterBytes: 1, fault: 'no-answer' });
    const started = Date.now();
    await expectPrinterError(printer.print(Uint8Array.of(0x1b, 0x40, 0x44), { finishWithinMs: 400 }), 'PRINTER_NOT_CONFIRMED');
    // Four confirmation queries of 5 s each would take 20 s.
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('prints when it is still wanted and its turn comes in time', async () => {
    fake = await startFakePrinter();
    const printer = printerFor(fake, 2000);
    const r = await printer.print(Uint8Array.of(0x1b, 0x40, 0x43), { startWithinMs: 5000, stillWanted: () => true });
    expect(r.confirmed).toBe(true);
    expect((await fake.waitForJobs(1))[0]!.at(-1)).toBe(0x43);
  });
});
