import { Socket } from 'node:net';
import { PrinterError } from '../printer-error.js';
import { InputQueue, withTimeout, type PrinterConnection, type PrinterTransport } from './transport.js';

export interface TcpTransportConfig {
  kind: 'tcp';
  host: string;
  /** Raw printing port; 9100 on virtually every network printer ("JetDirect"). */
  port?: number;
}

/** A network printer over a plain TCP socket; one connection per job. */
export function tcpTransport(config: TcpTransportConfig): PrinterTransport {
  const port = config.port ?? 9100;
  const description = `tcp ${config.host}:${port}`;
  return {
    description,
    canRead: true,
    connect: (timeoutMs) => connectTcp(config.host, port, description, timeoutMs),
  };
}

function connectTcp(host: string, port: number, description: string, timeoutMs: number): Promise<PrinterConnection> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const input = new InputQueue();
    // A printer that was switched off mid-job must not leave a promise waiting forever.
    socket.on('data', (d: Buffer) => input.push(d));
    socket.on('close', () => input.fail(new PrinterError('PRINTER_UNREACHABLE', `${description}: connection closed`)));
    const timer = setTimeout(() => {
      socket.destroy();
      // A printer that is off or on another network usually shows up as a connect timeout.
      reject(new PrinterError('PRINTER_UNREACHABLE', `${description}: no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(new PrinterError('PRINTER_UNREACHABLE', `${description}: ${e.message}`, { cause: e }));
    });
    socket.connect(port, host, () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // Later errors surface through write() or as a closed input queue; never unhandled.
      socket.on('error', () => {});
      socket.setNoDelay(true);
      resolve(tcpConnection(socket, input, description));
    });
  });
}

function tcpConnection(socket: Socket, input: InputQueue, description: string): PrinterConnection {
  return {
    write: (data, timeoutMs) =>
      withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.write(data, (e) => (e ? reject(new PrinterError('PRINTER_UNREACHABLE', `${description}: ${e.message}`, { cause: e })) : resolve()));
        }),
        timeoutMs,
        `${description} write`,
        () => socket.destroy(),
      ),
    readByte: (timeoutMs) => input.next(timeoutMs, description),
    discardInput: () => input.clear(),
    close: async (timeoutMs) => {
      if (socket.destroyed) return;
      // end() sends FIN after the queued bytes; some printers only start on it.
      await withTimeout(new Promise<void>((resolve) => socket.end(resolve)), timeoutMs, `${description} close`).catch(() => {});
      socket.destroy();
    },
  };
}
