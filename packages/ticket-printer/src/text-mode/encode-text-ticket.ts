import { encodeCp1258 } from '../cp1258.js';
import { addBitmap, addNativeQr, createEncoder } from '../escpos-encoder.js';
import { qrBitmap } from '../qr-bitmap.js';
import { drawLogoBitmap } from '../raster/ticket-blocks.js';
import type { ResolvedLayout } from '../ticket.js';
import type { TicketText } from '../ticket-text.js';
import { wrapColumns } from './wrap-columns.js';

const ESC = 0x1b;
const GS = 0x1d;
const LF = 0x0a;

/**
 * Text mode: the printer's own font with its Windows-1258 code page selected by `ESC t n`.
 * We write the text bytes ourselves (the encoder's own CP1258 turns Vietnamese into "?", see
 * cp1258.ts) and let the encoder do init, images, QR and cut.
 */
export async function encodeTextTicket(text: TicketText, url: string, layout: ResolvedLayout): Promise<Uint8Array> {
  const encoder = createEncoder(layout).initialize();
  const logo = await drawLogoBitmap(layout);
  if (logo) addBitmap(encoder, logo);

  const out: number[] = [ESC, 0x74, layout.codePage, ESC, 0x61, 1];
  const cols = layout.columns;
  const lines = (s: string, columns = cols) => {
    for (const l of wrapColumns(s, columns)) out.push(...encodeCp1258(l), LF);
  };
  const bold = (on: boolean) => out.push(ESC, 0x45, on ? 1 : 0);
  const size = (mag: number) => out.push(GS, 0x21, ((mag - 1) << 4) | (mag - 1));

  bold(true);
  lines(text.centerName);
  bold(false);
  lines('-'.repeat(cols));
  bold(true);
  size(2);
  lines(text.serviceVi, Math.floor(cols / 2));
  size(1);
  bold(false);
  lines(text.serviceEn);
  out.push(LF);
  lines(text.numberLabel);
  // As large as the printer allows (8x) while the number still fits on one line.
  const mag = Math.max(1, Math.min(8, Math.floor(cols / Math.max(1, [...text.number].length))));
  bold(true);
  size(mag);
  lines(text.number, Math.floor(cols / mag));
  size(1);
  if (text.priority) {
    out.push(GS, 0x42, 1); // white on black
    lines(` ${text.priority} `);
    out.push(GS, 0x42, 0);
  }
  bold(false);
  lines(text.issuedAt);
  bold(true);
  lines(text.ahead);
  bold(false);
  if (text.wait) lines(text.wait);
  lines(text.english);
  encoder.raw(out);

  if (layout.qr === 'native') addNativeQr(encoder, url, layout.widthMm === 80 ? 6 : 4);
  else addBitmap(encoder, qrBitmap(url, layout.widthDots, layout.widthMm === 80 ? 6 : 4));

  const tail: number[] = [ESC, 0x61, 1];
  for (const l of wrapColumns(text.qrCaption, cols)) tail.push(...encodeCp1258(l), LF);
  if (text.footer) for (const l of wrapColumns(text.footer, cols)) tail.push(...encodeCp1258(l), LF);
  tail.push(ESC, 0x61, 0);
  encoder.raw(tail);
  return encoder.cut(layout.cut).encode();
}
