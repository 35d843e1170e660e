import { PrinterError } from './printer-error.js';
import { parseStatus, STATUS_QUERIES, statusProblem, statusQueryBytes, type PrinterStatus, type StatusQuery } from './printer-status.js';
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
  /** Extra connection attempts when the printer cannot be reached. Default 2. */
  retries?: number;
  /** Pause between attempts. Default 500 ms. */
  retryDelayMs?: number;
}

export interface PrintResult {
  /** The status read before printing; null when status checks are off. */
  status: PrinterStatus | null;
}

export interface Printer {
  readonly description: string;
  /** Reads the printer's status; rejects with PrinterError (PRINTER_TIMEOUT, PRINTER_UNREACHABLE). */
  status(): Promise<PrinterStatus>;
  /**
   * Checks the status, then sends the bytes. Rejects with a PrinterError whose code says why
   * (PRINTER_PAPER_END, PRINTER_COVER_OPEN, PRINTER_OFFLINE, PRINTER_TIMEOUT,
   * PRINTER_UNREACHABLE); every step has a timeout, so it never hangs.
   */
  print(bytes: Uint8Array): Promise<PrintResult>;
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

  async function readStatus(conn: PrinterConnection): Promise<PrinterStatus> {
    conn.discardInput();
    const answers = {} as Record<StatusQuery, number>;
    for (const n of STATUS_QUERIES) {
      await conn.write(statusQueryBytes(n), timeoutMs);
      answers[n] = await conn.readByte(timeoutMs);
    }
    return parseStatus(answers);
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
    print: (bytes) =>
      serial(() =>
        withConnection(async (conn) => {
          const status = checkStatus ? await readStatus(conn) : null;
          const problem = status ? statusProblem(status) : null;
          if (problem) throw new PrinterError(problem, transport.description);
          // No retry once bytes are on their way: a second attempt could print the ticket twice.
          await conn.write(bytes, timeoutMs);
          return { status };
        }),
      ),
  };
}
