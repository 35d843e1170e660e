import { ROUTES, type ServerPrintOutcome } from '@luot/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { route } from '../http/route.js';
import type { KioskPrinterTable } from './kiosk-printers.js';
import { printerAdminRoutes } from './printer-admin.routes.js';
import { ticketPrinter } from './printer-lib.js';
import { createPrinterPool } from './printer-pool.js';
import { layoutFor, printTargetFor, type PrintTarget } from './print-target.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';

/**
 * `POST /api/v1/tickets/:id/print`: the server prints a ticket on the network printer of the
 * kiosk that issued it, for kiosks that are a plain browser (docs/adr/0002-print-confirmation.md).
 * The printer is the one the admin assigned to that kiosk, at its paper width (58 mm: 384 dots,
 * 80 mm: 576) and in its mode (raster or WPC1258 text); a kiosk with none assigned uses
 * LUOT_KIOSK_PRINTER, 80 mm raster. The admin's printer list itself is printer-admin.routes.ts,
 * registered here so that both share one printer per address.
 *
 * Answer: 200 `{printed: true, duplicate?: true}` or 200 `{printed: false, code, message,
 * messageVi, printerError?}` where code is paper_end | cover_open | offline | not_configured.
 * "Not printed" is a normal outcome of the request, not an API error: the kiosk then calls
 * `/print-failed`. A ticket counts as printed only when the printer confirms after its last byte.
 *
 * Each ticket is printed at most once per server run: a second request while the first prints
 * shares its answer; one after a success is answered `duplicate` without printing. Only an admin
 * asking `{reprint: true}` prints a waiting ticket's paper again (audited as ticket.reprint).
 */

export interface PrintRoutesOptions {
  /** Kiosk -> printer table for kiosks the admin's list does not cover (`LUOT_KIOSK_PRINTER`, read by config.ts); default: none. */
  printers?: KioskPrinterTable;
  /** Base URL for the QR code (what phones on the Wi-Fi can reach); default: the request's Host. */
  publicUrl?: string;
  /** Print requests per kiosk; default 10 at once, 30 a minute. */
  rateLimiter?: RateLimiter;
  /** Printer timeouts; default 1500 ms (the citizen is waiting: 2 s is the whole budget). */
  timeoutMs?: number;
}

const MAX_REMEMBERED = 5000;
const HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/;

export function printRoutes(app: FastifyInstance, ctx: AppContext, opts: PrintRoutesOptions = {}) {
  const table: KioskPrinterTable = opts.printers ?? { byDevice: new Map(), fallback: null };
  const limiter = opts.rateLimiter ?? createRateLimiter({ burst: 10, perMinute: 30 });
  const pool = createPrinterPool({ timeoutMs: opts.timeoutMs ?? 1500, logger: ctx.logger });
  const printed = new Set<string>();
  const inflight = new Map<string, Promise<ServerPrintOutcome>>();

  const baseUrl = (req: FastifyRequest) => {
    if (opts.publicUrl) return opts.publicUrl;
    const host = req.headers.host ?? '';
    return HOST.test(host) ? `${req.protocol}://${host}` : `${req.protocol}://localhost`;
  };

  async function printTicket(ticketId: string, target: PrintTarget, base: string): Promise<ServerPrintOutcome> {
    const t = ctx.repos.tickets.get(ticketId);
    const service = t ? ctx.repos.services.get(t.serviceId) : undefined;
    if (!t || !service) throw new AppError('TICKET_NOT_FOUND');
    const pub = ctx.queue.publicTicket(ticketId);
    const { renderTicket, ticketStatusUrl } = await ticketPrinter();
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
      layoutFor(target, ctx.repos.settings.center()),
    );
    const outcome = await pool.send(target.transport, bytes, { ticketId, printer: target.source });
    if (outcome.printed) {
      printed.add(ticketId);
      if (printed.size > MAX_REMEMBERED) printed.delete(printed.values().next().value as string);
    }
    return outcome;
  }

  route(app, ROUTES.printTicket, async ({ actor, params: { id }, body: { reprint = false }, req }) => {
    // A second paper is a staff decision; a kiosk's retry must never print twice.
    if (reprint && actor.kind !== 'user') throw new AppError('FORBIDDEN', 'Only an administrator can reprint.');
    const deviceId = actor.kind === 'device' ? actor.deviceId : null;
    if (!limiter.take(deviceId !== null ? `device:${deviceId}` : `user:${actor.kind === 'user' ? actor.userId : ''}`)) throw new AppError('TOO_MANY_REQUESTS');

    if (printed.has(id) && !reprint) return { printed: true, duplicate: true };
    const running = inflight.get(id);
    if (running) return running;

    const t = ctx.repos.tickets.get(id);
    if (!t) throw new AppError('TICKET_NOT_FOUND');
    // A kiosk prints only its own tickets: another kiosk's token must not reprint someone's number.
    if (deviceId !== null && t.issuedByDevice !== deviceId) throw new AppError('FORBIDDEN');
    // A cancelled (or already called) ticket is not handed out on paper.
    if (t.status !== 'waiting') throw new AppError('TICKET_NOT_WAITING');

    // The printer of the kiosk that issued the ticket, also when an admin reprints it.
    const target = printTargetFor(ctx.repos.printers, table, deviceId ?? t.issuedByDevice);
    if (!target) {
      return { printed: false, code: 'not_configured', message: 'No printer is configured for this kiosk (admin printer list or LUOT_KIOSK_PRINTER).', messageVi: 'Chưa cấu hình máy in cho máy lấy số này.' };
    }
    const p = printTicket(id, target, baseUrl(req)).finally(() => inflight.delete(id));
    inflight.set(id, p);
    const outcome = await p;
    if (reprint) {
      ctx.repos.audit.add(ctx.clock.now(), actor.kind === 'user' ? actor.userId : null, 'ticket.reprint', `ticket:${id}`, {
        number: t.number,
        printer: target.source.kind === 'list' ? `printer:${target.source.printerId}` : 'LUOT_KIOSK_PRINTER',
        printed: outcome.printed,
        ...(outcome.printed ? {} : { code: outcome.code }),
      });
    }
    return outcome;
  });

  printerAdminRoutes(app, ctx, { pool, limiter, baseUrl });
}
