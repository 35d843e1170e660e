import { renderTicketBitmap } from '@luot/ticket-printer';
import { afterEach, describe, expect, it } from 'vitest';
// The root alias maps '@luot/ticket-printer' to its sources; the testing subpath has its own.
import { decodeEscPosJob, rasterOf, startFakePrinter, type FakePrinter } from '@luot/ticket-printer/testing';
import { parsePrinterUrl, type PrinterConfig } from './config.js';
import { createPrinterPort } from './printer-port.js';

let fake: FakePrinter | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const job = {
  kind: 'ticket' as const,
  ticketId: 'AAAAAAAAAAAAAAAAAAAAAA',
  number: '1005',
  serviceName: { vi: 'Đất đai', en: 'Land records' },
  priority: false,
  ahead: 3,
  estimatedWaitMinutes: 12,
  issuedAt: '2026-11-23T08:05:00.000+07:00',
  qrUrl: 'http://192.168.1.10:8080/t/AAAAAAAAAAAAAAAAAAAAAA',
};

describe('the kiosk printer port', () => {
  it("prints the admin pages' center name and footer when the page sends them, kiosk.json's otherwise", async () => {
    fake = await startFakePrinter();
    const config: PrinterConfig = {
      target: parsePrinterUrl(`tcp://${fake.host}:${fake.port}`) as PrinterConfig['target'],
      url: 'tcp://fake',
      widthMm: 80,
      centerName: 'Tên trong kiosk.json',
      mode: 'raster',
      qr: 'raster',
    };
    const port = createPrinterPort(config)!;
    await port.print(job);
    await port.print({ ...job, centerName: 'UBND phường Bến Nghé', footer: 'Giờ làm việc 7:30 - 17:00' });
    const [local, fromServer] = await fake.waitForJobs(2);
    const sent = [rasterOf(decodeEscPosJob(local!)), rasterOf(decodeEscPosJob(fromServer!))];
    const ticket = { id: job.ticketId, number: job.number, serviceName: job.serviceName, issuedAt: job.issuedAt, ahead: 3, estimatedWaitMinutes: 12, priority: false, ticketUrl: job.qrUrl };
    const expectLocal = await renderTicketBitmap(ticket, { centerName: 'Tên trong kiosk.json', widthMm: 80, mode: 'raster', qr: 'raster' });
    const expectServer = await renderTicketBitmap(ticket, { centerName: 'UBND phường Bến Nghé', footer: 'Giờ làm việc 7:30 - 17:00', widthMm: 80, mode: 'raster', qr: 'raster' });
    expect(Buffer.from(sent[0]!.data).equals(Buffer.from(expectLocal.data))).toBe(true);
    expect(Buffer.from(sent[1]!.data).equals(Buffer.from(expectServer.data))).toBe(true);
    expect(Buffer.from(sent[0]!.data).equals(Buffer.from(sent[1]!.data))).toBe(false);
  });
});
