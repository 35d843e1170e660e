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

export function summarize(values: readonly number[] | Int32Array | Float64Array): DurationSummary {
  const n = values.length;
  if (n === 0) return { count: 0, avg: null, median: null, p90: null };
  // Order statistics by selection, not a full sort: a year's report summarizes over a million
  // durations, and selection is linear where sorting is n log n.
  const a = new Float64Array(n);
  a.set(values);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i] as number;
  const mid = n >> 1;
  const upper = select(a, mid);
  let median = upper;
  if (n % 2 === 0) {
    // After selecting `mid`, everything left of it is <= it: the lower middle is their maximum.
    let lower = -Infinity;
    for (let i = 0; i < mid; i++) if ((a[i] as number) > lower) lower = a[i] as number;
    median = (lower + upper) / 2;
  }
  const p90 = select(a, Math.ceil(0.9 * n) - 1);
  return { count: n, avg: sum / n, median, p90 };
}

/**
 * The k-th smallest value (0-based) of `a`, reordering `a` in place (Hoare's selection with a
 * median-of-three pivot): afterwards a[k] holds it, smaller-or-equal values sit left of k.
 */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const x = a[lo] as number;
    const y = a[(lo + hi) >> 1] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
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
