/**
 * What a ticket says, and how a center wants its tickets laid out. Plain types (no zod here):
 * the server validates its input at the wire; this package trusts its typed callers.
 */
export interface TicketInput {
  /** The ticket's id; the QR code leads to `<serverUrl>/t/<id>` (see `ticketUrl`). */
  id: string;
  /** The number as called out, already formatted ("1005", "A012"). */
  number: string;
  serviceName: { vi: string; en: string };
  /** When the ticket was issued: epoch milliseconds or an ISO 8601 string. */
  issuedAt: number | string;
  /** How many citizens wait before this one for the same service. */
  ahead: number;
  /** Estimated wait in minutes; null when the server has no estimate. */
  estimatedWaitMinutes: number | null;
  priority: boolean;
  /** Full URL of the ticket's live status page, normally `ticketStatusUrl(serverUrl, id)`. */
  ticketUrl: string;
}

export type PaperWidthMm = 58 | 80;

export interface TicketLayout {
  /** Printed at the top, in bold; wraps over up to three lines. */
  centerName: string;
  widthMm: PaperWidthMm;
  /** Small print at the bottom (opening hours, hotline...). */
  footer?: string;
  /** A PNG, printed centred at the top, scaled to fit half the paper width. */
  logoPng?: Uint8Array;
  /**
   * 'raster' (default): every line is drawn as a 1-bit image, which prints right on any
   * printer. 'text': the printer's own font with a Vietnamese code page, which only some have.
   */
  mode?: 'raster' | 'text';
  /**
   * The `ESC t n` number of the printer's Windows-1258 (WPC1258) code page, for text mode.
   * Epson: 52. Clones differ (27, 94...): read it off the printer's self-test page.
   */
  codePage?: number;
  /** 'raster' (default) draws the QR code into the image; 'native' sends `GS ( k`. */
  qr?: 'native' | 'raster';
  /** IANA time zone for the printed date and time. Default 'Asia/Ho_Chi_Minh'. */
  timeZone?: string;
  /** Default 'partial': leaves a hinge so the ticket does not fall on the floor. */
  cut?: 'full' | 'partial';
}

/** A layout with every default filled in. */
export interface ResolvedLayout extends Required<Omit<TicketLayout, 'footer' | 'logoPng'>> {
  footer: string | undefined;
  logoPng: Uint8Array | undefined;
  /** Printable width in dots at 203 dpi. */
  widthDots: number;
  /** Characters per line of font A (12 x 24 dots) in text mode. */
  columns: number;
}

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Epson's number for WPC1258; the most common one among printers that have it at all. */
export const DEFAULT_CP1258_CODE_PAGE = 52;

const WIDTH_DOTS: Record<PaperWidthMm, number> = { 58: 384, 80: 576 };

export function resolveLayout(layout: TicketLayout): ResolvedLayout {
  const widthDots = WIDTH_DOTS[layout.widthMm];
  if (widthDots === undefined) throw new RangeError(`widthMm must be 58 or 80, got ${String(layout.widthMm)}`);
  const codePage = layout.codePage ?? DEFAULT_CP1258_CODE_PAGE;
  if (!Number.isInteger(codePage) || codePage < 0 || codePage > 255) {
    throw new RangeError(`codePage must be an integer 0..255, got ${codePage}`);
  }
  return {
    centerName: layout.centerName,
    widthMm: layout.widthMm,
    footer: layout.footer,
    logoPng: layout.logoPng,
    mode: layout.mode ?? 'raster',
    codePage,
    qr: layout.qr ?? 'raster',
    timeZone: layout.timeZone ?? DEFAULT_TIME_ZONE,
    cut: layout.cut ?? 'partial',
    widthDots,
    columns: widthDots / 12,
  };
}

/** The live status page of a ticket, which the QR code leads to. */
export function ticketStatusUrl(serverUrl: string, ticketId: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/t/${encodeURIComponent(ticketId)}`;
}
