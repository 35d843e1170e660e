import { PrinterError } from './printer-error.js';
import { isStatusByte, parseStatus, STATUS_QUERIES, statusProblem, statusQueryBytes, type PrinterStatus, type StatusQuery } from './printer-status.js';
import { deviceTransport, type DeviceTransportConfig } from './transports/device-file.js';
import { tcpTransport, type TcpTransportConfig } from './transports/tcp.js';
import type { PrinterConnection, PrinterTransport } from './transports/transport.js';
import { usbTransport, type UsbTransportConfig } from './transports/usb.js';

export type TransportConfig = TcpTransportConfig | DeviceTransportConfig | UsbTransportConfig;

export interface PrinterConfig {
  transport: TransportConfig;
  /**
   * Ask the printer for its status (`DLE EOT`) before each job. Default: on when the transport
   * can read answers. Turn it off for a printer that never answers, or every job times out.
   */
  statusCheck?: boolean;
  /** Longest wait for one step (connect, one status answer, the write). Default 5000 ms. */
  timeoutMs?: number;
  /**
   * Longest wait for each status answer after the last byte of a ticket (default: timeoutMs,
   * at least 3000 ms). Longer than the others: a printer whose input buffer is full reads the
   * query only once it has printed enough of the ticket to make room.
   */
  confirmTimeoutMs?: number;
  /** Extra connection attempts when the printer cannot be reached. Default 2. */
  retries?: number;
  /** Pause between attempts. Default 500 ms. */
  retryDelayMs?: number;
}

export interface PrintResult {
  /** The status read before printing; null when status checks are off. */
  status: PrinterStatus | null;
  /** The status the printer confirmed after the last byte; null when status checks are off. */
  statusAfter: PrinterStatus | null;
  /**
   * True when the printer answered, after the last byte, that it is online with paper and its
   * cover closed. Always true when print() resolves with status checks on (anything else
   * rejects); false only with status checks off, where nothing can be confirmed.
   */
  confirmed: boolean;
}

/** What a caller may ask of one print job beyond its bytes. */
export interface PrintOptions {
  /**
   * The job must have started (its turn come, behind other jobs to the same printer) within this
   * many ms of the call, or it is given up unsent (PRINTER_TIMEOUT): a citizen at a kiosk waits a
   * few seconds at most, and a ticket that prints after the kiosk gave up is a paper for a number
   * the kiosk has already reported unprinted.
   */
  startWithinMs?: number;
  /**
   * The whole job (its wait in line included) must end within this many ms of the call: every
   * wait for the printer is cut to the time left. Ending late before the first byte is
   * PRINTER_TIMEOUT (nothing sent); waiting for the confirmation past it is PRINTER_NOT_CONFIRMED.
   * So the caller always has an answer within its own budget.
   */
  finishWithinMs?: number;
  /**
   * Asked once more right before the first byte goes out (after the status check): false gives
   * the job up unsent with a PrintWithdrawnError (the ticket was cancelled while the job waited).
   */
  stillWanted?: () => boolean;
}

/** The job was given up before any byte went out, because its caller no longer wanted it. */
export class PrintWithdrawnError extends Error {
  override readonly name = 'PrintWithdrawnError';
}

export interface Printer {
  readonly description: string;
  /** Reads the printer's status; rejects with PrinterError (PRINTER_TIMEOUT, PRINTER_UNREACHABLE). */
  status(): Promise<PrinterStatus>;
  /**
   * Checks the status, sends the bytes, then asks the status again: the ticket counts as printed
   * only when the printer answers, after the last byte, that it is still online with paper and
   * the cover closed. Rejects with a PrinterError whose code says why (PRINTER_PAPER_END,
   * PRINTER_COVER_OPEN, PRINTER_OFFLINE, PRINTER_TIMEOUT, PRINTER_UNREACHABLE before the bytes;
   * after them the same status codes, or PRINTER_NOT_CONFIRMED when the printer reset, dropped
   * the link or did not answer); every step has a timeout, so it never hangs.
   */
  print(bytes: Uint8Array, options?: PrintOptions): Promise<PrintResult>;
}

export function createTransport(config: TransportConfig): PrinterTransport {
  switch (config.kind) {
    case 'tcp':
      return tcpTransport(config);
    case 'device':
      return deviceTransport(config);
    case 'usb':
      return usbTransport(config);
  }
}

export function createPrinter(config: PrinterConfig): Printer {
  return printerOver(createTransport(config.transport), config);
}

/** A printer over any transport; exported so a kiosk can bring its own (e.g. a Windows spooler). */
export function printerOver(transport: PrinterTransport, config: Omit<PrinterConfig, 'transport'> = {}): Printer {
  const timeoutMs = config.timeoutMs ?? 5000;
  const confirmTimeoutMs = config.confirmTimeoutMs ?? Math.max(timeoutMs, 3000);
  const retries = config.retries ?? 2;
  const retryDelayMs = config.retryDelayMs ?? 500;
  const checkStatus = config.statusCheck ?? transport.canRead;
  if (checkStatus && !transport.canRead) {
    throw new Error(`${transport.description} cannot read answers back: set statusCheck: false`);
  }

  // Jobs go one at a time: two kiosk taps must not interleave their bytes on one printer.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => {});
    return run;
  };

  /** Opens a fresh connection per job, so a printer that was restarted is simply found again. */
  async function connect(): Promise<PrinterConnection> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await transport.connect(timeoutMs);
      } catch (e) {
        if (!(e instanceof PrinterError) || e.code !== 'PRINTER_UNREACHABLE' || attempt >= retries) throw e;
        await new Promise((r) => setTimeout(r, retryDelayMs));
      }
    }
  }

  async function readStatus(conn: PrinterConnection, waitMs = timeoutMs, deadline = Infinity): Promise<PrinterStatus> {
    conn.discardInput();
    const answers = {} as Record<StatusQuery, number>;
    const left = (ms: number) => Math.max(1, Math.min(ms, deadline - Date.now()));
    for (const n of STATUS_QUERIES) {
      await conn.write(statusQueryBytes(n), left(timeoutMs));
      const b = await conn.readByte(left(waitMs));
      // Bits 1 and 4 set, 0 and 7 clear: anything else is not an answer (a printer rebooting
      // prints its banner, a wrong device echoes): never read it as "all clear".
      if (!isStatusByte(b)) throw new PrinterError('PRINTER_OFFLINE', `${transport.description}: 0x${b.toString(16)} is not a status answer to DLE EOT ${n}`);
      answers[n] = b;
    }
    return parseStatus(answers);
  }

  /**
   * After the last byte: the printer must answer all four queries, online, paper in, cover
   * closed. A reset mid-ticket drops the connection or stops answering; paper running out or the
   * cover opened mid-ticket shows in the answer. Either way the ticket is not printed.
   */
  async function confirmPrinted(conn: PrinterConnection, deadline: number): Promise<PrinterStatus> {
    let after: PrinterStatus;
    try {
      after = await readStatus(conn, confirmTimeoutMs, deadline);
    } catch (e) {
      const detail = e instanceof PrinterError ? `${e.code}${e.detail ? `: ${e.detail}` : ''}` : String(e);
      throw new PrinterError('PRINTER_NOT_CONFIRMED', `${transport.description}: no status after the ticket was sent (${detail})`, { cause: e });
    }
    const problem = statusProblem(after);
    if (problem) throw new PrinterError(problem, `${transport.description}: after the ticket was sent`);
    return after;
  }

  async function withConnection<T>(work: (conn: PrinterConnection) => Promise<T>): Promise<T> {
    const conn = await connect();
    try {
      return await work(conn);
    } finally {
      await conn.close(timeoutMs);
    }
  }

  return {
    description: transport.description,
    status: () => serial(() => withConnection(readStatus)),
    print: (bytes, options = {}) => {
      const calledAt = Date.now();
      return serial(() => {
        const waited = Date.now() - calledAt;
        if (options.startWithinMs !== undefined && waited > options.startWithinMs) {
          return Promise.reject(new PrinterError('PRINTER_TIMEOUT', `${transport.description}: waited ${waited} ms behind other jobs; not sent`));
        }
        const deadline = options.finishWithinMs === undefined ? Infinity : calledAt + options.finishWithinMs;
        return withConnection(async (conn) => {
          const status = checkStatus ? await readStatus(conn, timeoutMs, deadline) : null;
          const problem = status ? statusProblem(status) : null;
          if (problem) throw new PrinterError(problem, transport.description);
          if (options.stillWanted && !options.stillWanted()) throw new PrintWithdrawnError(`${transport.description}: withdrawn before the first byte`);
          // No retry once bytes are on their way: a second attempt could print the ticket twice.
          try {
            await conn.write(bytes, timeoutMs);
          } catch (e) {
            // Some bytes may have gone out: what reached the paper is unknown.
            if (e instanceof PrinterError) throw new PrinterError('PRINTER_NOT_CONFIRMED', `${e.code}: ${e.detail ?? ''}`, { cause: e });
            throw e;
          }
          if (!checkStatus) return { status, statusAfter: null, confirmed: false };
          return { status, statusAfter: await confirmPrinted(conn, deadline), confirmed: true };
        });
      });
    },
  };
}
