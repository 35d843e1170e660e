import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../src/auth/login-throttle.js';
import { ADMIN_PASSWORD, manualClock, startTestServer, type TestServer } from '../helpers/test-server.js';
import { signInFrom } from './from-address.js';

/**
 * Sign-in guessing through real HTTP from several loopback addresses (each one "a laptop on the
 * center's Wi-Fi"). The server's own admin signed in from 127.0.0.1 when it started, which makes
 * 127.0.0.1 the admin's familiar address.
 */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ clock });
});
afterAll(() => s.close());

const signInRows = () =>
  s.db.prepare(`SELECT action, target, detail FROM audit_log WHERE action LIKE 'auth.%' ORDER BY id`).all() as { action: string; target: string | null; detail: string }[];
const rowsFor = (action: string, username: string) =>
  signInRows()
    .filter((r) => r.action === action)
    .map((r) => JSON.parse(r.detail))
    .filter((d) => d.username === username || d.usernames?.includes(username));

describe('a burst of parallel guesses', () => {
  it('checks at most a few of 100 parallel wrong passwords, refuses the right one sent within the burst, and logs them all', async () => {
    const burst = [...Array.from({ length: 100 }, (_, i) => signInFrom(s.url, '127.0.0.1', 'canbo1', `guess-${i}`)), signInFrom(s.url, '127.0.0.1', 'canbo1', 'demo')];
    const answers = await Promise.all(burst);
    const statuses = answers.map((a) => a.status);
    const checked = statuses.filter((x) => x === 401).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((x) => x === 429).length).toBe(101 - checked);
    // The right password, sent inside the burst, never got its check.
    expect(answers.at(-1)!.status).toBe(429);
    expect(answers.at(-1)!.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(answers.at(-1)!.headers['retry-after'])).toBeGreaterThan(0);

    // One failed row per checked attempt, with the address; the throttled ones are counted.
    const failed = rowsFor('auth.sign-in.failed', 'canbo1');
    expect(failed).toHaveLength(checked);
    expect(failed.every((d) => d.address === '127.0.0.1' && d.reason === 'wrong-password')).toBe(true);
    const throttledNow = rowsFor('auth.sign-in.throttled', 'canbo1');
    expect(throttledNow.length).toBeGreaterThanOrEqual(1);
    // A minute later the rest of each run is written as one row with its count.
    clock.advance(61_000);
    // (the next sign-in event writes the runs that are over)
    await signInFrom(s.url, '127.0.0.9', 'nobody-here', 'x');
    const throttled = rowsFor('auth.sign-in.throttled', 'canbo1');
    expect(throttled.reduce((n, d) => n + d.count, 0)).toBe(101 - checked);
    expect(throttled.every((d) => d.address === '127.0.0.1')).toBe(true);
    // Never a password, right or wrong.
    const dump = JSON.stringify(signInRows());
    expect(dump).not.toMatch(/guess-\d/);
    expect(dump).not.toContain('"demo"');
  });

  it('blocks the account from that address after 5 failures in all, then lets it in when the window has passed', async () => {
    // Continue from the burst above: fill up to five checked failures one by one.
    for (let i = 0; i < 5; i++) {
      const r = await signInFrom(s.url, '127.0.0.1', 'canbo1', `again-${i}`);
      if (r.status === 429) break;
      expect(r.status).toBe(401);
    }
    const blocked = await signInFrom(s.url, '127.0.0.1', 'canbo1', 'demo');
    expect(blocked.status).toBe(429);
    const wait = Number(blocked.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    clock.advance(15 * 60_000);
    expect((await signInFrom(s.url, '127.0.0.1', 'canbo1', 'demo')).status).toBe(200);
  });
});

describe('the admin cannot be locked out from another address', () => {
  it('five wrong guesses for "admin" from a laptop block that laptop only', async () => {
    for (let i = 0; i < 5; i++) expect((await signInFrom(s.url, '127.0.0.2', 'admin', `nope-${i}`)).status).toBe(401);
    const attacker = await signInFrom(s.url, '127.0.0.2', 'admin', ADMIN_PASSWORD);
    expect(attacker.status).toBe(429);
    // The real admin at their desk, and the admin at a machine never used before, both sign in.
    expect((await signInFrom(s.url, '127.0.0.1', 'admin', ADMIN_PASSWORD)).status).toBe(200);
    expect((await signInFrom(s.url, '127.0.0.3', 'admin', ADMIN_PASSWORD)).status).toBe(200);
    // A different case of the name is the same account for the limits: no extra guesses.
    expect((await signInFrom(s.url, '127.0.0.2', 'ADMIN', ADMIN_PASSWORD)).status).toBe(429);
    const refused = rowsFor('auth.sign-in.throttled', 'admin');
    expect(refused.some((d) => d.address === '127.0.0.2' && d.reason === 'account-and-address')).toBe(true);
  });

  it('caps guessing from many addresses per account, but never at an address the account signed in from', async () => {
    // Smaller account-wide cap than the default 100/hour so the test needs 12 checks, not 100;
    // everything else is the server's own throttle code.
    s.server.ctx.throttle = createLoginThrottle({ maxFailures: 5, windowMs: 15 * 60_000 }, { maxFailures: 30, windowMs: 15 * 60_000 }, { perAccount: { maxFailures: 12, windowMs: 3600_000 } });
    // The admin signs in at their desk once (this throttle is new, so nothing is familiar yet).
    expect((await signInFrom(s.url, '127.0.0.1', 'admin', ADMIN_PASSWORD)).status).toBe(200);
    // An attacker changes address every four guesses: 12 guesses from three laptops.
    for (const laptop of ['127.0.1.1', '127.0.1.2', '127.0.1.3']) {
      for (let i = 0; i < 4; i++) expect((await signInFrom(s.url, laptop, 'admin', `spray-${i}`)).status).toBe(401);
    }
    // A fourth laptop gets no guess at all, not even the right password.
    const fresh = await signInFrom(s.url, '127.0.1.4', 'admin', ADMIN_PASSWORD);
    expect(fresh.status).toBe(429);
    expect(rowsFor('auth.sign-in.throttled', 'admin').some((d) => d.address === '127.0.1.4' && d.reason === 'account')).toBe(true);
    // The admin's own desk still works.
    expect((await signInFrom(s.url, '127.0.0.1', 'admin', ADMIN_PASSWORD)).status).toBe(200);
    // Other accounts are not touched.
    expect((await signInFrom(s.url, '127.0.1.4', 'canbo3', 'demo')).status).toBe(200);
    // An hour later a new address may sign in again.
    clock.advance(3600_000);
    expect((await signInFrom(s.url, '127.0.1.4', 'admin', ADMIN_PASSWORD)).status).toBe(200);
  });

  it('stops one laptop from spraying many accounts', async () => {
    s.server.ctx.throttle = createLoginThrottle({ maxFailures: 5, windowMs: 15 * 60_000 }, { maxFailures: 6, windowMs: 15 * 60_000 });
    for (let i = 0; i < 6; i++) expect((await signInFrom(s.url, '127.0.2.1', `user${i}`, 'password1')).status).toBe(401);
    const next = await signInFrom(s.url, '127.0.2.1', 'canbo4', 'demo');
    expect(next.status).toBe(429);
    expect(rowsFor('auth.sign-in.throttled', 'canbo4').some((d) => d.reason === 'address')).toBe(true);
    // The same account from its own machine is fine.
    expect((await signInFrom(s.url, '127.0.2.2', 'canbo4', 'demo')).status).toBe(200);
  });
});
