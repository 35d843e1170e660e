import { usernameKey } from '@luot/domain';

/**
 * Sign-in throttling that holds under parallel requests and cannot be turned against the admin.
 * The policy and what it costs are in docs/adr/0009-sign-in-and-sessions.md; in short:
 *
 * - An attempt is counted when it is admitted, BEFORE the password is checked (scrypt takes
 *   ~50 ms and is awaited): a burst of parallel guesses finds the slots already taken instead of
 *   all passing the check together. A success gives its slot back; a failure keeps it.
 * - At most a few attempts are in flight per address (and per account from an unfamiliar
 *   address): the rest of a burst is refused without a check.
 * - Failures are limited per account AND address (5 per 15 min): guessing from one laptop stops,
 *   while the same account from any other address is untouched, so nobody can lock the admin out
 *   from the Wi-Fi. Per address (30 per 15 min): one laptop cannot spray many accounts.
 * - Per account across all addresses (100 per hour): an attacker who keeps changing address is
 *   capped too. This one never applies to an address the account has signed in from before
 *   (remembered 30 days): the admin at their own desk still signs in during such an attack; only
 *   a first sign-in from a new address waits for the hour to pass.
 *
 * In memory: a restart forgives and forgets the familiar addresses, which is acceptable for a LAN
 * server that restarts rarely (and an attacker who can restart it has won already).
 */
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

export interface SignInLimits {
  perAccountAndAddress: ThrottleOptions;
  perAddress: ThrottleOptions;
  /** Across all addresses; not applied to an address the account has signed in from. */
  perAccount: ThrottleOptions;
  inFlightPerAddress: number;
  /** Not applied to an address the account has signed in from. */
  inFlightPerAccount: number;
  /** How long a successful sign-in makes its address familiar to the account. */
  familiarForMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAccountAndAddress: { maxFailures: 5, windowMs: 15 * 60_000 },
  perAddress: { maxFailures: 30, windowMs: 15 * 60_000 },
  perAccount: { maxFailures: 100, windowMs: 60 * 60_000 },
  inFlightPerAddress: 4,
  inFlightPerAccount: 2,
  familiarForMs: 30 * 24 * 3600_000,
};

/** Which limit refused an attempt (recorded in the audit log; the client only sees 429). */
export type ThrottleReason = 'in-flight' | 'account-and-address' | 'address' | 'account';

export interface SignInAttempt {
  /** The password was right: the slot is given back and this pair's failures are forgiven. */
  succeeded(now: number): void;
  /** The password (or the account) was wrong: the slot stays counted. */
  failed(): void;
}

export type Admission = { ok: true; attempt: SignInAttempt } | { ok: false; reason: ThrottleReason; retryAfterMs: number };

const MAX_FAMILIAR_PER_ACCOUNT = 20;
const PRUNE_EVERY_MS = 60_000;

/**
 * The part of an address that identifies one machine to the limits: IPv4 as is (also when it
 * arrives IPv4-mapped), IPv6 by its /64, which one host can fill with addresses at will.
 */
export function addressKey(ip: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1] as string;
  if (!ip.includes(':')) return ip;
  const addr = (ip.split('%')[0] as string).toLowerCase();
  const [head = '', tail] = addr.includes('::') ? (addr.split('::') as [string, string]) : [addr, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => (parseInt(g || '0', 16) || 0).toString(16))
    .join(':')}::/64`;
}

export function createLoginThrottle(
  perAccountAndAddress: ThrottleOptions = DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress,
  perAddress: ThrottleOptions = DEFAULT_SIGN_IN_LIMITS.perAddress,
  rest: Partial<Omit<SignInLimits, 'perAccountAndAddress' | 'perAddress'>> = {},
) {
  const limits: SignInLimits = { ...DEFAULT_SIGN_IN_LIMITS, ...rest, perAccountAndAddress, perAddress };
  /** Attempt times (admitted and not succeeded) per key, newest last, at most maxFailures kept. */
  const counted = new Map<string, number[]>();
  const inFlight = new Map<string, number>();
  /** account -> address -> last successful sign-in. */
  const familiar = new Map<string, Map<string, number>>();
  let lastPrune = 0;

  const windowed = (key: string, o: ThrottleOptions, now: number): number[] => {
    const list = (counted.get(key) ?? []).filter((t) => now - t < o.windowMs);
    if (list.length) counted.set(key, list);
    else counted.delete(key);
    return list;
  };
  /** Milliseconds until the key has room again, or 0 if it has room now. */
  const fullFor = (key: string, o: ThrottleOptions, now: number): number => {
    const list = windowed(key, o, now);
    return list.length >= o.maxFailures ? (list[list.length - o.maxFailures] as number) + o.windowMs - now : 0;
  };
  const push = (key: string, o: ThrottleOptions, at: number) => {
    const list = counted.get(key) ?? [];
    list.push(at);
    counted.set(key, list.slice(-o.maxFailures));
  };
  const unpush = (key: string, at: number) => {
    const list = counted.get(key);
    const i = list?.lastIndexOf(at) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  };
  const busy = (key: string) => inFlight.get(key) ?? 0;
  const take = (key: string, d: 1 | -1) => {
    const n = busy(key) + d;
    if (n > 0) inFlight.set(key, n);
    else inFlight.delete(key);
  };
  const isFamiliar = (account: string, address: string, now: number) => {
    const at = familiar.get(account)?.get(address);
    return at !== undefined && now - at < limits.familiarForMs;
  };

  function prune(now: number) {
    if (now - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now;
    const longest = Math.max(limits.perAccountAndAddress.windowMs, limits.perAddress.windowMs, limits.perAccount.windowMs);
    for (const [k, list] of counted) if (list.every((t) => now - t >= longest)) counted.delete(k);
    for (const [account, addresses] of familiar) {
      for (const [a, at] of addresses) if (now - at >= limits.familiarForMs) addresses.delete(a);
      if (addresses.size === 0) familiar.delete(account);
    }
  }

  return {
    limits,
    /**
     * Admits a sign-in attempt or says which limit refuses it. An admitted attempt is already
     * counted and holds an in-flight slot: call exactly one of succeeded()/failed() after the
     * check (a thrown check counts as failed: wrap it in try/finally).
     */
    begin(username: string, ip: string, now: number): Admission {
      prune(now);
      const account = `u:${usernameKey(username)}`;
      const address = `a:${addressKey(ip)}`;
      const pair = `p:${account}\n${address}`;
      const known = isFamiliar(account, address, now);

      if (busy(address) >= limits.inFlightPerAddress || (!known && busy(account) >= limits.inFlightPerAccount)) {
        return { ok: false, reason: 'in-flight', retryAfterMs: 1000 };
      }
      const checks: [ThrottleReason, string, ThrottleOptions][] = [
        ['account-and-address', pair, limits.perAccountAndAddress],
        ['address', address, limits.perAddress],
      ];
      if (!known) checks.push(['account', account, limits.perAccount]);
      for (const [reason, key, o] of checks) {
        const wait = fullFor(key, o, now);
        if (wait > 0) return { ok: false, reason, retryAfterMs: wait };
      }

      push(pair, limits.perAccountAndAddress, now);
      push(address, limits.perAddress, now);
      push(account, limits.perAccount, now);
      take(address, 1);
      take(account, 1);
      let done = false;
      const finish = () => {
        if (done) return false;
        done = true;
        take(address, -1);
        take(account, -1);
        return true;
      };
      return {
        ok: true,
        attempt: {
          succeeded(at: number) {
            if (!finish()) return;
            unpush(address, now);
            unpush(account, now);
            // The address stays charged for nothing else; this pair's failures are forgiven (a
            // person who typed wrong twice and then right starts afresh). The account's failures
            // from elsewhere and the address's failures on other accounts are not.
            counted.delete(pair);
            const addresses = familiar.get(account) ?? new Map<string, number>();
            addresses.delete(address);
            addresses.set(address, at);
            while (addresses.size > MAX_FAMILIAR_PER_ACCOUNT) addresses.delete(addresses.keys().next().value as string);
            familiar.set(account, addresses);
          },
          failed() {
            finish();
          },
        },
      };
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
