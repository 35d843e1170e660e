import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { monoToRgba, type MonoBitmap } from './mono-bitmap.js';
import type { ResolvedLayout } from './ticket.js';

/**
 * The one place that configures receipt-printer-encoder (ADR 0003), so raster and text mode
 * send the same init, image, QR and cut commands.
 */
export function createEncoder(layout: ResolvedLayout): ReceiptPrinterEncoder {
  return new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: layout.columns,
    imageMode: 'raster',
    // The cutter sits above the print head: feed the last lines past it before cutting.
    feedBeforeCut: 4,
    // Some clones print CR as an empty line; LF alone is enough for every ESC/POS printer.
    newline: '\n',
  });
}

/** Adds a bitmap as `GS v 0` (the encoder splits it into bands of at most 255 rows). */
export function addBitmap(encoder: ReceiptPrinterEncoder, bitmap: MonoBitmap): void {
  // A plain {data, width, height} object is one of the encoder's accepted image inputs. Our
  // bitmap is already black and white, so its threshold only maps 0 -> dot, 255 -> paper.
  const image = { data: monoToRgba(bitmap), width: bitmap.width, height: bitmap.height };
  encoder.image(image, { width: bitmap.width, height: bitmap.height, algorithm: 'threshold', threshold: 128, mode: 'raster' });
}

/** Native QR (`GS ( k`), model 2, error level M like the raster one. */
export function addNativeQr(encoder: ReceiptPrinterEncoder, url: string, moduleDots: number): void {
  encoder.align('center').qrcode(url, { model: 2, size: moduleDots, errorlevel: 'm' }).align('left');
}
