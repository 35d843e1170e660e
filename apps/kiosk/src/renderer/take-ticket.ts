import type { CccdCheckInBody, CenterInfo, Service, Ticket } from '@luot/protocol';
import type { KioskApi, PrintFailureCode } from '../shared/kiosk-api.js';
import { isWorthRetrying } from '@luot/client';
import { ApiError, type ApiClient } from './api.js';

/**
 * One tap, start to end, as docs/adr/0002-print-confirmation.md decides: issue on the server,
 * print, and if printing failed tell the server (which cancels the ticket or keeps it to be
 * shown, as the center configures) and raise an alert for the staff. No React here, so the
 * whole sequence is testable with a fake printer and a real server.
 */

export type PrintOutcome = { ok: true } | { ok: false; code: PrintFailureCode | string };

/** Where the bytes go: the Electron shell's printer, or the server's network printer. */
export interface TicketPrinter {
  print(ticket: Ticket, service: Service): Promise<PrintOutcome>;
}

export type TakeResult =
  | { kind: 'printed'; ticket: Ticket }
  /**
   * No printer is configured for this kiosk at all (the shell has none, or the server answers
   * not_configured): a deliberate screen-only kiosk. The number and QR are shown, the ticket
   * waits as issued, and nothing is reported: there is no printer to be broken.
   */
  | { kind: 'screen-only'; ticket: Ticket }
  /** Not printed, but the center keeps such tickets: the screen shows the number and QR. */
  | { kind: 'shown'; ticket: Ticket; printCode: string }
  /** Not printed, and the server cancelled it: no number was handed out. */
  | { kind: 'not-issued'; printCode: string }
  /**
   * The server refused to issue (closed, daily limit, rate limit...). `checkIn`: it refused the
   * ID-card check-in, with the rule's code (bad_date, check_in_off...), never the values.
   */
  | { kind: 'refused'; code: string; message: string; messageVi: string; checkIn?: string; gaveUp?: true };

export function ticketUrl(origin: string, ticketId: string): string {
  return `${origin.replace(/\/+$/, '')}/t/${encodeURIComponent(ticketId)}`;
}

export function electronPrinter(kiosk: KioskApi, origin: string, center: () => CenterInfo | undefined = () => undefined): TicketPrinter {
  return {
    async print(ticket, service) {
      const r = await kiosk.print({
        kind: 'ticket',
        ticketId: ticket.id,
        number: ticket.number,
        serviceName: service.name,
        priority: ticket.priority,
        ahead: ticket.ahead ?? 0,
        ...(ticket.estimatedWaitMinutes !== undefined ? { estimatedWaitMinutes: ticket.estimatedWaitMinutes } : {}),
        issuedAt: ticket.issuedAt,
        qrUrl: ticketUrl(origin, ticket.id),
        ...(center()?.name ? { centerName: center()!.name } : {}),
        ...(center()?.ticketFooter ? { footer: center()!.ticketFooter } : {}),
      });
      return r.ok ? { ok: true } : { ok: false, code: r.code };
    },
  };
}

/**
 * The shell's printer, or the server's when the shell has none (kiosk.json `printer: none`
 * means "the server prints", docs/deployment.md). Only when neither has a printer is the
 * answer not_configured: a screen-only kiosk.
 */
export function shellOrServerPrinter(shell: TicketPrinter, server: TicketPrinter): TicketPrinter {
  return {
    async print(ticket, service) {
      const r = await shell.print(ticket, service);
      return !r.ok && isScreenOnly(r.code) ? server.print(ticket, service) : r;
    },
  };
}

export function serverPrinter(api: ApiClient): TicketPrinter {
  return {
    async print(ticket) {
      try {
        const r = await api.printOnServer(ticket.id);
        return r.printed ? { ok: true } : { ok: false, code: r.code };
      } catch (e) {
        // No answer: we cannot know whether it printed. Reported as a failure, so the server's
        // rule applies (cancel or show); showing the number is the worst case, never a lost citizen.
        return { ok: false, code: e instanceof ApiError ? `server_${e.code}` : 'io' };
      }
    },
  };
}

/**
 * The printer outcome of a kiosk with no printer configured (Electron shell without a printer in
 * kiosk.json, or the server with no printer for this kiosk). A configured printer that fails
 * answers paper_end, offline, io... instead, and stays a failure.
 */
export function isScreenOnly(code: string): boolean {
  return code === 'not_configured';
}

export const ALERT_TEXT: Record<string, { en: string; vi: string }> = {
  paper_end: { en: 'Kiosk printer is out of paper', vi: 'Máy in của máy lấy số đã hết giấy' },
  cover_open: { en: 'Kiosk printer cover is open', vi: 'Nắp máy in của máy lấy số đang mở' },
  offline: { en: 'Kiosk printer is offline', vi: 'Máy in của máy lấy số không hoạt động' },
};

export function alertText(code: string): { en: string; vi: string } {
  return ALERT_TEXT[code] ?? { en: `Kiosk printer failed (${code})`, vi: `Máy in của máy lấy số gặp sự cố (${code})` };
}

export interface TakeTicketDeps {
  api: ApiClient;
  printer: TicketPrinter;
  newKey: () => string;
  log?: (msg: string) => void;
  /**
   * The issue request got no answer (or only server failures) until its retries gave up: the
   * server may still have issued a ticket, or may yet. The key goes to abandoned-taps.ts, which
   * tells the server once it answers again, so that ticket never waits without its citizen.
   */
  onGiveUp?: (key: string) => void;
}

export async function takeTicket(deps: TakeTicketDeps, service: Service, priority: boolean, checkIn?: CccdCheckInBody): Promise<TakeResult> {
  // One tap, one Idempotency-Key, made here and only here: the issue request is retried with it
  // while no answer comes (api.issueTicket), so whatever is lost on the way, the server answers
  // with the one ticket this tap got, and that ticket is printed and shown.
  const key = deps.newKey();
  let ticket: Ticket;
  try {
    ticket = await deps.api.issueTicket(service.id, priority, key, checkIn);
  } catch (e) {
    // A refusal (closed, daily limit, too many taps), or no answer even after retrying for 20 s:
    // the error says which, in Vietnamese and English.
    if (e instanceof ApiError && isWorthRetrying(e)) {
      deps.onGiveUp?.(key);
      return { kind: 'refused', code: e.code, message: e.message, messageVi: e.messageVi, gaveUp: true };
    }
    if (e instanceof ApiError) {
      const refusedCheckIn = checkIn ? e.issues?.find((i) => i.path === 'checkIn' || i.path.startsWith('checkIn.')) : undefined;
      return { kind: 'refused', code: e.code, message: e.message, messageVi: e.messageVi, ...(refusedCheckIn ? { checkIn: refusedCheckIn.path === 'checkIn' ? refusedCheckIn.message : 'not_cccd' } : {}) };
    }
    throw e;
  }
  const printed = await deps.printer.print(ticket, service).catch((e: unknown): PrintOutcome => {
    deps.log?.(`print threw: ${String(e)}`);
    return { ok: false, code: 'io' };
  });
  if (printed.ok) return { kind: 'printed', ticket };
  // Not a failure: no alert, no print-failed (which would cancel the ticket under the center's
  // printFailure rule 'cancel'), and the citizen is asked calmly to remember the number.
  if (isScreenOnly(printed.code)) return { kind: 'screen-only', ticket };

  const text = alertText(printed.code);
  // The staff alert must not wait for, nor fail with, the ticket bookkeeping.
  void deps.api.alert({ code: `printer_${printed.code}`, message: text.en, messageVi: text.vi, active: true }).catch(() => {});
  try {
    const after = await deps.api.printFailed(ticket.id, printed.code);
    if (after && after.status === 'cancelled') return { kind: 'not-issued', printCode: printed.code };
    // Keep `ahead` and the rest from the issue answer if the print-failed answer is shorter.
    return { kind: 'shown', ticket: { ...ticket, ...(after ?? {}) }, printCode: printed.code };
  } catch {
    // The server did not hear about the failure, so the ticket still waits in the queue: the
    // citizen must see its number, or they would be skipped when it is called.
    return { kind: 'shown', ticket, printCode: printed.code };
  }
}
