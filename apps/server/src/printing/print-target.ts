import { DEFAULT_PRINTER_CODE_PAGE, type PaperWidth, type PrinterMode } from '@luot/protocol';
import type { TicketLayout, TransportConfig } from '@luot/ticket-printer';
import type { PrinterRepo, PrinterRow } from '../db/printer.repo.js';
import { printerFor, type KioskPrinterTable } from './kiosk-printers.js';

/**
 * Where and how a kiosk's ticket is printed by the server: the printer the admin assigned to the
 * kiosk (its paper width and mode), else LUOT_KIOSK_PRINTER, which is 80 mm raster as it always
 * was. Null: no printer for this kiosk.
 */
export interface PrintTarget {
  transport: TransportConfig;
  widthMm: PaperWidth;
  mode: PrinterMode;
  codePage: number;
  /** For the log and the audit: the admin's printer, or the environment's. */
  source: { kind: 'list'; printerId: number; name: string } | { kind: 'env' };
}

export function targetOfPrinter(p: PrinterRow): PrintTarget {
  return {
    transport: { kind: 'tcp', host: p.host, port: p.port },
    widthMm: p.widthMm,
    mode: p.mode,
    codePage: p.codePage,
    source: { kind: 'list', printerId: p.id, name: p.name },
  };
}

export function printTargetFor(printers: PrinterRepo, env: KioskPrinterTable, deviceId: number | null): PrintTarget | null {
  const assigned = deviceId !== null ? printers.forKiosk(deviceId) : undefined;
  if (assigned) return targetOfPrinter(assigned);
  const transport = printerFor(env, deviceId);
  return transport ? { transport, widthMm: 80, mode: 'raster', codePage: DEFAULT_PRINTER_CODE_PAGE, source: { kind: 'env' } } : null;
}

/** The ticket layout for a target: its width and mode, and the center's name, footer and clock. */
export function layoutFor(target: PrintTarget, center: { centerName: string; timeZone: string; ticketFooter?: string }): TicketLayout {
  return {
    centerName: center.centerName,
    // 58 mm is 384 dots (ticket-printer's WIDTH_DOTS): never an image wider than the print head.
    widthMm: target.widthMm,
    mode: target.mode,
    codePage: target.codePage,
    timeZone: center.timeZone,
    ...(center.ticketFooter ? { footer: center.ticketFooter } : {}),
  };
}
