import { z } from 'zod';
import { Id } from './schemas.js';

/**
 * The admin's printer list (docs/printing.md, "Printer list"): network printers the server
 * prints on for plain-browser kiosks, each with its paper width and mode and the kiosks it
 * serves. Admin only, under /api/v1/admin/printers.
 */

export const PAPER_WIDTHS_MM = [58, 80] as const;
export type PaperWidth = (typeof PAPER_WIDTHS_MM)[number];
/** 'raster': the ticket as an image (any printer). 'text': the printer's font with WPC1258. */
export const PrinterMode = z.enum(['raster', 'text']);
export type PrinterMode = z.infer<typeof PrinterMode>;
/** Raw TCP ("JetDirect", "port 9100") is what every network ticket printer speaks. */
export const DEFAULT_PRINTER_PORT = 9100;
/** `ESC t 52` selects WPC1258 on Epson printers; clones print their number on the self-test page. */
export const DEFAULT_PRINTER_CODE_PAGE = 52;

export type PrinterAddressCheck = { ok: true; host: string; port: number; address: string } | { ok: false; vi: string; en: string };

const BAD_FORM = {
  vi: 'Địa chỉ máy in phải có dạng tcp://192.168.1.50:9100 (địa chỉ IP, rồi cổng).',
  en: 'A printer address looks like tcp://192.168.1.50:9100 (an IP address, then the port).',
};
const A_NAME = {
  vi: 'Hãy nhập địa chỉ IP của máy in (ví dụ 192.168.1.50, in trên trang tự kiểm tra của máy), không nhập tên máy.',
  en: 'Type the printer’s IP address (e.g. 192.168.1.50, printed on its self-test page), not a name.',
};
const NOT_LOCAL = {
  vi: 'Chỉ dùng được máy in trong mạng nội bộ của trung tâm (10.x.x.x, 172.16–31.x.x, 192.168.x.x hoặc máy này 127.0.0.1).',
  en: 'Only printers on the center’s own network can be used (10.x.x.x, 172.16–31.x.x, 192.168.x.x, or this machine 127.0.0.1).',
};
const BAD_PORT = {
  vi: 'Cổng phải từ 1 đến 65535 (máy in mạng thường dùng cổng 9100).',
  en: 'The port must be 1 to 65535 (network printers usually use 9100).',
};

function ipv4(s: string): number[] | null {
  // Dotted decimal only, no leading zeros: "010.0.0.1" is octal to some parsers and not to others.
  if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(s)) return null;
  const parts = s.split('.').map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}

/** The eight 16-bit groups of an IPv6 literal (no zone, no embedded IPv4), or null. */
function ipv6(s: string): number[] | null {
  if (!/^[0-9a-fA-F:]{2,39}$/.test(s)) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (![...head, ...tail].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].map((g) => parseInt(g, 16));
}

/** Loopback, RFC 1918 private and link-local IPv4: the center's own network. */
function localIpv4([a = 0, b = 0]: number[]): boolean {
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

/** ::1 and unique local addresses (fc00::/7). Link-local fe80:: needs a zone id: not accepted. */
function localIpv6(g: number[]): boolean {
  const loopback = g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
  return loopback || ((g[0] ?? 0) & 0xfe00) === 0xfc00;
}

/**
 * Reads a printer address as the admin types it: `tcp://192.168.1.50:9100`, `192.168.1.50`
 * (port 9100), `tcp://[fd00::50]:9100`. Only IP literals on the center's own network: the server
 * opens a raw TCP connection to it and reports whether something answered, so an address must not
 * be able to point the server at the Internet or, through a name whose DNS answer changes, at
 * anything else (ADR in docs/printing.md, "Which addresses"). `address` is the normal form stored.
 */
export function parsePrinterAddress(input: string): PrinterAddressCheck {
  const s = input.trim();
  const m = /^(?:tcp:\/\/)?(\[[^\]]*\]|[^:/[\]]*)(?::(\d{0,6}))?\/?$/i.exec(s);
  if (!s || !m) return { ok: false, ...BAD_FORM };
  const rawHost = m[1] ?? '';
  let host: string;
  if (rawHost.startsWith('[')) {
    const groups = ipv6(rawHost.slice(1, -1));
    if (!groups) return { ok: false, ...BAD_FORM };
    if (!localIpv6(groups)) return { ok: false, ...NOT_LOCAL };
    host = rawHost.slice(1, -1).toLowerCase();
  } else {
    const parts = ipv4(rawHost);
    if (!parts) return { ok: false, ...(/^(?=.*[a-z])[a-z0-9.-]+$/i.test(rawHost) ? A_NAME : BAD_FORM) };
    if (!localIpv4(parts)) return { ok: false, ...NOT_LOCAL };
    host = rawHost;
  }
  const port = m[2] === undefined ? DEFAULT_PRINTER_PORT : m[2] === '' ? NaN : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, ...BAD_PORT };
  return { ok: true, host, port, address: `tcp://${host.includes(':') ? `[${host}]` : host}:${port}` };
}

const PrinterAddress = z
  .string()
  .max(100)
  .superRefine((s, c) => {
    const r = parsePrinterAddress(s);
    if (!r.ok) c.addIssue({ code: 'custom', message: r.en });
  });

export const PrinterBody = z.strictObject({
  name: z.string().trim().min(1).max(60),
  /** tcp://IP:port on the center's network; see parsePrinterAddress. */
  address: PrinterAddress,
  widthMm: z.union([z.literal(58), z.literal(80)]),
  mode: PrinterMode,
  /** Text mode: the printer's `ESC t n` for WPC1258 (default 52, Epson). */
  codePage: z.number().int().min(0).max(255),
  /** The kiosks (devices of kind kiosk) this printer prints for; a kiosk has one printer. */
  kioskIds: z.array(Id).max(100).refine((a) => new Set(a).size === a.length, 'each kiosk once'),
});
export const PrinterCreateBody = PrinterBody.extend({ codePage: PrinterBody.shape.codePage.optional(), kioskIds: PrinterBody.shape.kioskIds.optional() }).strict();
export type PrinterCreateBody = z.infer<typeof PrinterCreateBody>;
export const PrinterPatchBody = PrinterBody.partial().strict();
export type PrinterPatchBody = z.infer<typeof PrinterPatchBody>;

export interface PrinterInfo {
  id: number;
  name: string;
  /** Normal form: tcp://host:port. */
  address: string;
  widthMm: PaperWidth;
  mode: PrinterMode;
  codePage: number;
  kioskIds: number[];
  updatedAt: string;
}

/**
 * What a print on the server answers (a kiosk's ticket or the admin's test page): printed, or
 * why not. `code` is what a kiosk switches on (paper_end | cover_open | offline |
 * not_configured); `printerError` the printer's own finer code (PRINTER_UNREACHABLE,
 * PRINTER_NOT_CONFIRMED, ...) for whoever checks the printer.
 */
export type ServerPrintOutcome =
  | { printed: true; duplicate?: true }
  | { printed: false; code: 'paper_end' | 'cover_open' | 'offline' | 'not_configured'; message: string; messageVi: string; printerError?: string };

/** POST /tickets/:id/print. An admin may ask for a second paper of a waiting ticket (`reprint`). */
export const ServerPrintBody = z.strictObject({ reprint: z.boolean().optional() });
