/**
 * Estimated wait for a citizen with `ahead` people in front, from how long recent services took.
 * Uses the median of recent service times (one slow land-record case should not scare a whole
 * room) shared across the counters open for the service; before any service today it falls back
 * to the service's configured typical duration.
 */
export interface WaitEstimateInput {
  ahead: number;
  /** Service durations (called -> done) in seconds, most recent first. */
  recentServiceSeconds: readonly number[];
  /** Counters open now that serve this service. */
  openCounters: number;
  /** Typical minutes per citizen when there is no history yet. */
  defaultServiceMinutes: number;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function estimateWaitMinutes(input: WaitEstimateInput): number {
  if (input.ahead <= 0) return 0;
  const perCitizenSeconds = median(input.recentServiceSeconds) ?? input.defaultServiceMinutes * 60;
  const counters = Math.max(1, input.openCounters);
  return Math.ceil((input.ahead * perCitizenSeconds) / counters / 60);
}
