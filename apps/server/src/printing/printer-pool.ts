import type { createPrinter as CreatePrinter, Printer, PrinterErrorCode, PrintOptions, TransportConfig } from '@luot/ticket-printer';
import type { ServerPrintOutcome } from '@luot/protocol';
import type { Logger } from 'pino';
import { ticketPrinter } from './printer-lib.js';

/**
 * One `Printer` per address, shared by kiosk tickets, reprints and the admin's test page, so
 * jobs to one printer go one at a time (@luot/ticket-printer serialises per Printer) and never
 * interleave their bytes.
 */
export interface PrinterPool {
  /**
   * Sends the bytes; "not printed" is an outcome with its reason, never a thrown error, except a
   * job withdrawn by `options.stillWanted` (PrintWithdrawnError: nothing was sent).
   */
  send(transport: TransportConfig, bytes: Uint8Array, logContext: Record<string, unknown>, options?: PrintOptions): Promise<ServerPrintOutcome>;
}

const CODES: Record<PrinterErrorCode, 'paper_end' | 'cover_open' | 'offline'> = {
  PRINTER_PAPER_END: 'paper_end',
  PRINTER_COVER_OPEN: 'cover_open',
  PRINTER_OFFLINE: 'offline',
  PRINTER_TIMEOUT: 'offline',
  PRINTER_UNREACHABLE: 'offline',
  // Sent but not confirmed (reset, link lost mid-ticket): not printed, as the kiosk says "offline".
  PRINTER_NOT_CONFIRMED: 'offline',
};

export function createPrinterPool(opts: { timeoutMs: number; logger: Logger }): PrinterPool {
  const printers = new Map<string, Printer>();
  const printerOf = (t: TransportConfig, createPrinter: typeof CreatePrinter): Printer => {
    const key = JSON.stringify(t);
    let p = printers.get(key);
    if (!p) {
      // The confirmation after the last byte may take longer: the printer reads the status query
      // once its buffer has room, i.e. while the ticket prints (ticket-printer's confirmTimeoutMs).
      p = createPrinter({ transport: t, timeoutMs: opts.timeoutMs, confirmTimeoutMs: Math.max(opts.timeoutMs, 3000), retries: 1, retryDelayMs: 200 });
      printers.set(key, p);
    }
    return p;
  };
  return {
    async send(transport, bytes, logContext, options) {
      const { createPrinter, isPrinterError } = await ticketPrinter();
      try {
        await printerOf(transport, createPrinter).print(bytes, options);
        return { printed: true };
      } catch (e) {
        if (!isPrinterError(e)) throw e;
        opts.logger.warn({ ...logContext, code: e.code, detail: e.detail }, 'not printed');
        return { printed: false, code: CODES[e.code], message: e.messageEn, messageVi: e.messageVi, printerError: e.code };
      }
    },
  };
}
