import { open, type FileHandle } from 'node:fs/promises';
import { PrinterError } from '../printer-error.js';
import { withTimeout, type PrinterConnection, type PrinterTransport } from './transport.js';

export interface DeviceTransportConfig {
  kind: 'device';
  /** `/dev/usb/lp0` (Linux usblp; the user must be in group `lp`), or `\\\\host\\printer` on Windows. */
  path: string;
  /**
   * Read status answers back from the device. Linux usblp answers `DLE EOT`; a Windows share
   * cannot, so it is off by default. Default false.
   */
  readable?: boolean;
}

const READ_POLL_MS = 20;

/**
 * A printer seen as a file. Trap: a write to a device that stopped taking data blocks inside a
 * libuv worker thread; the timeout frees the caller, not the thread, so timeouts stay long
 * enough that this only happens when the printer really is stuck.
 */
export function deviceTransport(config: DeviceTransportConfig): PrinterTransport {
  const description = `device ${config.path}`;
  const readable = config.readable ?? false;
  return {
    description,
    canRead: readable,
    async connect(timeoutMs) {
      const handle = await withTimeout(open(config.path, readable ? 'r+' : 'a'), timeoutMs, `${description} open`).catch((e: unknown) => {
        if (e instanceof PrinterError) throw e;
        throw new PrinterError('PRINTER_UNREACHABLE', `${description}: ${(e as Error).message}`, { cause: e });
      });
      return deviceConnection(handle, description);
    },
  };
}

function deviceConnection(handle: FileHandle, description: string): PrinterConnection {
  return {
    async write(data, timeoutMs) {
      await withTimeout(handle.write(data), timeoutMs, `${description} write`).catch((e: unknown) => {
        if (e instanceof PrinterError) throw e;
        throw new PrinterError('PRINTER_UNREACHABLE', `${description}: ${(e as Error).message}`, { cause: e });
      });
    },
    async readByte(timeoutMs) {
      // usblp returns 0 bytes when the printer has nothing to say yet: poll until the deadline.
      const deadline = Date.now() + timeoutMs;
      const buf = new Uint8Array(1);
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) throw new PrinterError('PRINTER_TIMEOUT', `${description}: no answer within ${timeoutMs} ms`);
        const { bytesRead } = await withTimeout(handle.read(buf, 0, 1, null), left, `${description} read`);
        if (bytesRead === 1) return buf[0] ?? 0;
        await new Promise((r) => setTimeout(r, Math.min(READ_POLL_MS, left)));
      }
    },
    discardInput: () => {},
    async close(timeoutMs) {
      await withTimeout(handle.close(), timeoutMs, `${description} close`).catch(() => {});
    },
  };
}
