import { describe, expect, it } from 'vitest';
import { addressKey, createLoginThrottle, DEFAULT_SIGN_IN_LIMITS, type Admission } from './login-throttle.js';

const T0 = Date.parse('2026-11-23T09:00:00+07:00');
const MIN = 60_000;

const admitted = (a: Admission) => {
  if (!a.ok) throw new Error(`refused: ${a.reason}`);
  return a.attempt;
};
const fail = (a: Admission) => admitted(a).failed();

describe('login throttle (the policy, with the default limits)', () => {
  it('counts an attempt when it is admitted, so parallel attempts cannot all pass', () => {
    const t = createLoginThrottle();
    // Nothing finished yet: two held in flight for one account from an unfamiliar address.
    const held = Array.from({ length: 2 }, () => admitted(t.begin('canbo1', '10.0.0.5', T0)));
    expect(t.begin('canbo1', '10.0.0.5', T0)).toMatchObject({ ok: false, reason: 'in-flight' });
    for (const h of held) h.failed();
    fail(t.begin('canbo1', '10.0.0.5', T0));
    fail(t.begin('canbo1', '10.0.0.5', T0));
    fail(t.begin('canbo1', '10.0.0.5', T0));
    // Five counted: the sixth, even with the right password, is not checked.
    const sixth = t.begin('canbo1', '10.0.0.5', T0 + MIN);
    expect(sixth).toMatchObject({ ok: false, reason: 'account-and-address' });
    expect(sixth.ok ? 0 : sixth.retryAfterMs).toBe(15 * MIN - MIN);
    expect(t.begin('canbo1', '10.0.0.5', T0 + 15 * MIN).ok).toBe(true);
  });

  it('holds at most four attempts in flight per address, whatever the accounts', () => {
    const t = createLoginThrottle();
    const held = ['a1', 'a2', 'a3', 'a4'].map((name) => admitted(t.begin(name, '10.0.0.7', T0)));
    expect(t.begin('a5', '10.0.0.7', T0)).toMatchObject({ ok: false, reason: 'in-flight' });
    expect(t.begin('a5', '10.0.0.8', T0).ok).toBe(true);
    held[0]!.failed();
    expect(t.begin('a5', '10.0.0.7', T0).ok).toBe(true);
  });

  it('keeps an admitted attempt counted until it is known to be right', () => {
    // In-flight caps out of the way, to see the counting alone.
    const t = createLoginThrottle(undefined, undefined, { inFlightPerAddress: 100, inFlightPerAccount: 100 });
    const pending = Array.from({ length: 5 }, () => admitted(t.begin('admin', '10.0.0.5', T0)));
    // Five checks still running: a sixth is refused before any of them has failed.
    expect(t.begin('admin', '10.0.0.5', T0)).toMatchObject({ ok: false, reason: 'account-and-address' });
    pending[0]!.succeeded(T0);
    // The right password gave the slot back and forgave this pair.
    expect(t.begin('admin', '10.0.0.5', T0).ok).toBe(true);
  });

  it('limits per account and address: another address is untouched', () => {
    const t = createLoginThrottle();
    for (let i = 0; i < 5; i++) fail(t.begin('admin', '10.0.0.66', T0));
    expect(t.begin('admin', '10.0.0.66', T0)).toMatchObject({ ok: false, reason: 'account-and-address' });
    expect(t.begin('admin', '10.0.0.2', T0).ok).toBe(true);
    // The same name in capitals is the same account.
    expect(t.begin('ADMIN', '10.0.0.66', T0)).toMatchObject({ ok: false, reason: 'account-and-address' });
  });

  it('limits one address across accounts (30 per 15 minutes); a success does not reset it', () => {
    const t = createLoginThrottle();
    for (let i = 0; i < 29; i++) fail(t.begin(`name${i}`, '10.0.0.66', T0));
    admitted(t.begin('canbo9', '10.0.0.66', T0)).succeeded(T0);
    fail(t.begin('name29', '10.0.0.66', T0));
    expect(t.begin('canbo2', '10.0.0.66', T0)).toMatchObject({ ok: false, reason: 'address' });
  });

  it('caps an account at 100 failures an hour from all addresses, except where it has signed in before', () => {
    const t = createLoginThrottle();
    admitted(t.begin('admin', '10.0.0.2', T0)).succeeded(T0); // the admin's desk
    let n = 0;
    for (let host = 10; n < 100; host++) for (let i = 0; i < 4 && n < 100; i++, n++) fail(t.begin('admin', `10.0.1.${host}`, T0 + n));
    const fresh = t.begin('admin', '10.0.9.9', T0 + 200);
    expect(fresh).toMatchObject({ ok: false, reason: 'account' });
    expect(t.begin('admin', '10.0.0.2', T0 + 200).ok).toBe(true);
    // Other accounts are not affected.
    expect(t.begin('canbo1', '10.0.9.9', T0 + 200).ok).toBe(true);
    // The cap slides: an hour after the first failures, a new address is let in again.
    expect(t.begin('admin', '10.0.9.9', T0 + 60 * MIN + 100).ok).toBe(true);
  });

  it('forgets a familiar address after 30 days', () => {
    const t = createLoginThrottle(undefined, undefined, { perAccount: { maxFailures: 2, windowMs: 3650 * 24 * 60 * MIN } });
    admitted(t.begin('admin', '10.0.0.2', T0)).succeeded(T0);
    fail(t.begin('admin', '10.0.1.1', T0));
    fail(t.begin('admin', '10.0.1.2', T0));
    expect(t.begin('admin', '10.0.0.2', T0 + 29 * 24 * 60 * MIN).ok).toBe(true);
    expect(t.begin('admin', '10.0.0.2', T0 + DEFAULT_SIGN_IN_LIMITS.familiarForMs + 1)).toMatchObject({ ok: false, reason: 'account' });
  });
});

describe('addressKey', () => {
  it('takes IPv4 as it is, also when IPv4-mapped', () => {
    expect(addressKey('192.168.1.20')).toBe('192.168.1.20');
    expect(addressKey('::ffff:192.168.1.20')).toBe('192.168.1.20');
  });
  it('groups IPv6 by /64, which one machine can fill with addresses', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
