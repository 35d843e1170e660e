import { describe, expect, it } from 'vitest';
import { encodeCp1258 } from './cp1258.js';
import { countDots } from './mono-bitmap.js';
import { renderTicket, renderTicketBitmap } from './render-ticket.js';
import { decodeEscPosJob, qrDataOf, rasterOf, type EscPosCommand } from './testing/escpos-decoder.js';
import type { TicketInput, TicketLayout } from './ticket.js';

const ticket: TicketInput = {
  id: 't-42',
  number: '1005',
  serviceName: { vi: 'Lĩnh vực Đất đai', en: 'Land administration' },
  issuedAt: '2025-03-12T01:15:00Z',
  ahead: 7,
  estimatedWaitMinutes: 25,
  priority: false,
  ticketUrl: 'http://192.168.1.10:8080/t/t-42',
};
const layout: TicketLayout = { centerName: 'Trung tâm Phục vụ hành chính công xã Tân Phú', widthMm: 80 };

const kinds = (cs: EscPosCommand[]) => cs.map((c) => c.kind);

describe('raster mode (default)', () => {
  it('sends init, the whole ticket as GS v 0 bands of at most 255 rows, then a cut', async () => {
    const cmds = decodeEscPosJob((await renderTicket(ticket, layout)).bytes);
    expect(cmds[0]).toEqual({ kind: 'init' });
    const bands = cmds.filter((c) => c.kind === 'raster');
    expect(bands.length).toBeGreaterThan(1);
    for (const b of bands) {
      expect(b.bitmap.width).toBe(576);
      expect(b.bitmap.height).toBeLessThanOrEqual(255);
    }
    expect(cmds.findLast((c) => c.kind !== 'newline')).toEqual({ kind: 'cut', partial: true });
    // Raster mode needs no code page and no printer font.
    expect(kinds(cmds)).not.toContain('codePage');
    expect(cmds.filter((c) => c.kind === 'text')).toEqual([]);
  });

  it('prints exactly the preview, dot for dot', async () => {
    const sent = rasterOf(decodeEscPosJob((await renderTicket(ticket, layout)).bytes));
    const preview = await renderTicketBitmap(ticket, layout);
    expect(sent.width).toBe(preview.width);
    expect(sent.height).toBe(preview.height);
    expect(Buffer.from(sent.data).equals(Buffer.from(preview.data))).toBe(true);
  });

  it('draws the text: another service name or number changes the image', async () => {
    const base = await renderTicketBitmap(ticket, layout);
    const other = await renderTicketBitmap({ ...ticket, serviceName: { vi: 'Lĩnh vực Dất đai', en: 'Land administration' } }, layout);
    // Only the bar of Đ differs: some dots, all within the service-name line (a blank image, or
    // a layout that moved, would fail one of these).
    const rowBytes = base.width / 8;
    const rows = new Set<number>();
    base.data.forEach((b, i) => {
      if (b !== other.data[i]) rows.add(Math.floor(i / rowBytes));
    });
    expect(rows.size).toBeGreaterThan(0);
    expect(Math.max(...rows) - Math.min(...rows)).toBeLessThan(42); // one 32 px line
    expect(countDots(base)).toBeGreaterThan(20_000);
  });

  it('fits 58 mm paper (384 dots)', async () => {
    const cmds = decodeEscPosJob((await renderTicket(ticket, { ...layout, widthMm: 58 })).bytes);
    expect(rasterOf(cmds).width).toBe(384);
  });

  it('with native QR, sends GS ( k holding the ticket URL, and the rest still matches the preview', async () => {
    const cmds = decodeEscPosJob((await renderTicket(ticket, { ...layout, qr: 'native' })).bytes);
    expect(qrDataOf(cmds)).toBe(ticket.ticketUrl);
    // Function 81 (print) comes after function 80 (store).
    const fns = cmds.flatMap((c) => (c.kind === 'qr' ? [c.fn] : []));
    expect(fns.indexOf(0x51)).toBeGreaterThan(fns.indexOf(0x50));
    const images = cmds.filter((c) => c.kind === 'raster');
    const sentTop = rasterOf(images.slice(0, -1));
    const sentBottom = rasterOf(images.slice(-1));
    const preview = await renderTicketBitmap(ticket, layout);
    const rowBytes = preview.width / 8;
    expect(Buffer.from(preview.data.subarray(0, sentTop.data.length)).equals(Buffer.from(sentTop.data))).toBe(true);
    expect(Buffer.from(preview.data.subarray(preview.data.length - sentBottom.data.length)).equals(Buffer.from(sentBottom.data))).toBe(true);
    expect(sentTop.height + sentBottom.height).toBeLessThan(preview.height - 100 / rowBytes);
  });
});

describe('text mode', () => {
  it('selects the configured code page and sends the words in CP1258', async () => {
    const bytes = (await renderTicket(ticket, { ...layout, mode: 'text', codePage: 94, qr: 'native' })).bytes;
    const cmds = decodeEscPosJob(bytes);
    expect(cmds[0]).toEqual({ kind: 'init' });
    expect(cmds).toContainEqual({ kind: 'codePage', n: 94 });
    expect(kinds(cmds)).not.toContain('raster');
    const printed = Buffer.concat(cmds.flatMap((c) => (c.kind === 'text' ? [Buffer.from(c.bytes)] : [])));
    for (const words of ['Lĩnh vực Đất đai', '7 người đang chờ trước', 'Thời gian chờ dự kiến: khoảng 25 phút', '1005']) {
      expect(printed.includes(Buffer.from(encodeCp1258(words))), words).toBe(true);
    }
    expect(cmds.findLast((c) => c.kind !== 'newline')?.kind).toBe('cut');
  });

  it('prints the number at 8x magnification on 80 mm when it fits', async () => {
    const cmds = decodeEscPosJob((await renderTicket(ticket, { ...layout, mode: 'text' })).bytes);
    expect(cmds).toContainEqual({ kind: 'codePage', n: 52 });
    const i = cmds.findIndex((c) => c.kind === 'size' && c.width === 8);
    expect(cmds[i + 1]).toEqual({ kind: 'text', bytes: Uint8Array.from(Buffer.from('1005')) });
  });

  it('draws the QR as an image unless native is asked for', async () => {
    const raster = decodeEscPosJob((await renderTicket(ticket, { ...layout, mode: 'text' })).bytes);
    expect(kinds(raster)).toContain('raster');
    expect(qrDataOf(raster)).toBeNull();
    const native = decodeEscPosJob((await renderTicket(ticket, { ...layout, mode: 'text', qr: 'native' })).bytes);
    expect(qrDataOf(native)).toBe(ticket.ticketUrl);
  });
});
