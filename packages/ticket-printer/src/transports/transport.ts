import { PrinterError } from '../printer-error.js';

/** One open link to a printer, for one print job. */
export interface PrinterConnection {
  /** Resolves once the bytes are handed to the OS (socket, device); rejects with PrinterError. */
  write(data: Uint8Array, timeoutMs: number): Promise<void>;
  /** The next byte the printer sent, or PRINTER_TIMEOUT. Only for transports that can read. */
  readByte(timeoutMs: number): Promise<number>;
  /** Forgets bytes the printer sent unasked (e.g. automatic status back), before a query. */
  discardInput(): void;
  /** Flushes and closes; never throws. */
  close(timeoutMs: number): Promise<void>;
}

export interface PrinterTransport {
  /** For logs: "tcp 192.168.1.50:9100", "device /dev/usb/lp0". */
  readonly description: string;
  /** Whether the printer's answers can be read back (status queries). */
  readonly canRead: boolean;
  /** Opens a connection; rejects with PRINTER_UNREACHABLE or PRINTER_TIMEOUT. */
  connect(timeoutMs: number): Promise<PrinterConnection>;
}

/**
 * Bytes that arrived from the printer, and readers waiting for them. Shared by the transports
 * that receive data as events (TCP socket, USB IN endpoint polling).
 */
export class InputQueue {
  private bytes: number[] = [];
  private waiters: { resolve: (b: number) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private failure: Error | null = null;

  push(data: Uint8Array): void {
    for (const b of data) {
      const waiter = this.waiters.shift();
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter.resolve(b);
      } else {
        this.bytes.push(b);
      }
    }
  }

  /** Fails every current and future read: the link is gone. */
  fail(error: Error): void {
    this.failure = error;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(error);
    }
  }

  clear(): void {
    this.bytes = [];
  }

  next(timeoutMs: number, description: string): Promise<number> {
    const b = this.bytes.shift();
    if (b !== undefined) return Promise.resolve(b);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new PrinterError('PRINTER_TIMEOUT', `${description}: no answer within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }
}

/** Races a promise against a timer that rejects with PRINTER_TIMEOUT; clears the timer. */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new PrinterError('PRINTER_TIMEOUT', `${what}: no progress within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
