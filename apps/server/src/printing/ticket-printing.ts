import type { ServerPrintOutcome } from '@luot/protocol';
import type { Clock } from '../clock.js';
import type { Repos } from '../db/repos.js';
import { AppError } from '../errors.js';
import type { Actor } from '../queue/actor.js';
import { within } from '../within.js';
import type { Queue } from '../queue/queue.js';
import type { KioskPrinterTable } from './kiosk-printers.js';
import { ticketPrinter } from './printer-lib.js';
import type { PrinterPool } from './printer-pool.js';
import { layoutFor, printTargetFor, type PrintTarget } from './print-target.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * A kiosk waits 12 s for its print (apps/kiosk api.ts PRINT_TIMEOUT_MS) and then reports the
 * ticket unprinted, which cancels it. So the server always answers first: the whole job ends
 * within FINISH_WITHIN_MS of the request (a confirmation still missing then is "not confirmed"),
 * and a job still waiting in line behind other kiosks' tickets on a shared printer after
 * START_WITHIN_MS is given up unsent, leaving the rest for its own status, bytes and
 * confirmation. The kiosk then hears the server's answer, never its own timeout, and no paper
 * comes out for a number it has reported unprinted.
 */
export const FINISH_WITHIN_MS = 10_000;
const START_WITHIN_MS = 6_000;

export interface TicketPrintingDeps {
  repos: Repos;
  clock: Clock;
  queue: Pick<Queue, 'publicTicket'>;
  pool: PrinterPool;
  /** Print requests per kiosk (or per admin). */
  limiter: RateLimiter;
  /** LUOT_KIOSK_PRINTER's table, for kiosks the admin's printer list does not cover. */
  table: KioskPrinterTable;
}

/**
 * The server prints a kiosk's ticket on the kiosk's network printer (docs/adr/0002-print-confirmation.md):
 * the printer the admin assigned to that kiosk at its width and in its mode, else LUOT_KIOSK_PRINTER
 * at 80 mm raster. "Not printed" is an outcome, not an error: the kiosk then reports print-failed.
 *
 * Each ticket is printed at most once per server run: a second request while the first prints
 * shares its answer; one after a success is answered `duplicate` without printing. Only an admin
 * asking `reprint` prints a waiting ticket's paper again (audited as ticket.reprint).
 */
export function createTicketPrinting({ repos, clock, queue, pool, limiter, table }: TicketPrintingDeps) {
  const inflight = new Map<string, Promise<ServerPrintOutcome>>();
  /** Tickets whose bytes are going out now (past the last check that they are still wanted). */
  const sending = new Set<string>();

  async function printOnce(ticketId: string, target: PrintTarget, baseUrl: string): Promise<ServerPrintOutcome> {
    const t = repos.tickets.get(ticketId);
    const service = t ? repos.services.get(t.serviceId) : undefined;
    if (!t || !service) throw new AppError('TICKET_NOT_FOUND');
    const pub = queue.publicTicket(ticketId);
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
        ticketUrl: ticketStatusUrl(baseUrl, t.id),
      },
      layoutFor(target, repos.settings.center()),
    );
    const { PrintWithdrawnError } = await ticketPrinter();
    let outcome: ServerPrintOutcome;
    try {
      outcome = await pool.send(target.transport, bytes, { ticketId, printer: target.source }, {
        startWithinMs: START_WITHIN_MS,
        finishWithinMs: FINISH_WITHIN_MS,
        // Asked right before the first byte: a ticket cancelled while its job waited in line
        // (the kiosk gave up and reported it unprinted) must not come out on paper after all.
        // Checked and marked in one synchronous step: from here a kiosk's "print failed" waits
        // for this print's outcome; before it, the report cancels and this job is withdrawn.
        stillWanted: () => {
          const wanted = repos.tickets.get(ticketId)?.status === 'waiting';
          if (wanted) sending.add(ticketId);
          return wanted;
        },
      });
    } catch (e) {
      if (e instanceof PrintWithdrawnError) throw new AppError('TICKET_NOT_WAITING');
      throw e;
    } finally {
      sending.delete(ticketId);
    }
    // Remembered in the database: a restart must not forget that this paper exists.
    if (outcome.printed) repos.tickets.markPrinted(ticketId, clock.now());
    return outcome;
  }

  /** `baseUrl`: where phones reach the server, for the ticket's QR code. */
  async function print(actor: Actor, id: string, { reprint, baseUrl }: { reprint: boolean; baseUrl: string }): Promise<ServerPrintOutcome> {
    // A second paper is a staff decision; a kiosk's retry must never print twice.
    if (reprint && actor.kind !== 'user') throw new AppError('FORBIDDEN', 'Only an administrator can reprint.');
    const deviceId = actor.kind === 'device' ? actor.deviceId : null;
    if (!limiter.take(deviceId !== null ? `device:${deviceId}` : `user:${actor.kind === 'user' ? actor.userId : ''}`)) throw new AppError('TOO_MANY_REQUESTS');

    if (!reprint && repos.tickets.printedAt(id) !== null) return { printed: true, duplicate: true };
    const running = inflight.get(id);
    if (running) return running;

    const t = repos.tickets.get(id);
    if (!t) throw new AppError('TICKET_NOT_FOUND');
    // A kiosk prints only its own tickets: another kiosk's token must not reprint someone's number.
    if (deviceId !== null && t.issuedByDevice !== deviceId) throw new AppError('FORBIDDEN');
    // A cancelled (or already called) ticket is not handed out on paper.
    if (t.status !== 'waiting') throw new AppError('TICKET_NOT_WAITING');

    // The printer of the kiosk that issued the ticket, also when an admin reprints it.
    const target = printTargetFor(repos.printers, table, deviceId ?? t.issuedByDevice);
    if (!target) {
      return { printed: false, code: 'not_configured', message: 'No printer is configured for this kiosk (admin printer list or LUOT_KIOSK_PRINTER).', messageVi: 'Chưa cấu hình máy in cho máy lấy số này.' };
    }
    const p = printOnce(id, target, baseUrl).finally(() => inflight.delete(id));
    inflight.set(id, p);
    const outcome = await p;
    if (reprint) {
      repos.audit.add(clock.now(), actor.kind === 'user' ? actor.userId : null, 'ticket.reprint', `ticket:${id}`, {
        number: t.number,
        printer: target.source.kind === 'list' ? `printer:${target.source.printerId}` : 'LUOT_KIOSK_PRINTER',
        printed: outcome.printed,
        ...(outcome.printed ? {} : { code: outcome.code }),
      });
    }
    return outcome;
  }

  /**
   * Resolves once every print in flight has ended (or after `ms`): a stopping server lets a
   * ticket that is printing finish and be remembered as printed, rather than cut it mid-paper.
   */
  async function drain(ms: number): Promise<void> {
    if (inflight.size === 0) return;
    await within(Promise.allSettled([...inflight.values()]), ms, null);
  }

  /**
   * Resolves once the server's print of this ticket, if one is in flight, has ended (or after
   * `ms`): a kiosk's "print failed" waits for it, so it is judged on what the printer said (a
   * ticket the printer confirmed is kept, not cancelled under a citizen holding its paper).
   */
  async function settled(ticketId: string, ms: number): Promise<void> {
    const running = inflight.get(ticketId);
    // A job still waiting for its turn is withdrawn once the report cancels its ticket.
    if (!running || !sending.has(ticketId)) return;
    await within(running.catch(() => null), ms, null);
  }

  return { print, drain, settled };
}
export type TicketPrinting = ReturnType<typeof createTicketPrinting>;
