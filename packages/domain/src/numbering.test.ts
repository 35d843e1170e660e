import { describe, expect, it } from 'vitest';
import { canPrint, formatTicketNumber, maxSequence, numbersClash, type NumberingRule } from './numbering.js';

describe('formatTicketNumber', () => {
  it('joins the prefix and the zero-padded sequence', () => {
    expect(formatTicketNumber({ prefix: '1', width: 3 }, 5)).toBe('1005');
    expect(formatTicketNumber({ prefix: 'A', width: 3 }, 12)).toBe('A012');
    expect(formatTicketNumber({ prefix: '', width: 4 }, 999)).toBe('0999');
  });
  it('refuses a sequence that would not fit, rather than printing a longer number', () => {
    expect(maxSequence({ prefix: '1', width: 3 })).toBe(999);
    expect(() => formatTicketNumber({ prefix: '1', width: 3 }, 1000)).toThrow(RangeError);
    expect(() => formatTicketNumber({ prefix: '1', width: 3 }, 0)).toThrow(RangeError);
    expect(() => formatTicketNumber({ prefix: '1', width: 3 }, 1.5)).toThrow(RangeError);
  });
});

describe('numbersClash', () => {
  /** Every number a rule can print (small widths only). */
  const all = (r: NumberingRule) => new Set(Array.from({ length: maxSequence(r) }, (_, i) => formatTicketNumber(r, i + 1)));

  it('is true exactly when the two rules can print a common number (every pair of small rules, checked by listing)', () => {
    const prefixes = ['', '1', '10', '2', 'A', 'A1', '01', '100'];
    const rules: NumberingRule[] = prefixes.flatMap((prefix) => [1, 2, 3].map((width) => ({ prefix, width })));
    let clashes = 0;
    for (const a of rules) {
      for (const b of rules) {
        const numbersA = all(a);
        const common = [...all(b)].some((n) => numbersA.has(n));
        expect(numbersClash(a, b), `${a.prefix}+${a.width} vs ${b.prefix}+${b.width}`).toBe(common);
        if (common) clashes++;
      }
    }
    expect(clashes).toBeGreaterThan(rules.length); // not only each rule with itself
  });

  it('canPrint agrees with listing the numbers a rule prints', () => {
    for (const rule of [{ prefix: '1', width: 2 }, { prefix: 'A', width: 1 }, { prefix: '', width: 2 }]) {
      const printed = all(rule);
      for (const n of ['1', '01', '10', '101', '199', '100', '1a1', 'A1', 'A0', '00', '99', 'A10', '']) expect(canPrint(rule, n), `${rule.prefix}+${rule.width}: ${n}`).toBe(printed.has(n));
    }
  });

  it('finds the tester\'s case: "1" with 3 digits and "10" with 2 both give 1001', () => {
    expect(numbersClash({ prefix: '1', width: 3 }, { prefix: '10', width: 2 })).toBe(true);
    expect(numbersClash({ prefix: '1', width: 3 }, { prefix: '2', width: 3 })).toBe(false);
  });
});
