import { createPrinter, isPrinterError, renderTicket, statusProblem, type Printer, type PrinterErrorCode, type TicketLayout } from '@luot/ticket-printer';
import type { PrintFailureCode, PrinterStatusResult, TicketPrintJob } from '../shared/kiosk-api.js';
import type { PrinterConfig } from './config.js';
import { PrinterError, type PrinterPort } from './print-handler.js';

/**
 * The kiosk's local printer, through @luot/ticket-printer: render the ticket to ESC/POS, then
 * `printer.print`, which reads DLE EOT before sending (the PrinterPort contract) and serialises
 * jobs. Returns null for `printer: "none"`, where the page falls back to server printing.
 */
const CODES: Record<PrinterErrorCode, PrintFailureCode> = {
  PRINTER_PAPER_END: 'paper_end',
  PRINTER_COVER_OPEN: 'cover_open',
  PRINTER_OFFLINE: 'offline',
  PRINTER_TIMEOUT: 'offline',
  PRINTER_UNREACHABLE: 'offline',
  // Sent but not confirmed (reset, link lost mid-ticket): not printed, as the kiosk says "offline".
  PRINTER_NOT_CONFIRMED: 'offline',
};

export function toPortError(e: unknown): PrinterError {
  if (isPrinterError(e)) return new PrinterError(CODES[e.code], e.messageEn);
  return new PrinterError('io', e instanceof Error ? e.message : String(e));
}

export function layoutOf(config: PrinterConfig): TicketLayout {
  return {
    centerName: config.centerName,
    widthMm: config.widthMm,
    mode: config.mode,
    qr: config.qr,
    ...(config.footer !== undefined ? { footer: config.footer } : {}),
    ...(config.codePage !== undefined ? { codePage: config.codePage } : {}),
  };
}

export function printerPortOver(printer: Printer, layout: TicketLayout): PrinterPort {
  return {
    async status(): Promise<PrinterStatusResult> {
      try {
        const s = await printer.status();
        const problem = statusProblem(s);
        if (problem) return { ok: false, code: CODES[problem], message: problem };
        return { ok: true, paperLow: s.paperNearEnd };
      } catch (e) {
        const pe = toPortError(e);
        return { ok: false, code: pe.code, message: pe.message };
      }
    },
    async print(job: TicketPrintJob): Promise<void> {
      const { bytes } = await renderTicket(
        {
          id: job.ticketId,
          number: job.number,
          serviceName: job.serviceName,
          issuedAt: job.issuedAt,
          ahead: job.ahead,
          estimatedWaitMinutes: job.estimatedWaitMinutes ?? null,
          priority: job.priority,
          ticketUrl: job.qrUrl,
        },
        // One template everywhere: the admin pages' name and footer win over kiosk.json's.
        { ...layout, ...(job.centerName ? { centerName: job.centerName } : {}), ...(job.footer ? { footer: job.footer } : {}) },
      );
      try {
        await printer.print(bytes);
      } catch (e) {
        throw toPortError(e);
      }
    },
  };
}

export function createPrinterPort(config: PrinterConfig): PrinterPort | null {
  const t = config.target;
  if (t.kind === 'none') return null;
  const transport =
    t.kind === 'tcp'
      ? { kind: 'tcp' as const, host: t.host, port: t.port }
      : t.kind === 'device'
        ? // usblp on Linux answers DLE EOT; a Windows share cannot be read back.
          { kind: 'device' as const, path: t.path, readable: !t.path.startsWith('\\\\') }
        : { kind: 'usb' as const, vendorId: t.vendorId, productId: t.productId };
  // Short timeouts: the citizen is standing there; 2 s is the whole budget for a ticket.
  // The confirmation after the last byte may wait longer: a printer reads the status query only
  // once its buffer has room, i.e. while the ticket is printing.
  return printerPortOver(createPrinter({ transport, timeoutMs: 1500, confirmTimeoutMs: 3000, retries: 1, retryDelayMs: 200 }), layoutOf(config));
}
