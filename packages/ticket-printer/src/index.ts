/**
 * @luot/ticket-printer: a ticket -> ESC/POS bytes (raster or Vietnamese code page text), and
 * the transports that send them. See docs/printing.md.
 */
export {
  resolveLayout,
  ticketStatusUrl,
  DEFAULT_CP1258_CODE_PAGE,
  DEFAULT_TIME_ZONE,
  type PaperWidthMm,
  type ResolvedLayout,
  type TicketInput,
  type TicketLayout,
} from './ticket.js';
export { ticketText, formatIssuedAt, type TicketText } from './ticket-text.js';
export { renderTicket, renderTicketBitmap, renderTicketPng, bitmapToPng, type RenderedTicket } from './render-ticket.js';
export { encodeCp1258 } from './cp1258.js';
export { type MonoBitmap } from './mono-bitmap.js';
export { fontsDir, registerTicketFonts } from './fonts.js';
export {
  createPrinter,
  createTransport,
  printerOver,
  PrintWithdrawnError,
  type PrintOptions,
  type Printer,
  type PrinterConfig,
  type PrintResult,
  type TransportConfig,
} from './printer.js';
export { PrinterError, PRINTER_ERRORS, isPrinterError, type PrinterErrorCode } from './printer-error.js';
export { parseStatus, statusProblem, type PrinterStatus } from './printer-status.js';
export { tcpTransport, type TcpTransportConfig } from './transports/tcp.js';
export { deviceTransport, type DeviceTransportConfig } from './transports/device-file.js';
export { usbTransport, type UsbTransportConfig } from './transports/usb.js';
export type { PrinterConnection, PrinterTransport } from './transports/transport.js';
