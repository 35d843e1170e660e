/**
 * A token bucket per key (a kiosk device): `burst` taps at once, then `perMinute` on average.
 * A kiosk serves one citizen at a time; a stream of requests from one token is a script or a
 * child drumming on the screen, and it must not empty a service's daily numbers.
 * In memory on purpose: limits reset on restart, which costs nothing here.
 */
export interface RateLimiter {
  /** true when allowed (and counted); false when over the limit. */
  take(key: string): boolean;
}

export function createRateLimiter(opts: { burst: number; perMinute: number; now?: () => number; maxKeys?: number }): RateLimiter {
  const now = opts.now ?? Date.now;
  const perMs = opts.perMinute / 60_000;
  const maxKeys = opts.maxKeys ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
        b = { tokens: opts.burst, at: t };
        buckets.set(key, b);
      }
      b.tokens = Math.min(opts.burst, b.tokens + (t - b.at) * perMs);
      b.at = t;
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
  };
}
