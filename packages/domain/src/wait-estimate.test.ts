import { describe, expect, it } from 'vitest';
import { estimateWaitMinutes, median } from './wait-estimate.js';

describe('estimateWaitMinutes', () => {
  it('is zero with nobody ahead', () => {
    expect(estimateWaitMinutes({ ahead: 0, recentServiceSeconds: [600], openCounters: 1, defaultServiceMinutes: 10 })).toBe(0);
  });
  it('uses the median recent service time shared across open counters', () => {
    // median 300 s; 6 ahead; 2 counters -> 6 * 300 / 2 = 900 s = 15 min
    expect(estimateWaitMinutes({ ahead: 6, recentServiceSeconds: [240, 300, 3600], openCounters: 2, defaultServiceMinutes: 10 })).toBe(15);
  });
  it('falls back to the configured typical duration, and to one counter when none is open', () => {
    expect(estimateWaitMinutes({ ahead: 3, recentServiceSeconds: [], openCounters: 0, defaultServiceMinutes: 7 })).toBe(21);
  });
  it('rounds up, so a citizen is never told 0 minutes with people ahead', () => {
    expect(estimateWaitMinutes({ ahead: 1, recentServiceSeconds: [10], openCounters: 4, defaultServiceMinutes: 1 })).toBe(1);
  });
  it('median of even and odd lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
