import { describe, expect, it } from 'vitest';
import { createPinGuard, hashPin, verifyPin } from './admin-pin.js';

describe('admin PIN', () => {
  const hash = hashPin('2468');

  it('stores a salted hash and verifies only the right PIN', () => {
    expect(hash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(hash).not.toContain('2468');
    expect(hashPin('2468')).not.toBe(hash); // salted
    expect(verifyPin('2468', hash)).toBe(true);
    expect(verifyPin('2469', hash)).toBe(false);
    expect(verifyPin('2468', 'garbage')).toBe(false);
    expect(() => hashPin('12')).toThrow();
  });

  it('locks after five wrong PINs, even the right one, then doubles the lock', () => {
    let now = 0;
    const guard = createPinGuard({ hash, now: () => now, lockMs: 1000 });
    for (let i = 0; i < 4; i++) expect(guard.check('0000')).toEqual({ ok: false, code: 'wrong_pin' });
    expect(guard.check('0000')).toEqual({ ok: false, code: 'locked', retryAfterMs: 1000 });
    expect(guard.check('2468').ok).toBe(false);
    now = 1000;
    for (let i = 0; i < 4; i++) guard.check('1111');
    expect(guard.check('1111')).toEqual({ ok: false, code: 'locked', retryAfterMs: 2000 });
    now = 3000;
    expect(guard.check('2468')).toEqual({ ok: true });
  });

  it('has no admin screen at all when no hash is configured', () => {
    const guard = createPinGuard({ hash: null });
    expect(guard.check('').ok).toBe(false);
    expect(guard.check('0000').ok).toBe(false);
  });
});
