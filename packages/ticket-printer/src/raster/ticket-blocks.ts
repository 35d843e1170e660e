import { createCanvas, loadImage, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import { FONT_BOLD, FONT_REGULAR, registerTicketFonts } from '../fonts.js';
import { monoFromRgba, padHeightTo8, type MonoBitmap } from '../mono-bitmap.js';
import type { ResolvedLayout } from '../ticket.js';
import type { TicketText } from '../ticket-text.js';

/**
 * A ticket drawn for raster printing, cut where the QR code goes: the QR code is either drawn
 * into the image too or sent as a native `GS ( k` command, and both must leave the rest of the
 * ticket identical (the preview and the tests depend on that).
 */
export interface TicketBlocks {
  /** Logo to English line. */
  top: MonoBitmap;
  qr: { url: string; moduleDots: number };
  /** QR caption and footer. */
  bottom: MonoBitmap;
}

type Item =
  | { kind: 'text'; text: string; px: number; bold: boolean; maxLines?: number; fit?: boolean }
  | { kind: 'banner'; text: string; px: number }
  | { kind: 'rule' }
  | { kind: 'gap'; px: number }
  | { kind: 'image'; image: Image; w: number; h: number };

/** What a laid-out item needs from the canvas to draw itself, once its height is known. */
interface Placed {
  height: number;
  draw(ctx: SKRSContext2D, y: number): void;
}

const SIDE_MARGIN = 8;
const MIN_TEXT_PX = 18;

export async function drawTicketBlocks(text: TicketText, url: string, layout: ResolvedLayout): Promise<TicketBlocks> {
  registerTicketFonts();
  const width = layout.widthDots;
  // Sizes are designed for 80 mm (576 dots) and scaled down for 58 mm, but never below 18 px:
  // smaller DejaVu strokes fall under one dot and vanish when thresholded to black and white.
  const s = width / 576;
  const px = (n: number) => Math.max(MIN_TEXT_PX, Math.round(n * s));
  const gap = (n: number) => Math.round(n * s);

  const top: Item[] = await logoItems(layout);
  top.push(
    { kind: 'text', text: text.centerName, px: px(26), bold: true, maxLines: 3 },
    { kind: 'gap', px: gap(6) },
    { kind: 'rule' },
    { kind: 'gap', px: gap(10) },
    { kind: 'text', text: text.serviceVi, px: px(32), bold: true, maxLines: 2 },
    { kind: 'text', text: text.serviceEn, px: px(20), bold: false, maxLines: 2 },
    { kind: 'gap', px: gap(10) },
    { kind: 'text', text: text.numberLabel, px: px(22), bold: false },
    // Readable from a metre away: as large as the paper allows, up to ~19 mm tall digits.
    { kind: 'text', text: text.number, px: px(170), bold: true, fit: true },
  );
  if (text.priority) top.push({ kind: 'banner', text: text.priority, px: px(26) }, { kind: 'gap', px: gap(8) });
  top.push(
    { kind: 'text', text: text.issuedAt, px: px(24), bold: false },
    { kind: 'gap', px: gap(8) },
    { kind: 'text', text: text.ahead, px: px(26), bold: true, maxLines: 2 },
  );
  if (text.wait) top.push({ kind: 'text', text: text.wait, px: px(24), bold: false, maxLines: 2 });
  top.push({ kind: 'gap', px: gap(6) }, { kind: 'text', text: text.english, px: px(20), bold: false, maxLines: 3 });

  const bottom: Item[] = [{ kind: 'text', text: text.qrCaption, px: px(20), bold: false, maxLines: 3 }];
  if (text.footer) bottom.push({ kind: 'gap', px: gap(6) }, { kind: 'text', text: text.footer, px: px(20), bold: false, maxLines: 4 });
  bottom.push({ kind: 'gap', px: gap(8) });

  return {
    top: render(top, width),
    qr: { url, moduleDots: layout.widthMm === 80 ? 6 : 4 },
    bottom: render(bottom, width),
  };
}

/** The logo alone, for text mode, which prints it as the one image on the ticket. */
export async function drawLogoBitmap(layout: ResolvedLayout): Promise<MonoBitmap | null> {
  const items = await logoItems(layout);
  return items.length ? render(items, layout.widthDots) : null;
}

async function logoItems(layout: ResolvedLayout): Promise<Item[]> {
  if (!layout.logoPng) return [];
  const logo = await loadImage(Buffer.from(layout.logoPng));
  const s = layout.widthDots / 576;
  // Half the paper wide at most, and short: the number is what matters on a ticket.
  const scale = Math.min((layout.widthDots * 0.5) / logo.width, (120 * s) / logo.height, 1);
  const image: Item = { kind: 'image', image: logo, w: Math.round(logo.width * scale), h: Math.round(logo.height * scale) };
  return [image, { kind: 'gap', px: Math.round(8 * s) }];
}

function render(items: readonly Item[], width: number): MonoBitmap {
  const measure = createCanvas(width, 1).getContext('2d');
  const placed = items.map((item) => place(item, width, measure));
  const height = Math.max(1, placed.reduce((h, p) => h + p.height, 0));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  ctx.strokeStyle = '#000';
  let y = 0;
  for (const p of placed) {
    p.draw(ctx, y);
    y += p.height;
  }
  return padHeightTo8(monoFromRgba(ctx.getImageData(0, 0, width, height).data, width, height));
}

function font(px: number, bold: boolean): string {
  return `${px}px ${bold ? FONT_BOLD : FONT_REGULAR}`;
}

function place(item: Item, width: number, ctx: SKRSContext2D): Placed {
  const usable = width - 2 * SIDE_MARGIN;
  switch (item.kind) {
    case 'gap':
      return { height: item.px, draw: () => {} };
    case 'rule':
      return {
        height: 3,
        draw: (c, y) => c.fillRect(SIDE_MARGIN, y + 1, usable, 2),
      };
    case 'image':
      return {
        height: item.h,
        draw: (c, y) => c.drawImage(item.image, Math.round((width - item.w) / 2), y, item.w, item.h),
      };
    case 'banner': {
      const size = shrinkToFit(ctx, [item.text], item.px, true, usable - 16);
      const h = Math.round(size * 1.5);
      return {
        height: h,
        draw: (c, y) => {
          c.fillRect(SIDE_MARGIN, y, usable, h);
          c.fillStyle = '#fff';
          drawCentered(c, item.text, size, true, width, y + Math.round(size * 1.1));
          c.fillStyle = '#000';
        },
      };
    }
    case 'text': {
      let size = item.px;
      let lines: string[];
      if (item.fit) {
        size = shrinkToFit(ctx, [item.text], size, item.bold, usable);
        lines = [item.text];
      } else {
        // Shrink until it wraps into maxLines and no single word overflows the paper.
        for (;;) {
          ctx.font = font(size, item.bold);
          lines = wrap(ctx, item.text, usable);
          const fits = lines.length <= (item.maxLines ?? 1) && lines.every((l) => ctx.measureText(l).width <= usable);
          if (fits || size <= 12) break;
          size--;
        }
      }
      // Large digits have no marks above or below, so the number gets a tighter line.
      const lineHeight = Math.round(size * (item.fit ? 1.0 : 1.3));
      const baseline = Math.round(size * (item.fit ? 0.86 : 1.02));
      return {
        height: lineHeight * lines.length,
        draw: (c, y) => lines.forEach((l, i) => drawCentered(c, l, size, item.bold, width, y + i * lineHeight + baseline)),
      };
    }
  }
}

function drawCentered(ctx: SKRSContext2D, text: string, size: number, bold: boolean, width: number, baselineY: number): void {
  ctx.font = font(size, bold);
  ctx.textBaseline = 'alphabetic';
  const w = ctx.measureText(text).width;
  ctx.fillText(text, Math.round((width - w) / 2), baselineY);
}

function shrinkToFit(ctx: SKRSContext2D, lines: readonly string[], px: number, bold: boolean, maxWidth: number): number {
  let size = px;
  for (; size > 12; size--) {
    ctx.font = font(size, bold);
    if (lines.every((l) => ctx.measureText(l).width <= maxWidth)) break;
  }
  return size;
}

/** Greedy word wrap by measured width (Vietnamese words are short syllables: greedy is fine). */
function wrap(ctx: SKRSContext2D, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(candidate).width > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}
