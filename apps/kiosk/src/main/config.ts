import { readFile } from 'node:fs/promises';

/**
 * The kiosk's configuration, written by the installer (or by hand) as JSON next to the app's
 * user data: which server, which device token, which printer. Parsed strictly: a typo must stop
 * the kiosk with a clear message on screen rather than run half-configured.
 */
export interface KioskConfig {
  /** Origin of the Luot server, e.g. `http://192.168.1.10:8080` (no path), or `auto` to find it on the LAN. */
  serverUrl: string;
  /** The kiosk device token from `POST /api/v1/devices`. Never sent to the page except in the URL fragment. */
  deviceToken: string;
  /** Shown to staff in alerts; defaults to "Kiosk". */
  kioskName: string;
  printer: PrinterConfig;
  /** `scrypt$<salt hex>$<hash hex>` of the admin PIN (see hash-pin.ts). Absent: no admin screen. */
  adminPinHash: string | null;
}

export type PrinterTarget =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'device'; path: string }
  | { kind: 'usb'; vendorId: number; productId: number }
  /** No local printer: the page asks the server to print (same as plain Chromium). */
  | { kind: 'none' };

export interface PrinterConfig {
  target: PrinterTarget;
  /** The original string, for the admin screen. */
  url: string;
  widthMm: 58 | 80;
  centerName: string;
  footer?: string;
  mode: 'raster' | 'text';
  qr: 'raster' | 'native';
  codePage?: number;
}

export type ConfigResult = { ok: true; config: KioskConfig } | { ok: false; errors: string[] };

const MAX_CONFIG_BYTES = 64 * 1024;

/** `tcp://host:9100`, `device:/dev/usb/lp0`, `usb://04b8:0202`, or `none`. */
export function parsePrinterUrl(url: string): PrinterTarget | string {
  if (url === 'none') return { kind: 'none' };
  if (url.startsWith('device:')) {
    const path = url.slice('device:'.length);
    return path.length > 0 && path.length < 260 ? { kind: 'device', path } : 'device: needs a path, e.g. device:/dev/usb/lp0';
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `not a printer URL: ${url}`;
  }
  if (u.protocol === 'tcp:') {
    const port = u.port === '' ? 9100 : Number(u.port);
    if (!u.hostname) return 'tcp:// needs a host';
    return { kind: 'tcp', host: u.hostname, port };
  }
  if (u.protocol === 'usb:') {
    // Read the raw text: URL would turn the product id "0202" into port 202.
    const m = /^usb:\/\/([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(url);
    if (!m) return 'usb:// needs vendor:product in hex, e.g. usb://04b8:0202';
    return { kind: 'usb', vendorId: parseInt(m[1] as string, 16), productId: parseInt(m[2] as string, 16) };
  }
  return `unknown printer scheme ${u.protocol} (use tcp://, device:, usb:// or none)`;
}

function str(o: Record<string, unknown>, key: string, errors: string[], opts: { required?: boolean; max?: number } = {}): string | undefined {
  const v = o[key];
  if (v === undefined) {
    if (opts.required) errors.push(`${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > (opts.max ?? 512)) {
    errors.push(`${key} must be a non-empty string of at most ${opts.max ?? 512} characters`);
    return undefined;
  }
  return v;
}

export function parseKioskConfig(text: string): ConfigResult {
  if (text.length > MAX_CONFIG_BYTES) return { ok: false, errors: ['config file is larger than 64 KB'] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: ['config must be a JSON object'] };
  const o = raw as Record<string, unknown>;
  const errors: string[] = [];
  const known = new Set(['serverUrl', 'deviceToken', 'kioskName', 'printer', 'adminPinHash']);
  for (const k of Object.keys(o)) if (!known.has(k)) errors.push(`unknown key ${k}`);

  let serverUrl = str(o, 'serverUrl', errors, { required: true });
  if (serverUrl !== undefined && serverUrl !== 'auto') {
    try {
      const u = new URL(serverUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') errors.push('serverUrl must be http:// or https://');
      else if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash || u.username) errors.push('serverUrl must be an origin only, e.g. http://192.168.1.10:8080');
      serverUrl = u.origin;
    } catch {
      errors.push(`serverUrl is not a URL: ${serverUrl}`);
    }
  }
  const deviceToken = str(o, 'deviceToken', errors, { required: true, max: 512 });
  if (deviceToken !== undefined && !/^[A-Za-z0-9._~+/=-]{16,512}$/.test(deviceToken)) errors.push('deviceToken looks wrong (copy it exactly as the admin page showed it)');
  const kioskName = str(o, 'kioskName', errors, { max: 80 }) ?? 'Kiosk';
  const adminPinHash = str(o, 'adminPinHash', errors, { max: 300 }) ?? null;
  if (adminPinHash !== null && !/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/.test(adminPinHash)) errors.push('adminPinHash must come from `pnpm --dir apps/kiosk hash-pin <PIN>`');

  const printer = parsePrinter(o.printer, errors);
  if (errors.length > 0 || !serverUrl || !deviceToken || !printer) return { ok: false, errors };
  return { ok: true, config: { serverUrl, deviceToken, kioskName, printer, adminPinHash } };
}

function parsePrinter(v: unknown, errors: string[]): PrinterConfig | undefined {
  if (v === undefined) v = { url: 'none' };
  if (typeof v === 'string') v = { url: v };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    errors.push('printer must be a URL string or an object {url, widthMm, centerName, ...}');
    return undefined;
  }
  const p = v as Record<string, unknown>;
  const before = errors.length;
  const known = new Set(['url', 'widthMm', 'centerName', 'footer', 'mode', 'qr', 'codePage']);
  for (const k of Object.keys(p)) if (!known.has(k)) errors.push(`unknown key printer.${k}`);
  const url = str(p, 'url', errors, { required: true, max: 300 });
  const target = url === undefined ? undefined : parsePrinterUrl(url);
  if (typeof target === 'string') errors.push(`printer.url: ${target}`);
  const widthMm = p.widthMm ?? 80;
  if (widthMm !== 58 && widthMm !== 80) errors.push('printer.widthMm must be 58 or 80');
  const mode = p.mode ?? 'raster';
  if (mode !== 'raster' && mode !== 'text') errors.push("printer.mode must be 'raster' or 'text'");
  const qr = p.qr ?? 'raster';
  if (qr !== 'raster' && qr !== 'native') errors.push("printer.qr must be 'raster' or 'native'");
  const codePage = p.codePage;
  if (codePage !== undefined && (typeof codePage !== 'number' || !Number.isInteger(codePage) || codePage < 0 || codePage > 255)) errors.push('printer.codePage must be an integer 0..255');
  const centerName = str(p, 'centerName', errors, { max: 120 }) ?? 'Trung tâm Phục vụ hành chính công';
  const footer = str(p, 'footer', errors, { max: 300 });
  if (errors.length > before || url === undefined || typeof target !== 'object') return undefined;
  return {
    target,
    url,
    widthMm: widthMm as 58 | 80,
    centerName,
    ...(footer !== undefined ? { footer } : {}),
    mode: mode as 'raster' | 'text',
    qr: qr as 'raster' | 'native',
    ...(codePage !== undefined ? { codePage: codePage as number } : {}),
  };
}

export async function loadKioskConfig(path: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, errors: [code === 'ENOENT' ? `no config file at ${path}` : `cannot read ${path}: ${code ?? String(e)}`] };
  }
  return parseKioskConfig(text);
}

/** The URL the window opens: the server's kiosk page, with the token in the fragment (never sent over HTTP). */
export function kioskPageUrl(config: KioskConfig): string {
  return `${config.serverUrl}/kiosk#token=${encodeURIComponent(config.deviceToken)}`;
}
