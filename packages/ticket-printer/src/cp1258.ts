/**
 * Windows-1258 (Vietnamese), the code page Epson calls WPC1258.
 *
 * CP1258 has only some precomposed Vietnamese letters; the rest are written as a base letter
 * followed by a combining tone mark. Both the encoders we tried (iconv-lite, and the one in
 * receipt-printer-encoder) turn such letters into "?". This does what glibc `iconv -t CP1258`
 * does: compose (NFC), then for a letter the table lacks, split off only the tone mark.
 * The tests compare its output with glibc byte for byte.
 */

/** Unicode code points of bytes 0x80..0xFF; 0 where the byte is undefined. Taken from glibc. */
const HIGH_HALF = [
  0x20ac, 0x0000, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0000, 0x2039, 0x0152, 0x0000, 0x0000, 0x0000,
  0x0000, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0000, 0x203a, 0x0153, 0x0000, 0x0000, 0x0178,
  0x00a0, 0x00a1, 0x00a2, 0x00a3, 0x00a4, 0x00a5, 0x00a6, 0x00a7, 0x00a8, 0x00a9, 0x00aa, 0x00ab, 0x00ac, 0x00ad, 0x00ae, 0x00af,
  0x00b0, 0x00b1, 0x00b2, 0x00b3, 0x00b4, 0x00b5, 0x00b6, 0x00b7, 0x00b8, 0x00b9, 0x00ba, 0x00bb, 0x00bc, 0x00bd, 0x00be, 0x00bf,
  0x00c0, 0x00c1, 0x00c2, 0x0102, 0x00c4, 0x00c5, 0x00c6, 0x00c7, 0x00c8, 0x00c9, 0x00ca, 0x00cb, 0x0300, 0x00cd, 0x00ce, 0x00cf,
  0x0110, 0x00d1, 0x0309, 0x00d3, 0x00d4, 0x01a0, 0x00d6, 0x00d7, 0x00d8, 0x00d9, 0x00da, 0x00db, 0x00dc, 0x01af, 0x0303, 0x00df,
  0x00e0, 0x00e1, 0x00e2, 0x0103, 0x00e4, 0x00e5, 0x00e6, 0x00e7, 0x00e8, 0x00e9, 0x00ea, 0x00eb, 0x0301, 0x00ed, 0x00ee, 0x00ef,
  0x0111, 0x00f1, 0x0323, 0x00f3, 0x00f4, 0x01a1, 0x00f6, 0x00f7, 0x00f8, 0x00f9, 0x00fa, 0x00fb, 0x00fc, 0x01b0, 0x20ab, 0x00ff,
];

const TONE_MARKS = new Set([0x0300, 0x0301, 0x0303, 0x0309, 0x0323]);

const BYTE_OF = new Map<number, number>();
HIGH_HALF.forEach((cp, i) => {
  if (cp !== 0) BYTE_OF.set(cp, 0x80 + i);
});

function byteOf(cp: number): number | undefined {
  return cp < 0x80 ? cp : BYTE_OF.get(cp);
}

/** Encodes text to CP1258; a character it cannot represent becomes "?" (0x3F). */
export function encodeCp1258(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const direct = byteOf(ch.codePointAt(0) ?? 0x3f);
    if (direct !== undefined) {
      out.push(direct);
      continue;
    }
    const parts = [...ch.normalize('NFD')];
    const tone = parts.find((p) => TONE_MARKS.has(p.codePointAt(0) ?? 0));
    const base = parts.filter((p) => p !== tone).join('').normalize('NFC');
    const baseByte = base.length === 1 ? byteOf(base.codePointAt(0) ?? 0x3f) : undefined;
    const toneByte = tone === undefined ? undefined : byteOf(tone.codePointAt(0) ?? 0);
    if (baseByte !== undefined && toneByte !== undefined) out.push(baseByte, toneByte);
    else out.push(0x3f);
  }
  return Uint8Array.from(out);
}
