/**
 * @luot/ticket-printer, loaded at its first use (issue 14): it brings the Skia canvas library
 * (@napi-rs/canvas, its fonts) and, for USB printers, libusb, about 10-20 MB of a server's
 * resident memory. A center whose kiosks print on their own printers never needs it in the
 * server; one that prints from the server pays it at the first ticket it prints.
 */
import type * as TicketPrinterModule from '@luot/ticket-printer';

type TicketPrinter = typeof TicketPrinterModule;

let loading: Promise<TicketPrinter> | null = null;

export function ticketPrinter(): Promise<TicketPrinter> {
  loading ??= import('@luot/ticket-printer');
  return loading;
}
