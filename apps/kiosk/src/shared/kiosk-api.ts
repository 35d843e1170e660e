/**
 * The contract between the kiosk page and the Electron shell: what `window.kiosk` offers.
 * The same page runs in plain Chromium, where `window.kiosk` is undefined and the server prints.
 *
 * Trap: the sandboxed preload is one CommonJS file that cannot import our ESM modules at run
 * time, so it repeats the two channel names below (a unit test checks they agree) and only
 * borrows the types.
 */

/** One IPC channel for the printer bridge (CONVENTIONS habit 4: one handle per named channel). */
export const PRINT_CHANNEL = 'kiosk:print';
/** Admin actions, each checked against the PIN in the main process, never in the page. */
export const ADMIN_CHANNEL = 'kiosk:admin';

/** What the page asks the shell to print: the ticket as the server answered it. */
export interface TicketPrintJob {
  kind: 'ticket';
  ticketId: string;
  number: string;
  serviceName: { vi: string; en: string };
  priority: boolean;
  ahead: number;
  estimatedWaitMinutes?: number;
  /** ISO time the server issued the ticket. */
  issuedAt: string;
  /** What the QR holds: the ticket's live page, `<server>/t/<id>`. */
  qrUrl: string;
  /** The center's name and ticket footer as set on the admin pages; kiosk.json's are the fallback. */
  centerName?: string;
  footer?: string;
}

export type PrintRequest = TicketPrintJob | { kind: 'status' };

/**
 * Why a print did not happen. `paper_end`, `offline`, `cover_open` come from the printer's
 * DLE EOT status; `io` is a transport failure; `busy` means another print of the same
 * ticket is already running (the page tapped twice); `invalid` is a malformed request.
 */
export type PrintFailureCode = 'paper_end' | 'offline' | 'cover_open' | 'io' | 'not_configured' | 'invalid';

export type PrintResult =
  | { ok: true; duplicate: boolean }
  | { ok: false; code: PrintFailureCode; message: string };

export type PrinterStatusResult =
  | { ok: true; paperLow: boolean }
  | { ok: false; code: PrintFailureCode; message: string };

export type AdminRequest =
  | { action: 'unlock'; pin: string }
  | { action: 'config'; pin: string }
  | { action: 'test-print'; pin: string }
  | { action: 'reload'; pin: string }
  | { action: 'quit'; pin: string };

/** The configuration as the admin screen shows it: the device token never leaves main. */
export interface PublicKioskConfig {
  serverUrl: string;
  printer: string;
  kioskName: string;
  configPath: string;
  version: string;
}

export type AdminResult =
  | { ok: true; config?: PublicKioskConfig; message?: string }
  | { ok: false; code: 'wrong_pin' | 'locked' | 'invalid' | 'failed'; message: string };

export interface KioskApi {
  /** Print one ticket (idempotent per ticketId) or ask for the printer's status. */
  print(request: TicketPrintJob): Promise<PrintResult>;
  printerStatus(): Promise<PrinterStatusResult>;
  admin(request: AdminRequest): Promise<AdminResult>;
}
