import { resolve } from 'node:path';
import { parseKioskPrinters, type KioskPrinterTable } from './printing/kiosk-printers.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  adminPassword: string | undefined;
  demo: boolean;
  logLevel: string;
  maxSocketsPerAddress: number;
  /** Tickets per kiosk: burst, then per minute; null = off. */
  kioskRateLimit: { burst: number; perMinute: number } | null;
  /** The address phones reach the server at, for the QR on server-printed tickets. */
  publicUrl: string | undefined;
  /** LUOT_KIOSK_PRINTER: the printers of plain-browser kiosks the admin's printer list does not cover. */
  kioskPrinters: KioskPrinterTable;
}

function parseRateLimit(v: string | undefined): Config['kioskRateLimit'] {
  if (v === undefined || v === '') return { burst: 5, perMinute: 20 };
  if (v === 'off') return null;
  const m = /^(\d{1,4})\/(\d{1,5})$/.exec(v);
  if (!m) throw new Error(`LUOT_KIOSK_RATE_LIMIT must be "burst/perMinute" (e.g. 5/20) or "off", got ${v}`);
  return { burst: Number(m[1]), perMinute: Number(m[2]) };
}

function kioskPrintersOf(v: string | undefined): KioskPrinterTable {
  try {
    return parseKioskPrinters(v);
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith('LUOT_KIOSK_PRINTER') ? message : `LUOT_KIOSK_PRINTER: ${message}`);
  }
}

/** Start-up settings from the environment (documented in docs/operations and api.md). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.LUOT_DATA_DIR ?? './data'),
    adminPassword: env.LUOT_ADMIN_PASSWORD || undefined,
    demo: env.LUOT_DEMO === '1' || env.LUOT_DEMO === 'true',
    logLevel: env.LOG_LEVEL ?? 'info',
    maxSocketsPerAddress: Number(env.LUOT_MAX_SOCKETS_PER_ADDRESS ?? 50),
    kioskRateLimit: parseRateLimit(env.LUOT_KIOSK_RATE_LIMIT),
    publicUrl: env.LUOT_PUBLIC_URL || undefined,
    // Read here, not by the print route: a wrong value refuses the start, saying which setting.
    kioskPrinters: kioskPrintersOf(env.LUOT_KIOSK_PRINTER),
  };
}
