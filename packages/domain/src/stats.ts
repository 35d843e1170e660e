/**
 * Summary of durations for reports: average, median and 90th percentile (nearest rank, the
 * definition a spreadsheet user can check by hand: sort, take the value at ceil(0.9 n)).
 */
export interface DurationSummary {
  count: number;
  avg: number | null;
  median: number | null;
  p90: number | null;
}

export function summarize(values: readonly number[]): DurationSummary {
  const n = values.length;
  if (n === 0) return { count: 0, avg: null, median: null, p90: null };
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of s) sum += v;
  const mid = n >> 1;
  const median = n % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  const p90 = s[Math.ceil(0.9 * n) - 1] as number;
  return { count: n, avg: sum / n, median, p90 };
}

/** Shares of a whole, in percent with one decimal, that add up as shown (largest remainder). */
export function percentShares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const raw = counts.map((c) => (c * 1000) / total);
  const floors = raw.map(Math.floor);
  let left = 1000 - floors.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] as number) + 1;
    left--;
  }
  return floors.map((f) => f / 10);
}
