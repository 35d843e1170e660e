import { describe, expect, it } from 'vitest';
import { periodRange } from './period.js';
import { waitLevel } from './dashboard-level.js';

describe('report periods', () => {
  it('a day is itself', () => expect(periodRange('day', '2025-03-05')).toEqual({ from: '2025-03-05', to: '2025-03-05' }));
  it('a week runs Monday to Sunday, across a month end', () => {
    expect(periodRange('week', '2025-03-05')).toEqual({ from: '2025-03-03', to: '2025-03-09' });
    expect(periodRange('week', '2025-03-02')).toEqual({ from: '2025-02-24', to: '2025-03-02' }); // a Sunday
  });
  it('a month is the calendar month, leap years included', () => {
    expect(periodRange('month', '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodRange('month', '2025-12-31')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
});

describe('dashboard wait level', () => {
  const min = 60_000;
  it('is amber above 75 % of the target and red above it', () => {
    expect(waitLevel(null, 20)).toBe('none');
    expect(waitLevel(10 * min, undefined)).toBe('none');
    expect(waitLevel(15 * min, 20)).toBe('ok');
    expect(waitLevel(15 * min + 1, 20)).toBe('amber');
    expect(waitLevel(20 * min, 20)).toBe('amber');
    expect(waitLevel(20 * min + 1, 20)).toBe('red');
  });
});
