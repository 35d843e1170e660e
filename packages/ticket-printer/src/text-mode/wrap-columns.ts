/**
 * Word wrap by character count, for the printer's fixed-width font. Counts composed (NFC)
 * characters: a letter sent as base + combining tone mark still takes one column on paper.
 * A word longer than a line is cut, since the printer would wrap it anyway, mid-letter.
 */
export function wrapColumns(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.normalize('NFC').split(/\s+/).filter(Boolean)) {
    let chars = [...word];
    while (chars.length > columns) {
      if (line.length) lines.push(line.join(''));
      lines.push(chars.slice(0, columns).join(''));
      chars = chars.slice(columns);
      line = [];
    }
    const needed = line.length ? line.length + 1 + chars.length : chars.length;
    if (needed > columns) {
      lines.push(line.join(''));
      line = chars;
    } else {
      line = line.length ? [...line, ' ', ...chars] : chars;
    }
  }
  if (line.length) lines.push(line.join(''));
  return lines;
}
