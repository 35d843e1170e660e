import { createMonoBitmap, stackBitmaps, type MonoBitmap } from '../mono-bitmap.js';

/**
 * A decoder for the ESC/POS subset a ticket uses, written from Epson's command reference rather
 * than from our encoder, so tests check the bytes against the printer's grammar. An unknown
 * command is an error: a printer would print garbage for it, and a test should say so.
 */
export type EscPosCommand =
  | { kind: 'init' } // ESC @
  | { kind: 'codePage'; n: number } // ESC t n
  | { kind: 'align'; n: number } // ESC a n
  | { kind: 'bold'; on: boolean } // ESC E n
  | { kind: 'size'; width: number; height: number } // GS ! n
  | { kind: 'reverse'; on: boolean } // GS B n
  | { kind: 'raster'; bitmap: MonoBitmap } // GS v 0
  | { kind: 'qr'; fn: number; args: Uint8Array } // GS ( k, function 165..181 as 'A'..'Q'
  | { kind: 'cut'; partial: boolean } // GS V
  | { kind: 'statusQuery'; n: number } // DLE EOT n
  | { kind: 'text'; bytes: Uint8Array } // printable bytes up to the next command
  | { kind: 'newline' } // LF
  | { kind: 'setting'; name: string; bytes: Uint8Array }; // harmless mode settings we do not check

export interface DecodeResult {
  commands: EscPosCommand[];
  /** Where each command starts in the input, parallel to `commands`. */
  offsets: number[];
  /** Bytes decoded; less than the input when it ends in the middle of a command. */
  consumed: number;
}

export class EscPosDecodeError extends Error {}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

/** Decodes as much as possible; a command cut off at the end is left unconsumed. */
export function decodeEscPos(bytes: Uint8Array): DecodeResult {
  const commands: EscPosCommand[] = [];
  const offsets: number[] = [];
  let i = 0;
  let start = 0;
  const need = (n: number) => i + n <= bytes.length;
  const at = (k: number) => bytes[i + k] ?? 0;
  while (i < bytes.length) {
    // The command pushed by the previous pass started at `start`.
    while (offsets.length < commands.length) offsets.push(start);
    start = i;
    const b = at(0);
    if (b >= 0x20 || b === 0x0d) {
      let j = i;
      while (j < bytes.length && ((bytes[j] ?? 0) >= 0x20 || bytes[j] === 0x0d)) j++;
      commands.push({ kind: 'text', bytes: bytes.slice(i, j) });
      i = j;
      continue;
    }
    if (b === 0x0a) {
      commands.push({ kind: 'newline' });
      i++;
      continue;
    }
    if (!need(2)) break;
    const c = at(1);
    if (b === DLE && c === 0x04) {
      if (!need(3)) break;
      commands.push({ kind: 'statusQuery', n: at(2) });
      i += 3;
    } else if (b === ESC && c === 0x40) {
      commands.push({ kind: 'init' });
      i += 2;
    } else if (b === ESC && [0x74, 0x61, 0x45, 0x4d, 0x21, 0x2d, 0x33, 0x64, 0x4a, 0x56, 0x7b, 0x47].includes(c)) {
      if (!need(3)) break;
      const n = at(2);
      if (c === 0x74) commands.push({ kind: 'codePage', n });
      else if (c === 0x61) commands.push({ kind: 'align', n });
      else if (c === 0x45) commands.push({ kind: 'bold', on: (n & 1) === 1 });
      else commands.push({ kind: 'setting', name: `ESC ${String.fromCharCode(c)}`, bytes: bytes.slice(i, i + 3) });
      i += 3;
    } else if (b === ESC && c === 0x32) {
      commands.push({ kind: 'setting', name: 'ESC 2', bytes: bytes.slice(i, i + 2) });
      i += 2;
    } else if (b === FS && c === 0x2e) {
      commands.push({ kind: 'setting', name: 'FS .', bytes: bytes.slice(i, i + 2) });
      i += 2;
    } else if (b === GS && c === 0x21) {
      if (!need(3)) break;
      commands.push({ kind: 'size', width: (at(2) >> 4) + 1, height: (at(2) & 0x0f) + 1 });
      i += 3;
    } else if (b === GS && c === 0x42) {
      if (!need(3)) break;
      commands.push({ kind: 'reverse', on: (at(2) & 1) === 1 });
      i += 3;
    } else if (b === GS && c === 0x56) {
      if (!need(3)) break;
      const m = at(2);
      // Function B (65, 66) carries a feed amount byte; function A (0, 1, 48, 49) does not.
      const withFeed = m === 65 || m === 66;
      if (withFeed && !need(4)) break;
      commands.push({ kind: 'cut', partial: m === 1 || m === 49 || m === 66 });
      i += withFeed ? 4 : 3;
    } else if (b === GS && c === 0x76) {
      if (!need(8)) break;
      if (at(2) !== 0x30) throw new EscPosDecodeError(`GS v ${at(2)} is not GS v 0`);
      const widthBytes = at(4) | (at(5) << 8);
      const height = at(6) | (at(7) << 8);
      const size = widthBytes * height;
      if (!need(8 + size)) break;
      const bitmap = createMonoBitmap(widthBytes * 8, height);
      bitmap.data.set(bytes.subarray(i + 8, i + 8 + size));
      commands.push({ kind: 'raster', bitmap });
      i += 8 + size;
    } else if (b === GS && c === 0x28) {
      if (!need(5)) break;
      const fn = at(2);
      const len = at(3) | (at(4) << 8);
      if (!need(5 + len)) break;
      if (fn === 0x6b) commands.push({ kind: 'qr', fn: at(6), args: bytes.slice(i + 7, i + 5 + len) });
      else commands.push({ kind: 'setting', name: `GS ( ${String.fromCharCode(fn)}`, bytes: bytes.slice(i, i + 5 + len) });
      i += 5 + len;
    } else if (b === GS && c === 0x50) {
      if (!need(4)) break;
      commands.push({ kind: 'setting', name: 'GS P', bytes: bytes.slice(i, i + 4) });
      i += 4;
    } else {
      throw new EscPosDecodeError(`unknown ESC/POS command at byte ${i}: ${Buffer.from(bytes.subarray(i, i + 4)).toString('hex')}`);
    }
  }
  while (offsets.length < commands.length) offsets.push(start);
  return { commands, offsets, consumed: i };
}

/** Decodes a whole job; throws if it ends in the middle of a command. */
export function decodeEscPosJob(bytes: Uint8Array): EscPosCommand[] {
  const { commands, consumed } = decodeEscPos(bytes);
  if (consumed !== bytes.length) throw new EscPosDecodeError(`job ends inside a command at byte ${consumed} of ${bytes.length}`);
  return commands;
}

/** All raster images of a job, stacked as the paper would show them (without line feeds). */
export function rasterOf(commands: readonly EscPosCommand[]): MonoBitmap {
  return stackBitmaps(commands.flatMap((c) => (c.kind === 'raster' ? [c.bitmap] : [])));
}

/** The data stored in the printer's QR symbol (`GS ( k` function 80), as text. */
export function qrDataOf(commands: readonly EscPosCommand[]): string | null {
  const store = commands.find((c) => c.kind === 'qr' && c.fn === 0x50);
  // Function 80's arguments are m (always 48) then the data.
  return store && store.kind === 'qr' ? Buffer.from(store.args.subarray(1)).toString('latin1') : null;
}
