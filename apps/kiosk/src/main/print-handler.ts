import type { PrintFailureCode, PrintResult, PrinterStatusResult, TicketPrintJob } from '../shared/kiosk-api.js';

/**
 * The main-process side of the `kiosk:print` channel: check who asks, check what they ask, print
 * each ticket at most once.
 */

/** What the handler needs from a printer; the real one wraps @luot/ticket-printer (printer-port.ts). */
export interface PrinterPort {
  status(): Promise<PrinterStatusResult>;
  /**
   * Renders and sends one ticket; rejects with a PrinterError when it did not go out.
   * Contract: checks the printer's status (DLE EOT) BEFORE sending. An ESC/POS printer without
   * paper still buffers bytes and prints them when someone refills it, minutes later, for a
   * citizen who has gone - and by then the server has cancelled that number.
   */
  print(job: TicketPrintJob): Promise<void>;
}

export class PrinterError extends Error {
  constructor(
    readonly code: PrintFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'PrinterError';
  }
}

export interface InvokeEventLike {
  senderFrame?: { url: string } | null;
}

const TICKET_ID = /^[A-Za-z0-9_-]{16,64}$/;
const MAX_REMEMBERED = 2000;

function isShortString(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

/** A bounded check of the page's request: the page is ours, but a bug there must not print garbage. */
export function parsePrintJob(v: unknown): TicketPrintJob | null {
  if (typeof v !== 'object' || v === null) return null;
  const j = v as Record<string, unknown>;
  const name = j.serviceName as Record<string, unknown> | undefined;
  if (j.kind !== 'ticket') return null;
  if (typeof j.ticketId !== 'string' || !TICKET_ID.test(j.ticketId)) return null;
  if (!isShortString(j.number, 16)) return null;
  if (typeof name !== 'object' || name === null || !isShortString(name.vi, 120) || !isShortString(name.en, 120)) return null;
  if (typeof j.priority !== 'boolean') return null;
  if (typeof j.ahead !== 'number' || !Number.isInteger(j.ahead) || j.ahead < 0 || j.ahead > 100_000) return null;
  const wait = j.estimatedWaitMinutes;
  if (wait !== undefined && (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > 100_000)) return null;
  if (!isShortString(j.issuedAt, 40) || Number.isNaN(Date.parse(j.issuedAt))) return null;
  if (!isShortString(j.qrUrl, 300) || !/^https?:\/\//.test(j.qrUrl)) return null;
  if (j.centerName !== undefined && !isShortString(j.centerName, 120)) return null;
  if (j.footer !== undefined && !isShortString(j.footer, 200)) return null;
  return {
    kind: 'ticket',
    ticketId: j.ticketId,
    number: j.number,
    serviceName: { vi: name.vi, en: name.en },
    priority: j.priority,
    ahead: j.ahead,
    ...(wait !== undefined ? { estimatedWaitMinutes: wait as number } : {}),
    issuedAt: j.issuedAt,
    qrUrl: j.qrUrl,
    ...(j.centerName !== undefined ? { centerName: j.centerName as string } : {}),
    ...(j.footer !== undefined ? { footer: j.footer as string } : {}),
  };
}

export function isFromServer(event: InvokeEventLike, serverOrigin: string): boolean {
  const url = event.senderFrame?.url;
  if (!url) return false;
  try {
    return new URL(url).origin === serverOrigin;
  } catch {
    return false;
  }
}

export interface PrintHandlerOptions {
  printer: PrinterPort | null;
  serverOrigin: string;
  log?: (msg: string) => void;
}

export function createPrintHandler(opts: PrintHandlerOptions) {
  const log = opts.log ?? (() => {});
  // One print per ticket id: a second request while the first runs gets the same answer; one
  // after a success is answered `duplicate` without touching the printer. A failure is
  // forgotten, so staff can retry once the paper is in.
  const inflight = new Map<string, Promise<PrintResult>>();
  const printed = new Set<string>();
  // Prints of different tickets go out one after the other: two byte streams interleaved on one
  // printer would make two unreadable tickets.
  let queue: Promise<unknown> = Promise.resolve();

  async function printOnce(job: TicketPrintJob, printer: PrinterPort): Promise<PrintResult> {
    try {
      await printer.print(job);
    } catch (e) {
      return failure(e);
    }
    printed.add(job.ticketId);
    if (printed.size > MAX_REMEMBERED) printed.delete(printed.values().next().value as string);
    return { ok: true, duplicate: false };
  }

  function failure(e: unknown): { ok: false; code: PrintFailureCode; message: string } {
    if (e instanceof PrinterError) return { ok: false, code: e.code, message: e.message };
    log(`printer error: ${String(e)}`);
    return { ok: false, code: 'io', message: 'printer did not answer' };
  }

  return async function handlePrint(event: InvokeEventLike, request: unknown): Promise<PrintResult | PrinterStatusResult> {
    if (!isFromServer(event, opts.serverOrigin)) {
      log(`print refused: sender ${event.senderFrame?.url ?? 'unknown'}`);
      return { ok: false, code: 'invalid', message: 'not from the kiosk page' };
    }
    const printer = opts.printer;
    if (typeof request === 'object' && request !== null && (request as { kind?: unknown }).kind === 'status') {
      if (!printer) return { ok: false, code: 'not_configured', message: 'no local printer' };
      return printer.status().catch((e: unknown) => failure(e));
    }
    const job = parsePrintJob(request);
    if (!job) return { ok: false, code: 'invalid', message: 'malformed print request' };
    if (!printer) return { ok: false, code: 'not_configured', message: 'no local printer' };
    if (printed.has(job.ticketId)) return { ok: true, duplicate: true };
    const running = inflight.get(job.ticketId);
    if (running) return running;
    const p = queue.then(() => printOnce(job, printer)).finally(() => inflight.delete(job.ticketId));
    queue = p;
    inflight.set(job.ticketId, p);
    return p;
  };
}
