import { resolve } from 'node:path';
import { SettingError } from './ops/setting-error.js';
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
  if (!m) {
    throw new SettingError(
      'LUOT_KIOSK_RATE_LIMIT',
      `LUOT_KIOSK_RATE_LIMIT phải có dạng "số-vé-liền/mỗi-phút" (ví dụ 5/20) hoặc "off", đang là "${v}".`,
      `LUOT_KIOSK_RATE_LIMIT must be "burst/perMinute" (e.g. 5/20) or "off", got ${v}`,
    );
  }
  return { burst: Number(m[1]), perMinute: Number(m[2]) };
}

function kioskPrintersOf(v: string | undefined): KioskPrinterTable {
  try {
    return parseKioskPrinters(v);
  } catch (err) {
    const message = (err as Error).message;
    throw new SettingError(
      'LUOT_KIOSK_PRINTER',
      `LUOT_KIOSK_PRINTER không đúng: "${v}". Mỗi máy in viết dạng tcp://địa-chỉ-IP:9100 hoặc device:/dev/usb/lp0, nhiều máy in thì "mã-kiosk=máy-in" cách nhau bằng dấu phẩy (* cho các kiosk còn lại).`,
      message.startsWith('LUOT_KIOSK_PRINTER') ? message : `LUOT_KIOSK_PRINTER: ${message}`,
    );
  }
}

const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** LUOT_DEMO: yes/true/1/on or no/false/0/off (unset: no). Anything else is refused, not ignored. */
function parseDemo(v: string | undefined): boolean {
  const t = v?.trim().toLowerCase() ?? '';
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(t)) return false;
  throw new SettingError('LUOT_DEMO', `LUOT_DEMO phải là 1 (có trung tâm mẫu) hoặc 0 (không), đang là "${v}".`, `LUOT_DEMO must be 1 (demo center) or 0 (none), got "${v}"`);
}

/** Start-up settings from the environment (documented in docs/operations and api.md). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const portRaw = env.PORT?.trim() || '8080';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65535) {
    throw new SettingError('PORT', `PORT phải là số cổng từ 1 đến 65535 (ví dụ 8080), đang là "${env.PORT}".`, `PORT must be a port number from 1 to 65535 (e.g. 8080), got "${env.PORT}"`);
  }
  const socketsRaw = env.LUOT_MAX_SOCKETS_PER_ADDRESS?.trim() || '50';
  const maxSocketsPerAddress = Number(socketsRaw);
  if (!/^\d+$/.test(socketsRaw) || maxSocketsPerAddress < 1 || maxSocketsPerAddress > 100_000) {
    throw new SettingError(
      'LUOT_MAX_SOCKETS_PER_ADDRESS',
      `LUOT_MAX_SOCKETS_PER_ADDRESS phải là số nguyên từ 1 đến 100000 (mặc định 50), đang là "${env.LUOT_MAX_SOCKETS_PER_ADDRESS}".`,
      `LUOT_MAX_SOCKETS_PER_ADDRESS must be a whole number from 1 to 100000 (default 50), got "${env.LUOT_MAX_SOCKETS_PER_ADDRESS}"`,
    );
  }
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!PINO_LEVELS.includes(logLevel)) {
    throw new SettingError('LOG_LEVEL', `LOG_LEVEL phải là một trong ${PINO_LEVELS.join(', ')}, đang là "${env.LOG_LEVEL}".`, `LOG_LEVEL must be one of ${PINO_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: resolve(env.LUOT_DATA_DIR ?? './data'),
    adminPassword: env.LUOT_ADMIN_PASSWORD || undefined,
    demo: parseDemo(env.LUOT_DEMO),
    logLevel,
    maxSocketsPerAddress,
    kioskRateLimit: parseRateLimit(env.LUOT_KIOSK_RATE_LIMIT),
    publicUrl: env.LUOT_PUBLIC_URL || undefined,
    // Read here, not by the print route: a wrong value refuses the start, saying which setting.
    kioskPrinters: kioskPrintersOf(env.LUOT_KIOSK_PRINTER),
  };
}
