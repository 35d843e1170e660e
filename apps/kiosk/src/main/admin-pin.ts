import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * The admin PIN guards the kiosk's admin screen (test print, reload, quit). It is short, so it
 * is stored only as a salted scrypt hash, compared in constant time, and wrong attempts lock the
 * screen for a while: a 4-digit PIN must not be guessable by a bored citizen in a day
 * (design-notes, "Who is on the network").
 */
export function hashPin(pin: string, salt: Buffer = randomBytes(16)): string {
  if (!/^\d{4,12}$/.test(pin)) throw new Error('PIN must be 4 to 12 digits');
  return `scrypt$${salt.toString('hex')}$${scryptSync(pin, salt, 32).toString('hex')}`;
}

export function verifyPin(pin: string, stored: string): boolean {
  const m = /^scrypt\$([0-9a-f]{32})\$([0-9a-f]{64})$/.exec(stored);
  if (!m || typeof pin !== 'string' || pin.length > 12) return false;
  const expected = Buffer.from(m[2] as string, 'hex');
  const actual = scryptSync(pin, Buffer.from(m[1] as string, 'hex'), 32);
  return timingSafeEqual(actual, expected);
}

export interface PinGuardOptions {
  hash: string | null;
  now?: () => number;
  /** Wrong attempts allowed before locking. */
  maxAttempts?: number;
  lockMs?: number;
}

export type PinCheck = { ok: true } | { ok: false; code: 'wrong_pin' | 'locked'; retryAfterMs?: number };

/** 5 tries, then 5 minutes locked (doubling each time): at most a few hundred guesses a day. */
export function createPinGuard(opts: PinGuardOptions) {
  const now = opts.now ?? Date.now;
  const maxAttempts = opts.maxAttempts ?? 5;
  const baseLockMs = opts.lockMs ?? 5 * 60_000;
  let failures = 0;
  let lockouts = 0;
  let lockedUntil = 0;
  return {
    check(pin: string): PinCheck {
      const t = now();
      if (t < lockedUntil) return { ok: false, code: 'locked', retryAfterMs: lockedUntil - t };
      if (opts.hash !== null && verifyPin(pin, opts.hash)) {
        failures = 0;
        lockouts = 0;
        return { ok: true };
      }
      failures += 1;
      if (failures >= maxAttempts) {
        failures = 0;
        lockedUntil = t + baseLockMs * 2 ** Math.min(lockouts, 8);
        lockouts += 1;
        return { ok: false, code: 'locked', retryAfterMs: lockedUntil - t };
      }
      return { ok: false, code: 'wrong_pin' };
    },
  };
}
