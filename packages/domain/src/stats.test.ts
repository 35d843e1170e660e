import { describe, expect, it } from 'vitest';
import { percentShares, select, summarize } from './stats.js';

describe('summarize', () => {
  it('gives average, median and nearest-rank 90th percentile', () => {
    expect(summarize([5, 1, 3])).toEqual({ count: 3, avg: 3, median: 3, p90: 5 });
    expect(summarize([4, 1, 3, 2])).toEqual({ count: 4, avg: 2.5, median: 2.5, p90: 4 });
    const ten = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(summarize(ten).p90).toBe(90);
    expect(summarize([...ten, 110]).p90).toBe(100);
  });
  it('is empty without values', () => {
    expect(summarize([])).toEqual({ count: 0, avg: null, median: null, p90: null });
  });
});

describe('select', () => {
  it('agrees with a full sort for every k, with duplicates and random data', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const data = Array.from({ length: n }, () => Math.floor(rnd() * (n / 3 + 1)));
      const sorted = [...data].sort((x, y) => x - y);
      for (const k of [0, n >> 1, n - 1, Math.ceil(0.9 * n) - 1]) {
        expect(select(Float64Array.from(data), k)).toBe(sorted[k]);
      }
      const s = summarize(data);
      const mid = n >> 1;
      expect(s.median).toBe(n % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2);
      expect(s.p90).toBe(sorted[Math.ceil(0.9 * n) - 1]);
    }
  });
});

describe('percentShares', () => {
  it('adds up to 100 with one decimal', () => {
    const s = percentShares([1, 1, 1]);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 5);
    expect(s).toEqual([33.4, 33.3, 33.3]);
    expect(percentShares([3, 1])).toEqual([75, 25]);
    expect(percentShares([0, 0])).toEqual([0, 0]);
  });
});
