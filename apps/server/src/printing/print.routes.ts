import { ROUTES } from '@luot/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { route } from '../http/route.js';
import type { KioskPrinterTable } from './kiosk-printers.js';
import { printerAdminRoutes } from './printer-admin.routes.js';
import { createPrinterList } from './printer-list.js';
import { createPrinterPool } from './printer-pool.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { createTicketPrinting, FINISH_WITHIN_MS } from './ticket-printing.js';

/**
 * `POST /api/v1/tickets/:id/print`: the server prints a ticket on the network printer of the
 * kiosk that issued it, for kiosks that are a plain browser (docs/adr/0002-print-confirmation.md;
 * the use case is ticket-printing.ts). The admin's printer list itself (printer-list.ts, its
 * routes in printer-admin.routes.ts) is registered here so that both share one printer per address.
 *
 * Answer: 200 `{printed: true, duplicate?: true}` or 200 `{printed: false, code, message,
 * messageVi, printerError?}` where code is paper_end | cover_open | offline | not_configured.
 * "Not printed" is a normal outcome of the request, not an API error: the kiosk then calls
 * `/print-failed`. A ticket counts as printed only when the printer confirms after its last byte.
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

const HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/;

/** How long a stopping server waits for the prints in flight. */
const PRINT_DRAIN_MS = 8000;

export function printRoutes(app: FastifyInstance, ctx: AppContext, opts: PrintRoutesOptions = {}) {
  const limiter = opts.rateLimiter ?? createRateLimiter({ burst: 10, perMinute: 30 });
  const pool = createPrinterPool({ timeoutMs: opts.timeoutMs ?? 1500, logger: ctx.logger });
  const tickets = createTicketPrinting({
    repos: ctx.repos,
    clock: ctx.clock,
    queue: ctx.queue,
    pool,
    limiter,
    table: opts.printers ?? { byDevice: new Map(), fallback: null },
  });
  const printers = createPrinterList({ db: ctx.db, repos: ctx.repos, clock: ctx.clock, logger: ctx.logger, pool, limiter, iso: ctx.queue.views.iso });

  /** Where phones reach the server: LUOT_PUBLIC_URL, else the Host the request came to (if it looks like one). */
  const baseUrl = (req: FastifyRequest) => {
    if (opts.publicUrl) return opts.publicUrl;
    const host = req.headers.host ?? '';
    return HOST.test(host) ? `${req.protocol}://${host}` : `${req.protocol}://localhost`;
  };

  route(app, ROUTES.printTicket, ({ actor, params: { id }, body: { reprint = false }, req }) => tickets.print(actor, id, { reprint, baseUrl: baseUrl(req) }));

  /**
   * The kiosk could not print this ticket (docs/adr/0002-print-confirmation.md). If the server is
   * printing it right now (the kiosk stopped waiting, or its answer was lost), the report waits
   * for that print to end: a ticket the printer then confirms is kept, never cancelled under the
   * citizen holding its paper.
   */
  route(app, ROUTES.printFailed, async ({ actor, params: { id }, body, req }) => {
    req.log[body.code === 'not_configured' ? 'info' : 'warn']({ ticketId: id, code: body.code }, 'ticket not printed');
    await tickets.settled(id, FINISH_WITHIN_MS);
    return ctx.queue.printFailed(actor, id);
  });

  // A stop (SIGTERM, an upgrade) lets the tickets printing now finish and be remembered as
  // printed (at most one job's time: status, bytes, confirmation); otherwise the paper comes out
  // while the kiosk, without an answer, reports it unprinted to the restarted server.
  app.addHook('preClose', () => tickets.drain(PRINT_DRAIN_MS));

  printerAdminRoutes(app, printers, baseUrl);
}
