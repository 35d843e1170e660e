export type WaitLevel = 'ok' | 'amber' | 'red' | 'none';

/** Amber above 75 % of the service's target wait, red above the target. */
export function waitLevel(waitMs: number | null, targetMinutes: number | undefined): WaitLevel {
  if (waitMs === null || !targetMinutes) return 'none';
  const minutes = waitMs / 60_000;
  if (minutes > targetMinutes) return 'red';
  if (minutes > 0.75 * targetMinutes) return 'amber';
  return 'ok';
}
