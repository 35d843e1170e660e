/** Test helpers for packages that print: `import { startFakePrinter } from '@luot/ticket-printer/testing'`. */
export { startFakePrinter, type FakePrinter, type FakePrinterState, type MidJobFault } from './fake-printer.js';
export { decodeEscPos, decodeEscPosJob, qrDataOf, rasterOf, EscPosDecodeError, type EscPosCommand, type DecodeResult } from './escpos-decoder.js';
