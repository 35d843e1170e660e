import { TicketIdParam } from '@luot/protocol';
import { createPrinter, isPrinterError, renderTicket, ticketStatusUrl, type Printer, type PrinterErrorCode, type TransportConfig } from '@luot/ticket-printer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { requireRole } from '../http/guard.js';
import { parseInput } from '../validate.js';
import { parseKioskPrinters, printerFor, type KioskPrinterTable } from './kiosk-printers.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';

/**
 * `POST /api/v1/tickets/:id/print`: the server prints a ticket on the network printer of the
 * kiosk that issued it, for kiosks that are a plain browser (docs/adr/0002-print-confirmation.md).
 *
 * Answer: 200 `{printed: true, duplicate?: true}` or 200 `{printed: false, code, message,
 * messageVi}` where code is paper_end | cover_open | offline | not_configured. "Not printed" is a
 * normal outcome of the request, not an API error: the kiosk then calls `/print-failed`.
 *
 * Each ticket is printed at most once per server run: a second request while the first prints
 * shares its answer; one after a success is answered `duplicate` without printing.
 */
export type ServerPrintResult =
  | { printed: true; duplicate?: true }
  | { printed: false; code: 'paper_end' | 'cover_open' | 'offline' | 'not_configured'; message: string; messageVi: string };

export interface PrintRoutesOptions {
  /** Kiosk -> printer table; default from `LUOT_KIOSK_PRINTER`. */
  printers?: KioskPrinterTable;
  /** Base URL for the QR code (what phones on the Wi-Fi can reach); default: the request's Host. */
  publicUrl?: string;
  /** Print requests per kiosk; default 10 at once, 30 a minute. */
  rateLimiter?: RateLimiter;
  /** Printer timeouts; default 1500 ms (the citizen is waiting: 2 s is the whole budget). */
  timeoutMs?: number;
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
const MAX_REMEMBERED = 5000;
const HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/;

export function printRoutes(app: FastifyInstance, ctx: AppContext, opts: PrintRoutesOptions = {}) {
  const table = opts.printers ?? parseKioskPrinters(process.env.LUOT_KIOSK_PRINTER);
  const limiter = opts.rateLimiter ?? createRateLimiter({ burst: 10, perMinute: 30 });
  // One Printer per target, so jobs to one printer are serialised by @luot/ticket-printer.
  const printers = new Map<string, Printer>();
  const printed = new Set<string>();
  const inflight = new Map<string, Promise<ServerPrintResult>>();

  const printerOf = (t: TransportConfig): Printer => {
    const key = JSON.stringify(t);
    let p = printers.get(key);
    if (!p) {
      // The confirmation after the last byte may take longer: the printer reads the status query
      // once its buffer has room, i.e. while the ticket prints (ticket-printer's confirmTimeoutMs).
      p = createPrinter({ transport: t, timeoutMs: opts.timeoutMs ?? 1500, confirmTimeoutMs: Math.max(opts.timeoutMs ?? 1500, 3000), retries: 1, retryDelayMs: 200 });
      printers.set(key, p);
    }
    return p;
  };

  const baseUrl = (req: FastifyRequest) => {
    if (opts.publicUrl) return opts.publicUrl;
    const host = req.headers.host ?? '';
    return HOST.test(host) ? `${req.protocol}://${host}` : `${req.protocol}://localhost`;
  };

  async function printTicket(ticketId: string, target: TransportConfig, base: string): Promise<ServerPrintResult> {
    const t = ctx.repos.tickets.get(ticketId);
    const service = t ? ctx.repos.services.get(t.serviceId) : undefined;
    if (!t || !service) throw new AppError('TICKET_NOT_FOUND');
    const pub = ctx.queue.publicTicket(ticketId);
    const center = ctx.repos.settings.center();
    const { bytes } = await renderTicket(
      {
        id: t.id,
        number: t.number,
        serviceName: { vi: service.nameVi, en: service.nameEn },
        issuedAt: t.issuedAt,
        ahead: pub.ahead,
        estimatedWaitMinutes: pub.estimatedWaitMinutes ?? null,
        priority: t.priority,
        ticketUrl: ticketStatusUrl(base, t.id),
      },
      { centerName: center.centerName, widthMm: 80, timeZone: center.timeZone, ...(center.ticketFooter ? { footer: center.ticketFooter } : {}) },
    );
    try {
      await printerOf(target).print(bytes);
    } catch (e) {
      if (!isPrinterError(e)) throw e;
      ctx.logger.warn({ ticketId, code: e.code, detail: e.detail }, 'kiosk ticket not printed');
      return { printed: false, code: CODES[e.code], message: e.messageEn, messageVi: e.messageVi };
    }
    printed.add(ticketId);
    if (printed.size > MAX_REMEMBERED) printed.delete(printed.values().next().value as string);
    return { printed: true };
  }

  app.post('/tickets/:id/print', async (req): Promise<ServerPrintResult> => {
    const actor = requireRole(req, 'kiosk', 'admin');
    const { id } = parseInput(TicketIdParam, req.params);
    const deviceId = actor.kind === 'device' ? actor.deviceId : null;
    if (!limiter.take(deviceId !== null ? `device:${deviceId}` : `user:${actor.kind === 'user' ? actor.userId : ''}`)) throw new AppError('TOO_MANY_REQUESTS');

    if (printed.has(id)) return { printed: true, duplicate: true };
    const running = inflight.get(id);
    if (running) return running;

    const t = ctx.repos.tickets.get(id);
    if (!t) throw new AppError('TICKET_NOT_FOUND');
    // A kiosk prints only its own tickets: another kiosk's token must not reprint someone's number.
    if (deviceId !== null && t.issuedByDevice !== deviceId) throw new AppError('FORBIDDEN');
    // A cancelled (or already called) ticket is not handed out on paper.
    if (t.status !== 'waiting') throw new AppError('TICKET_NOT_WAITING');

    const target = printerFor(table, deviceId ?? t.issuedByDevice);
    if (!target) {
      return { printed: false, code: 'not_configured', message: 'No printer is configured for this kiosk (LUOT_KIOSK_PRINTER).', messageVi: 'Chưa cấu hình máy in cho máy lấy số này.' };
    }
    const p = printTicket(id, target, baseUrl(req)).finally(() => inflight.delete(id));
    inflight.set(id, p);
    return p;
  });
}
