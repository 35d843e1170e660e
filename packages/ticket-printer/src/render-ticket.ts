import { createCanvas, ImageData } from '@napi-rs/canvas';
import { addBitmap, addNativeQr, createEncoder } from './escpos-encoder.js';
import { monoToRgba, stackBitmaps, type MonoBitmap } from './mono-bitmap.js';
import { qrBitmap } from './qr-bitmap.js';
import { drawTicketBlocks, type TicketBlocks } from './raster/ticket-blocks.js';
import { resolveLayout, type ResolvedLayout, type TicketInput, type TicketLayout } from './ticket.js';
import { ticketText } from './ticket-text.js';
import { encodeTextTicket } from './text-mode/encode-text-ticket.js';

export interface RenderedTicket {
  /** ESC/POS bytes, ready for `printer.print()`. */
  bytes: Uint8Array;
}

/** Turns a ticket into the bytes for one printer, in the mode its layout chooses. */
export async function renderTicket(ticket: TicketInput, layout: TicketLayout): Promise<RenderedTicket> {
  const resolved = resolveLayout(layout);
  const text = ticketText(ticket, resolved);
  if (resolved.mode === 'text') return { bytes: await encodeTextTicket(text, ticket.ticketUrl, resolved) };
  return { bytes: encodeRasterTicket(await drawTicketBlocks(text, ticket.ticketUrl, resolved), resolved) };
}

function encodeRasterTicket(blocks: TicketBlocks, layout: ResolvedLayout): Uint8Array {
  const encoder = createEncoder(layout).initialize();
  if (layout.qr === 'native') {
    addBitmap(encoder, blocks.top);
    addNativeQr(encoder, blocks.qr.url, blocks.qr.moduleDots);
    addBitmap(encoder, blocks.bottom);
  } else {
    // One image, so the paper shows exactly the preview with no line feeds between parts.
    addBitmap(encoder, stackBlocks(blocks, layout));
  }
  return encoder.cut(layout.cut).encode();
}

function stackBlocks(blocks: TicketBlocks, layout: ResolvedLayout): MonoBitmap {
  return stackBitmaps([blocks.top, qrBitmap(blocks.qr.url, layout.widthDots, blocks.qr.moduleDots), blocks.bottom]);
}

/**
 * The ticket as the printer draws it in raster mode, dot for dot (text mode uses the printer's
 * own font, so it looks different on paper; the words are the same).
 */
export async function renderTicketBitmap(ticket: TicketInput, layout: TicketLayout): Promise<MonoBitmap> {
  const resolved = resolveLayout(layout);
  return stackBlocks(await drawTicketBlocks(ticketText(ticket, resolved), ticket.ticketUrl, resolved), resolved);
}

/** A PNG preview of the ticket, one pixel per printer dot. */
export async function renderTicketPng(ticket: TicketInput, layout: TicketLayout): Promise<Uint8Array> {
  return bitmapToPng(await renderTicketBitmap(ticket, layout));
}

export function bitmapToPng(bitmap: MonoBitmap): Uint8Array {
  const canvas = createCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d').putImageData(new ImageData(monoToRgba(bitmap), bitmap.width, bitmap.height), 0, 0);
  return new Uint8Array(canvas.toBuffer('image/png'));
}
