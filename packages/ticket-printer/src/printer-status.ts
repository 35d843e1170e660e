import type { PrinterErrorCode } from './printer-error.js';

/**
 * Printer status from the four real-time `DLE EOT n` answers (Epson ESC/POS reference; the
 * clones follow it). Each answer is one byte whose bits 1 and 4 are always 1 and bits 0 and 7
 * always 0, which tells a status byte from stray data.
 */
export interface PrinterStatus {
  /** Bit 3 of n=1: the printer stopped (cover open, paper out, error, or feed button held). */
  offline: boolean;
  /** Bit 2 of n=2. */
  coverOpen: boolean;
  /** Bit 5 of n=2 (printing stopped for lack of paper) or bits 5-6 of n=4 (roll sensor). */
  paperEnd: boolean;
  /** Bits 2-3 of n=4: print this ticket, but tell staff to change the roll soon. */
  paperNearEnd: boolean;
  /** Bit 6 of n=2, or an autocutter / unrecoverable error in n=3. */
  error: boolean;
}

export const DLE = 0x10;
export const EOT = 0x04;
/** The queries, in the order we send them. */
export const STATUS_QUERIES = [1, 2, 3, 4] as const;
export type StatusQuery = (typeof STATUS_QUERIES)[number];

export function statusQueryBytes(n: StatusQuery): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export function parseStatus(answers: Record<StatusQuery, number>): PrinterStatus {
  const bit = (n: StatusQuery, mask: number) => (answers[n] & mask) !== 0;
  return {
    offline: bit(1, 0x08),
    coverOpen: bit(2, 0x04),
    paperEnd: bit(2, 0x20) || bit(4, 0x60),
    paperNearEnd: bit(4, 0x0c),
    error: bit(2, 0x40) || bit(3, 0x08 | 0x20 | 0x40),
  };
}

/**
 * The reason not to print, most specific first: "out of paper" tells staff what to do,
 * "offline" does not. Paper near end is not a reason: that ticket still prints.
 */
export function statusProblem(s: PrinterStatus): PrinterErrorCode | null {
  if (s.paperEnd) return 'PRINTER_PAPER_END';
  if (s.coverOpen) return 'PRINTER_COVER_OPEN';
  if (s.offline || s.error) return 'PRINTER_OFFLINE';
  return null;
}
