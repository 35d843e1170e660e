import { parseCccdQr } from '@luot/domain';
import { describe, expect, it } from 'vitest';
import { createScanAssembler, type KeyDecision, type ScanAssembler, type ScannerKey, type ScanResult } from './scanner-input.js';

// An invented citizen's card, as a keyboard-mode scanner types it.
const CARD = '001085012345|012345678|Nguyễn Văn An|15031985|Nam|Số 12 phố Hàng Bông, Hà Nội|10052021';

/** Feeds keys and collects what the assembler decided. */
function feed(a: ScanAssembler, keys: ScannerKey[]) {
  const decisions: KeyDecision[] = keys.map((k) => a.push(k));
  return { decisions, results: decisions.flatMap((d) => (d.result ? [d.result] : [])) };
}

/**
 * Keys as a scanner sends them: one per character `gapMs` apart, Shift before capitals (at the same
 * instant, as scanners do), then Enter. Returns the keys and the time after the last one.
 */
function scannerKeys(text: string, start = 1000, gapMs = 4, { enter = true, shift = true } = {}): { keys: ScannerKey[]; end: number } {
  const keys: ScannerKey[] = [];
  let t = start;
  for (const ch of text) {
    if (shift && ch !== ch.toLowerCase()) keys.push({ key: 'Shift', timeStamp: t });
    keys.push({ key: ch, timeStamp: t });
    t += gapMs;
  }
  if (enter) keys.push({ key: 'Enter', timeStamp: t });
  return { keys, end: t };
}

/** Keys as a person types them: 120 ms apart. */
function personKeys(text: string, start = 0, gapMs = 120): ScannerKey[] {
  return [...text].map((key, i) => ({ key, timeStamp: start + i * gapMs }));
}

describe('scan assembler', () => {
  it('recognizes a scanner typing a CCCD and Enter, and the text parses', () => {
    const a = createScanAssembler();
    const { decisions, results } = feed(a, scannerKeys(CARD).keys);
    expect(results).toEqual([{ kind: 'scan', text: CARD }]);
    expect(a.pending).toBe(false);
    // The first character could have been a person's; every later one, and the Enter, are the
    // scanner's and must not reach the page.
    const chars = decisions.filter((_, i) => scannerKeys(CARD).keys[i]?.key !== 'Shift');
    expect(chars[0]?.consume).toBe(false);
    expect(chars.slice(1).every((d) => d.consume)).toBe(true);
    const parsed = parseCccdQr((results[0] as { text: string }).text, '2026-11-30');
    expect(parsed.ok && parsed.card.fullName).toBe('Nguyễn Văn An');
  });

  it('accepts gaps up to maxGapMs and reads the scan at a configured speed', () => {
    expect(feed(createScanAssembler(), scannerKeys(CARD, 0, 35).keys).results).toEqual([{ kind: 'scan', text: CARD }]);
    expect(feed(createScanAssembler({ maxGapMs: 60 }), scannerKeys(CARD, 0, 55).keys).results).toEqual([{ kind: 'scan', text: CARD }]);
  });

  it('ignores a person typing, Enter included, and lets the page have their keys', () => {
    const a = createScanAssembler();
    const keys = [...personKeys('001085012345|Nguyen'), { key: 'Enter', timeStamp: 20 * 120 }];
    const { decisions, results } = feed(a, keys);
    expect(results).toEqual([]);
    expect(decisions.every((d) => !d.consume)).toBe(true);
  });

  it('ignores a few fast keys (two keys pressed together, a short burst) even with Enter', () => {
    const a = createScanAssembler();
    const { decisions, results } = feed(a, scannerKeys('ab', 0, 10).keys);
    expect(results).toEqual([]);
    expect(decisions.at(-1)).toEqual({ consume: false, result: null }); // the Enter is the person's
    expect(feed(a, scannerKeys('1234567', 500, 5).keys).results).toEqual([]); // 7 < minLength 8
    expect(feed(a, scannerKeys('12345678', 900, 5).keys).results).toEqual([{ kind: 'scan', text: '12345678' }]);
  });

  it('takes a scan that starts right after a person’s key without the person’s key', () => {
    const a = createScanAssembler();
    const { keys } = scannerKeys(CARD, 500);
    expect(feed(a, [{ key: 'x', timeStamp: 0 }, ...keys]).results).toEqual([{ kind: 'scan', text: CARD }]);
  });

  it('reports a run that stops without Enter as partial, by flush or by the next slow key', () => {
    const half = CARD.slice(0, 30);
    const a = createScanAssembler();
    const { keys, end } = scannerKeys(half, 0, 4, { enter: false });
    expect(feed(a, keys).results).toEqual([]);
    expect(a.pending).toBe(true);
    expect(a.flush(end)).toBeNull(); // still within the gap: may go on
    expect(a.flush(end + 100)).toEqual({ kind: 'partial', length: 30 });
    expect(a.pending).toBe(false);

    const b = createScanAssembler();
    feed(b, scannerKeys(half, 0, 4, { enter: false }).keys);
    expect(b.push({ key: 'q', timeStamp: 5000 })).toEqual({ consume: false, result: { kind: 'partial', length: 30 } });
  });

  it('never hands out the text of a partial scan', () => {
    const a = createScanAssembler();
    feed(a, scannerKeys(CARD.slice(0, 40), 0, 4, { enter: false }).keys);
    expect(JSON.stringify(a.flush(10_000))).not.toContain('001085012345');
  });

  it('does not report a short quiet run as partial (a person)', () => {
    const a = createScanAssembler();
    feed(a, [{ key: 'a', timeStamp: 0 }, { key: 'b', timeStamp: 10 }]);
    expect(a.flush(1000)).toBeNull();
  });

  it('swallows a scanner’s late Enter after its run was reported partial, but not a person’s later Enter', () => {
    const a = createScanAssembler();
    const { keys, end } = scannerKeys(CARD.slice(0, 30), 0, 4, { enter: false });
    feed(a, keys);
    expect(a.push({ key: 'Enter', timeStamp: end + 80 })).toEqual({ consume: true, result: { kind: 'partial', length: 30 } });

    const b = createScanAssembler();
    feed(b, keys);
    expect(b.flush(end + 70)).toEqual({ kind: 'partial', length: 30 });
    expect(b.push({ key: 'Enter', timeStamp: end + 200 })).toEqual({ consume: true, result: null });
    expect(b.push({ key: 'Enter', timeStamp: end + 3000 })).toEqual({ consume: false, result: null });
  });

  it('splits a scan at a pause: the first part is partial, the tail is a separate scan', () => {
    const a = createScanAssembler();
    const first = scannerKeys(CARD.slice(0, 20), 0, 4, { enter: false });
    const rest = scannerKeys(CARD.slice(20), first.end + 200, 4);
    const { results } = feed(a, [...first.keys, ...rest.keys]);
    expect(results).toEqual([{ kind: 'partial', length: 20 }, { kind: 'scan', text: CARD.slice(20) }]);
    // The tail is not a card: the parser says so, and no priority can come of it.
    expect(parseCccdQr((results[1] as { text: string }).text, '2026-11-30').ok).toBe(false);
  });

  it('handles Vietnamese letters as single keys and as a letter followed by combining marks', () => {
    expect(feed(createScanAssembler(), scannerKeys('Xin chào Ông Đỗ Thị Ước Nữ', 0).keys).results).toEqual([{ kind: 'scan', text: 'Xin chào Ông Đỗ Thị Ước Nữ' }]);

    // "Nữ" typed as N, u, combining horn, combining tilde: returned in NFC.
    const keys: ScannerKey[] = ['1', '2', '3', '4', '5', '6', '|', 'N', 'u', '\u031B', '\u0303'].map((key, i) => ({ key, timeStamp: i * 3 }));
    keys.push({ key: 'Enter', timeStamp: 40 });
    const { results } = feed(createScanAssembler(), keys);
    expect(results).toEqual([{ kind: 'scan', text: '123456|Nữ' }]);
    expect((results[0] as { text: string }).text).toBe('123456|Nữ'.normalize('NFC'));
  });

  it('does not count Shift as a character nor let it break the run', () => {
    const keys: ScannerKey[] = [];
    let t = 0;
    for (const ch of 'NGUYEN VAN AN') {
      keys.push({ key: 'Shift', timeStamp: t });
      t += 20;
      keys.push({ key: ch, timeStamp: t });
      t += 20; // 40 ms between characters, but never more than 20 ms between keys
    }
    keys.push({ key: 'Enter', timeStamp: t });
    expect(feed(createScanAssembler(), keys).results).toEqual([{ kind: 'scan', text: 'NGUYEN VAN AN' }]);
  });

  it('treats a held key’s auto-repeat as a person', () => {
    const a = createScanAssembler();
    const keys: ScannerKey[] = [{ key: '1', timeStamp: 0 }];
    for (let i = 1; i < 40; i++) keys.push({ key: '1', timeStamp: i * 30, repeat: true });
    keys.push({ key: 'Enter', timeStamp: 40 * 30 });
    const { decisions, results } = feed(a, keys);
    expect(results).toEqual([]);
    expect(decisions.every((d) => !d.consume)).toBe(true);
  });

  it('breaks a run on a Ctrl/Alt/Meta shortcut but keeps AltGr characters', () => {
    const a = createScanAssembler();
    const { keys } = scannerKeys(CARD.slice(0, 20), 0, 4, { enter: false });
    expect(feed(a, [...keys, { key: 'v', timeStamp: 81, ctrlKey: true }]).results).toEqual([{ kind: 'partial', length: 20 }]);

    const b = createScanAssembler();
    const altGr = scannerKeys('12345678', 0, 4).keys.map((k) => (k.key === '5' ? { ...k, key: '€', ctrlKey: true, altKey: true } : k));
    expect(feed(b, altGr).results).toEqual([{ kind: 'scan', text: '1234€678' }]);
  });

  it('ends a run with a key the scanner could not type as partial, never as a scan with a letter missing', () => {
    const keys = scannerKeys(CARD, 0).keys.map((k) => (k.key === 'ễ' ? { ...k, key: 'Unidentified' } : k));
    const { decisions, results } = feed(createScanAssembler(), keys);
    expect(results).toEqual([{ kind: 'partial', length: [...CARD].length - 1 }]);
    expect(decisions.at(-1)?.consume).toBe(true); // its Enter still must not press a button
  });

  it('reports a run longer than maxLength as partial', () => {
    const { results } = feed(createScanAssembler({ maxLength: 50 }), scannerKeys('9'.repeat(80), 0, 1).keys);
    expect(results).toEqual([{ kind: 'partial', length: 80 }]);
  });

  it('can end scans with Tab instead of Enter', () => {
    const a = createScanAssembler({ terminators: ['Tab'] });
    const keys = scannerKeys('ABCDEFGHIJ', 0, 4, { enter: false }).keys;
    const { results } = feed(a, [...keys, { key: 'Tab', timeStamp: 40 }]);
    expect(results).toEqual([{ kind: 'scan', text: 'ABCDEFGHIJ' }]);
  });

  it('treats a clock going backwards as a break, and reset() forgets a run silently', () => {
    const a = createScanAssembler();
    feed(a, scannerKeys(CARD.slice(0, 12), 1000, 4, { enter: false }).keys);
    expect(a.push({ key: '|', timeStamp: 10 }).result).toEqual({ kind: 'partial', length: 12 });

    const b = createScanAssembler();
    feed(b, scannerKeys(CARD.slice(0, 12), 0, 4, { enter: false }).keys);
    b.reset();
    expect(b.pending).toBe(false);
    expect(b.flush(10_000)).toBeNull();
  });

  it('reads two scans in a row', () => {
    const a = createScanAssembler();
    const one = scannerKeys(CARD, 0);
    const two = scannerKeys(CARD.replace('Nguyễn Văn An', 'Trần Thị Bình'), one.end + 2000);
    const results: ScanResult[] = feed(a, [...one.keys, ...two.keys]).results;
    expect(results.map((r) => r.kind)).toEqual(['scan', 'scan']);
  });
});
