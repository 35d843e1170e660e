/**
 * A 1-bit image in the printer's own layout: rows of `width / 8` bytes, most significant bit
 * leftmost, 1 = black dot. This is exactly what `GS v 0` carries, so a bitmap decoded from the
 * bytes sent to a printer can be compared byte for byte with one rendered for the preview.
 */
export interface MonoBitmap {
  /** Dots; always a multiple of 8. */
  width: number;
  height: number;
  data: Uint8Array;
}

export function createMonoBitmap(width: number, height: number): MonoBitmap {
  if (width % 8 !== 0) throw new RangeError(`bitmap width must be a multiple of 8, got ${width}`);
  return { width, height, data: new Uint8Array((width / 8) * height) };
}

export function getDot(b: MonoBitmap, x: number, y: number): boolean {
  return ((b.data[y * (b.width >> 3) + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
}

export function setDot(b: MonoBitmap, x: number, y: number): void {
  const i = y * (b.width >> 3) + (x >> 3);
  b.data[i] = (b.data[i] ?? 0) | (0x80 >> (x & 7));
}

/**
 * Thresholds RGBA pixels (a canvas's ImageData); transparent counts as paper. The cut-off sits
 * above mid grey so that anti-aliased thin strokes (the "l" in small text) keep at least one dot.
 */
const INK_THRESHOLD = 170;

export function monoFromRgba(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): MonoBitmap {
  const b = createMonoBitmap(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const alpha = (rgba[p + 3] ?? 0) / 255;
      const luma = 0.299 * (rgba[p] ?? 0) + 0.587 * (rgba[p + 1] ?? 0) + 0.114 * (rgba[p + 2] ?? 0);
      // Composite over white paper before thresholding.
      if (luma * alpha + 255 * (1 - alpha) < INK_THRESHOLD) setDot(b, x, y);
    }
  }
  return b;
}

/** Black and white RGBA, for the encoder (which wants ImageData-like input) and for PNGs. */
export function monoToRgba(b: MonoBitmap): Uint8ClampedArray {
  const out = new Uint8ClampedArray(b.width * b.height * 4).fill(255);
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      if (getDot(b, x, y)) {
        const p = (y * b.width + x) * 4;
        out[p] = out[p + 1] = out[p + 2] = 0;
      }
    }
  }
  return out;
}

/** Pads the height to a multiple of 8, as the encoder does, so our bitmaps match what is sent. */
export function padHeightTo8(b: MonoBitmap): MonoBitmap {
  const height = Math.ceil(b.height / 8) * 8;
  if (height === b.height) return b;
  const out = createMonoBitmap(b.width, height);
  out.data.set(b.data);
  return out;
}

/** Stacks bitmaps of the same width top to bottom. */
export function stackBitmaps(parts: readonly MonoBitmap[]): MonoBitmap {
  const width = parts[0]?.width ?? 8;
  const out = createMonoBitmap(width, parts.reduce((h, p) => h + p.height, 0));
  let offset = 0;
  for (const p of parts) {
    if (p.width !== width) throw new RangeError(`cannot stack a ${p.width}-dot bitmap under a ${width}-dot one`);
    out.data.set(p.data, offset);
    offset += p.data.length;
  }
  return out;
}

/** Dots set, for tests and sanity checks ("is anything printed here at all?"). */
export function countDots(b: MonoBitmap): number {
  let n = 0;
  for (const byte of b.data) for (let v = byte; v; v &= v - 1) n++;
  return n;
}
