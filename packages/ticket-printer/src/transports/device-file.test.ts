import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrinter } from '../printer.js';
import { PrinterError } from '../printer-error.js';

const dir = mkdtempSync(join(tmpdir(), 'luot-printer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('device file transport', () => {
  it('writes the job to the file, as to /dev/usb/lp0', async () => {
    const path = join(dir, 'lp0');
    const printer = createPrinter({ transport: { kind: 'device', path } });
    expect(await printer.print(Uint8Array.of(0x1b, 0x40, 0x41, 0x0a))).toEqual({ status: null, statusAfter: null, confirmed: false });
    await printer.print(Uint8Array.of(0x42));
    expect([...readFileSync(path)]).toEqual([0x1b, 0x40, 0x41, 0x0a, 0x42]);
  });

  it('gives PRINTER_UNREACHABLE for a device that is not there', async () => {
    const printer = createPrinter({ transport: { kind: 'device', path: join(dir, 'no-such-dir', 'lp9') }, retries: 0 });
    const e = await printer.print(Uint8Array.of(0x0a)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PrinterError);
    expect((e as PrinterError).code).toBe('PRINTER_UNREACHABLE');
  });

  it('times out instead of hanging when a readable device never answers the status query', async () => {
    const path = join(dir, 'silent');
    writeFileSync(path, '');
    const printer = createPrinter({ transport: { kind: 'device', path, readable: true }, timeoutMs: 200 });
    const started = Date.now();
    // A regular file reads as "nothing yet" forever, like a printer that does not answer.
    const e = await printer.status().catch((err: unknown) => err);
    expect((e as PrinterError).code).toBe('PRINTER_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a status check on a write-only device (a Windows share cannot answer)', () => {
    expect(() => createPrinter({ transport: { kind: 'device', path: join(dir, 'x') }, statusCheck: true })).toThrow(/statusCheck: false/);
  });
});
