import { describe, expect, it } from 'vitest';
import { formatTicketNumber, maxSequence } from './numbering.js';

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
