/**
 * Time as the clients see it: timers, the clock and randomness, injected so the reconnect and
 * retry rules are tested step by step without waiting.
 */
export interface Timing {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const systemTiming: Timing = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout> | undefined),
  now: () => Date.now(),
  random: () => Math.random(),
};

/**
 * How long to wait before attempt `attempt` (0 = the first retry): exponential, capped, with
 * jitter. The cap bounds how long a screen stays dark after the server is back (a retry is never
 * further away than `maxDelayMs`); the jitter spreads a room full of screens that lost the server
 * at the same moment, so they do not all knock on the restarted server in the same millisecond.
 */
export interface BackoffPolicy {
  firstDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Fraction of the delay taken off at random: 0.5 means a delay between 50% and 100%. */
  jitter: number;
}

/**
 * Screens: 0.3 s, 0.6 s, 1.2 s, then every 2.5 s at most. With a connection attempt taking well
 * under a second on a LAN, a screen is live again within about 3.5 s of the server answering.
 */
export const RECONNECT_POLICY: BackoffPolicy = { firstDelayMs: 300, factor: 2, maxDelayMs: 2500, jitter: 0.5 };

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const raw = Math.min(policy.maxDelayMs, policy.firstDelayMs * policy.factor ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(raw * (1 - jitter * random()));
}
