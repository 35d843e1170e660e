/**
 * Sign-in throttling, per account and per address: after `maxFailures` wrong passwords within
 * `windowMs`, further attempts are refused until the window passes. With 5 tries per 15 minutes a
 * 4-digit PIN takes weeks to guess, not a morning. In memory: a restart forgives, which is fine.
 */
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

export function createLoginThrottle(perAccount: ThrottleOptions, perAddress: ThrottleOptions) {
  const failures = new Map<string, number[]>();

  const recent = (key: string, now: number, windowMs: number) => {
    const list = (failures.get(key) ?? []).filter((t) => now - t < windowMs);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };

  return {
    isBlocked(username: string, address: string, now: number): boolean {
      return (
        recent(`u:${username.toLowerCase()}`, now, perAccount.windowMs).length >= perAccount.maxFailures ||
        recent(`a:${address}`, now, perAddress.windowMs).length >= perAddress.maxFailures
      );
    },
    fail(username: string, address: string, now: number): void {
      for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) {
        const list = failures.get(key) ?? [];
        list.push(now);
        failures.set(key, list.slice(-100));
      }
    },
    succeed(username: string): void {
      failures.delete(`u:${username.toLowerCase()}`);
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
